#include "sim/testing/gossip.h"

#include <string>

#include "sim/check.h"
#include "sim/link_faults.h"

namespace sasim::sim::testing {
namespace {

enum Tag : std::uint64_t { kWake = 1, kRumor = 2, kAck = 3 };

// A rumor or its acknowledgement, numbered by the rumor's sender.
struct Rumor final : Payload {
  Rumor(const char* kind_name, std::uint64_t rumor_number) : kind(kind_name), number(rumor_number) {}
  std::string describe() const override { return std::string(kind) + " #" + std::to_string(number); }
  const char* kind;
  std::uint64_t number;
};

}  // namespace

class Gossip::Network {
 public:
  explicit Network(Prng prng) : faults(prng) {}
  LinkFaults faults;
};

class Gossip::Peer final : public Actor {
 public:
  Peer(const GossipOptions& options, std::vector<ActorId>& peers) : options_(options), peers_(peers) {}

  void on_start(Context& ctx) override { schedule_wake(ctx); }

  void on_timer(Context& ctx, TimerId, std::uint64_t) override {
    if (ctx.now() >= Time::zero() + options_.horizon) return;
    const ActorId to = peers_[ctx.prng().below(peers_.size())];
    ++stats.rumors_sent;
    ctx.send(to, options_.latency.sample(ctx.prng()), kRumor, std::make_unique<Rumor>("rumor", stats.rumors_sent));
    schedule_wake(ctx);
  }

  void on_message(Context& ctx, Message& message) override {
    if (message.tag == kRumor) {
      ++stats.rumors_heard;
      const auto number = message.payload_as<Rumor>()->number;
      if (message.from.valid()) {
        ctx.reply(message, options_.latency.sample(ctx.prng()), kAck, std::make_unique<Rumor>("ack", number));
      }
    } else if (message.tag == kAck) {
      ++stats.acks_heard;
    }
  }

  // Counters are statistics of the whole run, so they survive crashes on purpose.
  GossipStats stats;

 private:
  void schedule_wake(Context& ctx) {
    const auto think = DurationDistribution::exponential(options_.think_time).value();
    ctx.set_timer(think.sample(ctx.prng()), kWake);
  }

  const GossipOptions& options_;
  std::vector<ActorId>& peers_;
};

Gossip::Gossip(Simulator& sim, const GossipOptions& options)
    : sim_(sim), options_(options), network_(std::make_unique<Network>(sim.fork_prng())) {
  SIM_CHECK(options_.peers > 0, "gossip needs at least one peer");
  for (int i = 0; i < options_.peers; ++i) {
    auto peer = std::make_unique<Peer>(options_, ids_);
    peers_.push_back(peer.get());
    ids_.push_back(sim.add_actor("peer-" + std::to_string(i), std::move(peer)));
  }
  sim.set_link_policy(&network_->faults);

  Prng plan = sim.fork_prng();
  network_->faults.lossy(ids_[plan.below(ids_.size())], options_.loss);
  for (int i = 0; i < options_.crashes; ++i) {
    const ActorId victim = ids_[plan.below(ids_.size())];
    const Time at = Time::zero() + Duration::nanoseconds(plan.uniform_int(0, options_.horizon.ns()));
    sim.crash_at(at, victim, options_.restart_after);
  }
}

Gossip::~Gossip() { sim_.set_link_policy(nullptr); }

GossipStats Gossip::stats() const {
  GossipStats total;
  for (const Peer* peer : peers_) {
    total.rumors_sent += peer->stats.rumors_sent;
    total.rumors_heard += peer->stats.rumors_heard;
    total.acks_heard += peer->stats.acks_heard;
  }
  return total;
}

}  // namespace sasim::sim::testing
