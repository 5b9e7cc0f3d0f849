// Idle elision (model/kubelet/kubelet.h, "Idle runs" and "Idle syncs"): a
// run with it and the same run without it give the same stored objects,
// token files, authentication records, invariant results (checks,
// violations and their times) and coverage counts, over seeds and versions,
// through token refreshes, a pod's deletion, an account's deletion and
// recreation, a kube-root-ca.crt deletion (republished), a token Secret's
// deletion and a fault; and a run with it really elides presentations and
// pod syncs (fewer events).
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/cluster/test_harness.h"
#include "model/coverage/probes.h"
#include "model/faults/fault_spec.h"
#include "model/objects/codec.h"
#include "model/versions/behaviour.h"
#include "model/versions/feature_gates.h"
#include "properties/checker.h"

namespace sasim::properties {
namespace {

using model::Kind;
using model::testing::Harness;

struct Outcome {
  std::vector<std::string> objects;
  std::vector<std::string> auth;
  std::vector<std::string> files;
  std::vector<std::string> invariants;
  std::vector<std::uint64_t> coverage;
  std::uint64_t elided = 0;
  std::uint64_t elided_syncs = 0;
  std::uint64_t events = 0;
};

model::ClusterConfig release(int minor, bool elide) {
  model::ClusterConfig config = model::default_cluster_config();
  config.version = "1." + std::to_string(minor);
  auto gates = model::versions::resolve_feature_gates(model::versions::KubeVersion{minor}, {});
  REQUIRE(gates.ok());
  config.behaviour = model::versions::behaviour_of(gates.value());
  config.kubelet.idle_elision = elide;
  return config;
}

enum class Script { kLifecycle, kFault };

Outcome run_world(int minor, std::uint64_t seed, bool elide, Script script) {
  Harness h(seed, release(minor, elide));
  std::vector<std::string> names;
  for (const InvariantInfo& info : all_invariants()) names.emplace_back(info.name);
  InvariantChecker checker(h.cluster, names, nullptr, EvaluationMode::kIncremental);
  h.cluster.apiserver().add_observer(&checker);
  std::uint64_t events = 0;
  auto run_for = [&](sim::Duration d) {
    events += h.simulator.run({.until = h.simulator.now() + d}).events;
    h.cluster.kubelet().account_idle_runs();
    checker.check_eventually(h.simulator.now());
  };
  run_for(sim::Duration::minutes(1));
  REQUIRE(h.create(model::testing::service_account("default", "robot")).ok());
  run_for(sim::Duration::seconds(5));
  REQUIRE(h.create(model::testing::pod("default", "a")).ok());
  REQUIRE(h.create(model::testing::pod("default", "b", "robot")).ok());
  REQUIRE(h.create(model::testing::pod("default", "c")).ok());
  run_for(sim::Duration::minutes(30));
  if (script == Script::kFault) {
    h.cluster.fault_controller().start(model::faults::PartitionSpec{"kubelet"}, "cut", sim::Duration::minutes(2));
    run_for(sim::Duration::minutes(10));
  }
  REQUIRE(h.remove(Kind::kPod, "default", "a").ok());
  run_for(sim::Duration::minutes(20));
  REQUIRE(h.remove(Kind::kServiceAccount, "default", "robot").ok());
  run_for(sim::Duration::minutes(20));
  // Recreated: b's kubelet keeps the token minted for the old account until
  // its refresh point, then gets one for the new account.
  REQUIRE(h.create(model::testing::service_account("default", "robot")).ok());
  run_for(sim::Duration::minutes(70));
  // The root-CA publisher puts kube-root-ca.crt back: a ConfigMap change
  // the projected volumes read (1.21+).
  if (h.store().get(Kind::kConfigMap, "default", "kube-root-ca.crt")) {
    REQUIRE(h.remove(Kind::kConfigMap, "default", "kube-root-ca.crt").ok());
    run_for(sim::Duration::minutes(5));
  }
  // The default account's token Secret (1.20-1.23 generate one): its pods'
  // mounted tokens stop authenticating.
  for (const model::ObjectPtr& secret : h.store().list(Kind::kSecret)) {
    const auto& s = std::get<model::Secret>(*secret);
    if (s.metadata.namespace_ == "default" && s.metadata.name.starts_with("default-token-")) {
      REQUIRE(h.remove(Kind::kSecret, "default", s.metadata.name).ok());
      break;
    }
  }
  run_for(sim::Duration::minutes(80));

  Outcome out;
  out.events = events;
  out.elided = h.cluster.kubelet().elided_presentations();
  out.elided_syncs = h.cluster.kubelet().elided_syncs();
  // The kubelet's probes (K1-K13): an elided sync counts what it would have
  // hit. (The authenticator's per-review probes, V1-V6, are not counted for
  // elided presentations: a run is judged once.)
  for (auto probe = model::coverage::index_of(model::coverage::Probe::kK1TokenRequested);
       probe <= model::coverage::index_of(model::coverage::Probe::kK13TerminatingNotRotated); ++probe) {
    out.coverage.push_back(h.simulator.coverage().count(probe));
  }
  for (Kind kind : model::kAllKinds) {
    for (const model::ObjectPtr& object : h.store().list(kind)) out.objects.push_back(model::encode_object(*object).dump());
  }
  for (const model::kubelet::AuthRecord& r : h.cluster.kubelet().auth_log()) {
    out.auth.push_back(fmt::format("{}/{} {}..{} x{} secret={} ok={} user={} error={}", r.namespace_, r.pod,
                                   r.time.since_start().ns(), r.last.since_start().ns(), r.count, r.secret,
                                   r.authenticated, r.username, r.error));
  }
  for (const model::kubelet::TokenFileChange& c : h.cluster.kubelet().token_file_log()) {
    out.files.push_back(fmt::format("{}/{} {} minted={} previous={}", c.namespace_, c.pod, c.time.since_start().ns(),
                                    c.minted ? c.minted->since_start().ns() : -1,
                                    c.previous_minted ? c.previous_minted->since_start().ns() : -1));
  }
  for (const InvariantResult& r : checker.results()) {
    std::string line = fmt::format("{} checks={} violations={} known={}", r.info.name, r.checks, r.violation_count,
                                   r.known_count);
    for (const Violation& v : r.violations) line += fmt::format(" [{} {}]", v.time.since_start().ns(), v.message);
    out.invariants.push_back(std::move(line));
  }
  return out;
}

void check_same(const Outcome& with, const Outcome& without) {
  CHECK(with.objects == without.objects);
  CHECK(with.auth == without.auth);
  CHECK(with.files == without.files);
  CHECK(with.invariants == without.invariants);
  CHECK(with.coverage == without.coverage);
}

TEST_CASE("idle elision: with and without it the same objects and records and invariant results") {
  for (int minor : {20, 25, 30}) {
    for (std::uint64_t seed : {1, 2, 3}) {
      INFO("1." << minor << " seed " << seed);
      const Outcome with = run_world(minor, seed, true, Script::kLifecycle);
      const Outcome without = run_world(minor, seed, false, Script::kLifecycle);
      check_same(with, without);
      // Something to compare: presentations, some failing.
      CHECK(without.auth.size() >= 3);
      // It is used: most presentations were accounted for in runs.
      CHECK(with.elided > 1000);
      CHECK(without.elided == 0);
      CHECK(without.elided_syncs == 0);
      // Projected volumes (1.21+): most syncs find nothing to do. 1.20's
      // Secret volumes are read with a GET on every sync: never elided.
      if (minor >= 21) {
        CHECK(with.elided_syncs > 100);
      } else {
        CHECK(with.elided_syncs == 0);
      }
      CHECK(with.events * 2 < without.events);
    }
  }
}

TEST_CASE("idle elision: a fault ends it and the run stays the same as one without it") {
  for (int minor : {20, 25, 30}) {
    for (std::uint64_t seed : {4, 5}) {
      INFO("1." << minor << " seed " << seed);
      const Outcome with = run_world(minor, seed, true, Script::kFault);
      const Outcome without = run_world(minor, seed, false, Script::kFault);
      check_same(with, without);
      CHECK(with.elided > 100);  // before the fault
    }
  }
}

// Writes close only the runs whose answers read what they write: the pod,
// its namespace and ServiceAccount, and the objects its token's claims name
// (model/cluster/idle_horizon.h). The equality tests above show that the
// results are those of a run without elision; this shows the runs left open.
TEST_CASE("idle elision: a write closes only the idle runs that read what it writes") {
  Harness h(1, release(25, true));
  h.run_for(sim::Duration::minutes(1));  // the control plane starts
  REQUIRE(h.create(model::testing::service_account("default", "robot")).ok());
  REQUIRE(h.create(model::testing::pod("default", "a")).ok());
  REQUIRE(h.create(model::testing::pod("default", "b", "robot")).ok());
  h.run_for(sim::Duration::minutes(10));
  model::kubelet::Kubelet& kubelet = h.cluster.kubelet();
  const std::uint64_t settled = kubelet.idle_runs_closed();
  const std::uint64_t elided = kubelet.elided_presentations();
  h.run_for(sim::Duration::minutes(1));
  // Both processes are in runs: a minute of presentations is accounted for.
  kubelet.account_idle_runs();
  CHECK(kubelet.elided_presentations() >= elided + 2 * 5);
  REQUIRE(kubelet.idle_runs_closed() == settled);

  SECTION("objects no run reads") {
    REQUIRE(h.create(model::testing::service_account("default", "unused")).ok());
    REQUIRE(h.patch(Kind::kConfigMap, "default", "kube-root-ca.crt", {{"metadata", {{"labels", {{"x", "1"}}}}}}).ok());
    REQUIRE(h.create(model::testing::service_account("kube-system", "robot")).ok());
    h.run_for(sim::Duration::minutes(1));
    CHECK(kubelet.idle_runs_closed() == settled);
  }
  SECTION("b's ServiceAccount: b's run only") {
    REQUIRE(h.patch(Kind::kServiceAccount, "default", "robot", {{"metadata", {{"labels", {{"x", "1"}}}}}}).ok());
    CHECK(kubelet.idle_runs_closed() == settled + 1);
  }
  SECTION("pod a: a's run only") {
    REQUIRE(h.patch(Kind::kPod, "default", "a", {{"metadata", {{"labels", {{"x", "1"}}}}}}).ok());
    CHECK(kubelet.idle_runs_closed() == settled + 1);
  }
  SECTION("their namespace: both runs") {
    REQUIRE(h.patch(Kind::kNamespace, "", "default", {{"metadata", {{"labels", {{"x", "1"}}}}}}).ok());
    CHECK(kubelet.idle_runs_closed() == settled + 2);
  }
}

// One pod on 1.25 for 5 h, its token refreshed about every 48 minutes: its
// presentations, how many were dispatched, and the refreshes.
struct OnePodFiveHours {
  std::uint64_t presented = 0;
  std::uint64_t dispatched = 0;
  std::size_t refreshes = 0;
  std::size_t records = 0;
  bool all_authenticated = true;
  std::uint64_t runs_closed = 0;
};

OnePodFiveHours one_pod_for_five_hours() {
  Harness h(2, release(25, true));
  h.run_for(sim::Duration::minutes(1));
  REQUIRE(h.create(model::testing::pod("default", "a")).ok());
  h.run_for(sim::Duration::hours(5));
  model::kubelet::Kubelet& kubelet = h.cluster.kubelet();
  kubelet.account_idle_runs();
  OnePodFiveHours out;
  for (const model::kubelet::AuthRecord& r : kubelet.auth_log()) {
    out.presented += r.count;
    out.all_authenticated = out.all_authenticated && r.authenticated;
  }
  out.records = kubelet.auth_log().size();
  for (const model::kubelet::TokenFileChange& c : kubelet.token_file_log()) out.refreshes += c.previous_minted ? 1 : 0;
  out.dispatched = out.presented - kubelet.elided_presentations();
  out.runs_closed = kubelet.idle_runs_closed();
  return out;
}

// A refresh writes a new token to the file; the process holds the old one
// until its next re-read (every minute), which the run waits for instead
// of ending at the write: a refresh costs a presentation or two at most,
// not one every 10 s until the re-read.
TEST_CASE("idle elision: a run outlasts a token refresh until the process re-reads its file") {
  const OnePodFiveHours run = one_pod_for_five_hours();
  REQUIRE(run.refreshes >= 5);
  INFO(run.presented << " presentations, " << run.dispatched << " dispatched, " << run.refreshes << " refreshes");
  CHECK(run.dispatched <= 2 * (run.refreshes + 1));
}

TEST_CASE("idle elision: a token refresh hands the run over without dispatching the new token's presentation") {
  // The apiserver answers the new token's first presentation from what it
  // knows (answer_review), and the next run starts at that tick.
  const OnePodFiveHours run = one_pod_for_five_hours();
  REQUIRE(run.refreshes >= 5);
  INFO(run.presented << " presentations, " << run.dispatched << " dispatched, " << run.refreshes << " refreshes");
  CHECK(run.all_authenticated);
  CHECK(run.records == 1);
  // The first presentation starts the first run; every refresh after it
  // hands its run over.
  CHECK(run.dispatched == 1);
  CHECK(run.runs_closed == run.refreshes);
  // One every 10 s from the first tick to the last answered.
  CHECK(run.presented > 5 * 360 - 10);
}

}  // namespace
}  // namespace sasim::properties
