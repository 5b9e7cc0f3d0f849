// Random fault schedules on a working cluster: nothing crashes, the control
// plane quiesces once the faults are healed, and every invariant holds
// except where a recorded upstream weakness explains it. A fixed handful of
// seeds keeps the default test run fast; fuzzing proper lives elsewhere.
#include <catch2/catch.hpp>

#include "properties/test_support.h"

namespace sasim::properties {
namespace {

using testing::Harness;
namespace mf = model::faults;

const char* const kActors[] = {"tokens-controller", "serviceaccounts-controller", "namespace-controller", "kubelet",
                               "apiserver"};

// Faults a real cluster can suffer. Injected 404s, or 409s on DELETE, would
// be an apiserver lying about the state, which the controllers believe
// (S8: a Conflict on a delete means "done"): not drawn here.
mf::FaultSpec random_fault(sim::Prng& prng) {
  const std::string actor = kActors[prng.below(5)];
  const std::string client = kActors[prng.below(4)];
  switch (prng.below(8)) {
    case 0:
      return mf::CrashSpec{.actor = actor, .restart_after = sim::Duration::seconds(prng.uniform_int(0, 20))};
    case 1:
      return mf::CrashAfterSpec{.actor = client,
                                .verb = prng.below(2) == 0 ? model::Verb::kCreate : model::Verb::kUpdate,
                                .resource = prng.below(2) == 0 ? model::Kind::kSecret : model::Kind::kServiceAccount};
    case 2:
      return mf::PartitionSpec{.actor = client};
    case 3:
      return mf::DelaySpec{.actor = actor,
                           .extra = sim::DurationDistribution::constant(sim::Duration::milliseconds(prng.uniform_int(1, 3000)))};
    case 4: {
      const int codes[] = {500, 429, 503};
      return mf::ErrorsSpec{.actor = actor,
                            .verbs = {prng.below(2) == 0 ? model::Verb::kCreate : model::Verb::kUpdate},
                            .rate = sim::Ratio{1, 1 + prng.below(4)},
                            .code = codes[prng.below(3)],
                            .after_commit = prng.below(2) == 0};
    }
    case 5:
      return mf::StaleSpec{.actor = prng.below(5) == 0 ? "admission" : client,
                           .lag = sim::Duration::milliseconds(prng.uniform_int(0, 5000))};
    case 6:
      return mf::DropEventsSpec{.actor = client, .count = prng.uniform_int(1, 3)};
    default:
      return mf::ApiserverRestartSpec{};
  }
}

TEST_CASE("random fault schedules never break an invariant except through a known weakness") {
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    INFO("seed " << seed);
    Harness h(seed);
    InvariantChecker checker(h.cluster);
    checker.attach();
    h.settle();
    sim::Prng prng(seed * 7919);
    for (int i = 0; i < 6; ++i) {
      std::optional<sim::Duration> for_;
      if (prng.below(2) == 0) for_ = sim::Duration::seconds(prng.uniform_int(1, 30));
      h.cluster.fault_controller().start(random_fault(prng), "f" + std::to_string(prng.below(3)), for_);
      const std::string name = "sa-" + std::to_string(i);
      h.try_send([&] {
        auto r = Harness::request(model::Verb::kCreate, model::Kind::kServiceAccount, "default", name);
        r->body = std::make_shared<const model::Object>(model::testing::service_account("default", name));
        return r;
      }());
      if (prng.below(3) == 0) h.cluster.fault_controller().heal("f" + std::to_string(prng.below(3)));
      h.run_for(sim::Duration::seconds(prng.uniform_int(0, 10)));
    }
    h.cluster.fault_controller().heal_all();
    const auto settled = h.simulator.run({.until = h.simulator.now() + sim::Duration::minutes(10), .until_quiescent = true});
    CHECK(settled.reason == sim::StopReason::kQuiescent);
    checker.check_eventually(h.simulator.now());
    for (const InvariantResult& r : checker.results()) {
      for (const Violation& v : r.violations) {
        INFO(v.invariant << ": " << v.message);
        CHECK(v.known.has_value());
      }
    }
    CHECK(checker.passed(false));
  }
}

}  // namespace
}  // namespace sasim::properties
