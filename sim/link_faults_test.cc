#include "sim/link_faults.h"

#include <catch2/catch.hpp>

namespace sasim::sim {
namespace {

constexpr ActorId kA{0}, kB{1}, kC{2};

SendInfo between(ActorId from, ActorId to) { return SendInfo{from, to, 0, nullptr, Time::zero()}; }

TEST_CASE("isolation drops traffic in both directions until healed", "[link_faults]") {
  LinkFaults faults(Prng(1));
  CHECK(faults.on_send(between(kA, kB)).deliver);
  faults.isolate(kB);
  CHECK_FALSE(faults.on_send(between(kA, kB)).deliver);
  CHECK_FALSE(faults.on_send(between(kB, kA)).deliver);
  CHECK(faults.on_send(between(kA, kC)).deliver);
  faults.heal(kB);
  CHECK(faults.on_send(between(kA, kB)).deliver);
}

TEST_CASE("slow links add delay from both ends", "[link_faults]") {
  LinkFaults faults(Prng(1));
  faults.slow(kA, DurationDistribution::constant(Duration::milliseconds(3)));
  faults.slow(kB, DurationDistribution::constant(Duration::milliseconds(4)));
  CHECK(faults.on_send(between(kA, kB)).extra_delay == Duration::milliseconds(7));
  CHECK(faults.on_send(between(kC, kB)).extra_delay == Duration::milliseconds(4));
  faults.heal_all();
  CHECK(faults.on_send(between(kA, kB)).extra_delay == Duration::zero());
}

TEST_CASE("lossy links drop about their ratio", "[link_faults]") {
  LinkFaults faults(Prng(3));
  faults.lossy(kA, Ratio{1, 10});
  int delivered = 0;
  constexpr int kSends = 100'000;
  for (int i = 0; i < kSends; ++i) delivered += faults.on_send(between(kA, kB)).deliver ? 1 : 0;
  // Binomial(1e5, 0.9): sd is about 95.
  CHECK(delivered > 90'000 - 600);
  CHECK(delivered < 90'000 + 600);
}

}  // namespace
}  // namespace sasim::sim
