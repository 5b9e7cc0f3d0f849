#include "model/faults/transport.h"

#include <catch2/catch.hpp>

#include "model/api/request.h"
#include "model/api/token_review.h"

namespace sasim::model::faults {
namespace transport_test {

const sim::ActorId kApiServer{0};
const sim::ActorId kTokens{1};
const sim::ActorId kOther{2};

sim::SendInfo message(sim::ActorId from, sim::ActorId to, std::uint64_t tag) {
  return sim::SendInfo{.from = from, .to = to, .tag = tag, .payload = nullptr, .now = sim::Time::zero()};
}

TEST_CASE("a partition loses the client's requests and what the apiserver sends it") {
  Transport transport(sim::Prng(1), kApiServer);
  const auto id = transport.partition(kTokens);
  CHECK_FALSE(transport.on_send(message(kTokens, kApiServer, kTagApiRequest)).deliver);
  CHECK_FALSE(transport.on_send(message(kApiServer, kTokens, kTagApiResponse)).deliver);
  CHECK_FALSE(transport.on_send(message(kApiServer, kTokens, kTagWatchEvent)).deliver);
  // Another client, a closed watch, the harness's commands: untouched.
  CHECK(transport.on_send(message(kOther, kApiServer, kTagApiRequest)).deliver);
  CHECK(transport.on_send(message(kApiServer, kTokens, kTagWatchClosed)).deliver);
  CHECK(transport.on_send(message(sim::ActorId::none(), kApiServer, 0x4150'4930)).deliver);
  CHECK(transport.partitioned(kTokens));
  CHECK(transport.remove(id));
  CHECK_FALSE(transport.remove(id));
  CHECK(transport.on_send(message(kTokens, kApiServer, kTagApiRequest)).deliver);
}

TEST_CASE("a partition loses token reviews and their answers too") {
  Transport transport(sim::Prng(1), kApiServer);
  transport.partition(kTokens);
  CHECK_FALSE(transport.on_send(message(kTokens, kApiServer, kTagTokenReview)).deliver);
  CHECK_FALSE(transport.on_send(message(kApiServer, kTokens, kTagTokenReviewResult)).deliver);
  CHECK(transport.on_send(message(kOther, kApiServer, kTagTokenReview)).deliver);
  transport.delay(kOther, sim::DurationDistribution::constant(sim::Duration::seconds(1)));
  CHECK(transport.on_send(message(kOther, kApiServer, kTagTokenReview)).extra_delay == sim::Duration::seconds(1));
}

TEST_CASE("a partition of the apiserver cuts off every client") {
  Transport transport(sim::Prng(1), kApiServer);
  transport.partition(sim::ActorId::none());
  CHECK_FALSE(transport.on_send(message(kTokens, kApiServer, kTagApiRequest)).deliver);
  CHECK_FALSE(transport.on_send(message(kApiServer, kOther, kTagWatchEvent)).deliver);
  CHECK(transport.partitioned(kApiServer));
}

TEST_CASE("delays slow the client's requests and stack") {
  Transport transport(sim::Prng(1), kApiServer);
  const auto a = transport.delay(kTokens, sim::DurationDistribution::constant(sim::Duration::seconds(1)));
  transport.delay(sim::ActorId::none(), sim::DurationDistribution::constant(sim::Duration::seconds(2)));
  CHECK(transport.on_send(message(kTokens, kApiServer, kTagApiRequest)).extra_delay == sim::Duration::seconds(3));
  CHECK(transport.on_send(message(kOther, kApiServer, kTagApiRequest)).extra_delay == sim::Duration::seconds(2));
  // Answers come back at the apiserver's pace.
  CHECK(transport.on_send(message(kApiServer, kTokens, kTagApiResponse)).extra_delay == sim::Duration::zero());
  transport.remove(a);
  CHECK(transport.on_send(message(kTokens, kApiServer, kTagApiRequest)).extra_delay == sim::Duration::seconds(2));
}

TEST_CASE("delay draws repeat with the transport's seed") {
  auto draws = [](std::uint64_t seed) {
    Transport transport(sim::Prng(seed), kApiServer);
    transport.delay(kTokens, sim::DurationDistribution::exponential(sim::Duration::seconds(1)).value());
    std::vector<sim::Duration> out;
    for (int i = 0; i < 20; ++i) out.push_back(transport.on_send(message(kTokens, kApiServer, kTagApiRequest)).extra_delay);
    return out;
  };
  CHECK(draws(4) == draws(4));
  CHECK(draws(4) != draws(5));
}

}  // namespace transport_test
}  // namespace sasim::model::faults
