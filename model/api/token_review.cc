#include "model/api/token_review.h"

namespace sasim::model {

sim::Duration review_latency(const sim::DurationDistribution& latency, std::uint64_t draw_key, sim::Duration cap) {
  sim::Prng draw(draw_key);
  const sim::Duration sampled = latency.sample(draw);
  return cap > sim::Duration::zero() && sampled > cap ? cap : sampled;
}

std::string TokenReview::describe() const {
  // A token is a credential: traces show only its length and tail.
  const std::string& bytes = token.bytes();
  const std::size_t tail = bytes.size() < 8 ? bytes.size() : 8;
  std::string out = "TokenReview len=" + std::to_string(bytes.size()) + " ..." + bytes.substr(bytes.size() - tail);
  for (const std::string& audience : audiences) out += " aud=" + audience;
  return out;
}

sim::TraceLabel TokenReview::trace_label() const {
  const std::string& bytes = token.bytes();
  const std::size_t tail = bytes.size() < 8 ? bytes.size() : 8;
  return sim::TraceLabel{"TokenReview", {{"token", "len=" + std::to_string(bytes.size()) + " ..." +
                                                       bytes.substr(bytes.size() - tail)}}};
}

sim::TraceLabel TokenReviewResult::trace_label() const {
  if (authenticated) return sim::TraceLabel{"TokenReview authenticated", {{"user", username}}};
  return sim::TraceLabel{"TokenReview rejected", {{"error", error}}};
}

std::string TokenReviewResult::describe() const {
  if (authenticated) return "authenticated " + username;
  return "rejected: " + error;
}

}  // namespace sasim::model
