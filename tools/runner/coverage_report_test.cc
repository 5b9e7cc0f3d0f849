// Rule coverage probes seen from a run: a scenario that takes a path hits
// its probe, one that does not take it does not; and the report's counts,
// text and JSON (which must merge by addition).
#include "tools/runner/coverage_report.h"

#include <catch2/catch.hpp>
#include <string>

#include <fmt/format.h>

#include "model/versions/feature_gates.h"
#include "scenarios/parser.h"
#include "tools/runner/runner.h"

namespace sasim::tools {
namespace {

using model::coverage::Probe;

model::versions::Behaviour release(const char* version) {
  const auto gates = model::versions::resolve_feature_gates(*model::versions::KubeVersion::parse(version), {});
  return model::versions::behaviour_of(gates.value());
}

reports::RunRecord run_yaml(const std::string& yaml) {
  auto parsed = scenarios::parse_scenario_text(yaml, "inline.yaml");
  if (!parsed) FAIL(parsed.error().render());
  REQUIRE(parsed.ok());
  auto record = run_scenario(parsed.value(), RunOptions{});
  REQUIRE(record.ok());
  return std::move(record).value();
}

std::uint64_t hits(const reports::RunRecord& record, Probe probe) {
  const std::uint32_t i = model::coverage::index_of(probe);
  return i < record.coverage.size() ? record.coverage[i] : 0;
}

// An account whose token Secret a user deletes two minutes later: T5
// removes the reference, and T3 creates a replacement.
constexpr const char* kTokenDeleted = R"(name: token-deleted
steps:
  - create: {apiVersion: v1, kind: ServiceAccount, metadata: {name: robot}}
  - await: {object: serviceaccount/robot, matches: {secrets: {"<length>": 1}}}
    capture:
      OLD: {object: serviceaccount/robot, jsonpath: "{.secrets[0].name}"}
  - at: 2m
    delete: secret/${OLD}
  - settle: {}
)";

// The same deletion at once, within the mutation cache's 60 s: the known
// weakness #45933 (the cache still returns the Secret, so T5 removes nothing).
constexpr const char* kTokenDeletedAtOnce = R"(name: token-deleted-at-once
steps:
  - create: {apiVersion: v1, kind: ServiceAccount, metadata: {name: robot}}
  - await: {object: serviceaccount/robot, matches: {secrets: {"<length>": 1}}}
    capture:
      OLD: {object: serviceaccount/robot, jsonpath: "{.secrets[0].name}"}
  - delete: secret/${OLD}
  - settle: {}
)";

// The same account, left alone.
constexpr const char* kTokenKept = R"(name: token-kept
steps:
  - create: {apiVersion: v1, kind: ServiceAccount, metadata: {name: robot}}
  - settle: {}
)";

TEST_CASE("a run that deletes a referenced token hits T5's probe and one that does not does not") {
  const reports::RunRecord deleted = run_yaml(kTokenDeleted);
  const reports::RunRecord kept = run_yaml(kTokenKept);
  CHECK(deleted.passed);
  CHECK(kept.passed);
  CHECK(hits(deleted, Probe::kT5ReferenceRemoved) == 1);
  CHECK(hits(kept, Probe::kT5ReferenceRemoved) == 0);
  // Both referenced a token for robot and for each namespace's `default`;
  // the deletion one more, the replacement.
  CHECK(hits(kept, Probe::kT3_7ReferenceAdded) >= 1);
  CHECK(hits(deleted, Probe::kT3_7ReferenceAdded) == hits(kept, Probe::kT3_7ReferenceAdded) + 1);
  // Nothing went wrong, so no weakness path was taken.
  for (const model::coverage::ProbeInfo& row : model::coverage::probe_table()) {
    if (row.weakness.empty()) continue;
    INFO(row.id);
    CHECK(hits(deleted, row.probe) == 0);
    CHECK(hits(kept, row.probe) == 0);
  }
}

TEST_CASE("a token deleted within the mutation cache's minute hits the known weakness's probe and not T5's") {
  const reports::RunRecord at_once = run_yaml(kTokenDeletedAtOnce);
  CHECK(hits(at_once, Probe::kT5DeletedTokenHiddenByMutationCache) == 1);
  CHECK(hits(at_once, Probe::kT5ReferenceRemoved) == 0);
}

// A pod created before its account has a token: admission's L1.
constexpr const char* kPodTooEarly = R"(name: too-early
steps:
  - create: {apiVersion: v1, kind: ServiceAccount, metadata: {name: robot}}
  - create:
      apiVersion: v1
      kind: Pod
      metadata: {name: too-early}
      spec:
        serviceAccountName: robot
        containers: [{name: app, image: nginx}]
    expect: {error: {reason: ServerTimeout}}
)";

// The same pod once the token exists (and admission's cache has seen it,
// a watch delivery after the store: hence the settle): L2 mounts it.
constexpr const char* kPodInTime = R"(name: in-time
steps:
  - create: {apiVersion: v1, kind: ServiceAccount, metadata: {name: robot}}
  - await: {object: serviceaccount/robot, matches: {secrets: {"<length>": 1}}}
  - settle: {timeout: 1m}
  - create:
      apiVersion: v1
      kind: Pod
      metadata: {name: in-time}
      spec:
        serviceAccountName: robot
        containers: [{name: app, image: nginx}]
)";

TEST_CASE("a pod refused for want of a token hits L1's probe and one admitted with it hits L2's instead") {
  const reports::RunRecord early = run_yaml(kPodTooEarly);
  const reports::RunRecord in_time = run_yaml(kPodInTime);
  CHECK(early.passed);
  CHECK(in_time.passed);
  CHECK(hits(early, Probe::kL1NoApiToken) == 1);
  CHECK(hits(early, Probe::kL2TokenSecretMounted) == 0);
  CHECK(hits(in_time, Probe::kL1NoApiToken) == 0);
  CHECK(hits(in_time, Probe::kL2TokenSecretMounted) == 1);
  CHECK(hits(in_time, Probe::kR6TokenMounted) == 1);
}

// The account's deletion event never reaches the tokens controller: the
// watch hub takes the watch-event-lost path (a known weakness), and T2 never
// runs. Without the fault, T2 deletes the token and nothing is lost.
constexpr const char* kDeletionLost = R"(name: deletion-lost
steps:
  - create: {apiVersion: v1, kind: ServiceAccount, metadata: {name: robot}}
  - await: {object: serviceaccount/robot, matches: {secrets: {"<length>": 1}}}
  - settle: {timeout: 1m}
  - fault: {dropEvents: {actor: tokens-controller, resources: [serviceaccounts], count: 1}}
  - delete: serviceaccount/robot
  - settle: {timeout: 1m}
)";
constexpr const char* kDeletionSeen = R"(name: deletion-seen
steps:
  - create: {apiVersion: v1, kind: ServiceAccount, metadata: {name: robot}}
  - await: {object: serviceaccount/robot, matches: {secrets: {"<length>": 1}}}
  - delete: serviceaccount/robot
  - settle: {timeout: 1m}
)";

TEST_CASE("a dropped watch event hits the watch-event-lost probe and not T2's and a delivered one the reverse") {
  const reports::RunRecord lost = run_yaml(kDeletionLost);
  const reports::RunRecord seen = run_yaml(kDeletionSeen);
  CHECK(hits(lost, Probe::kS2WatchEventLost) == 1);
  CHECK(hits(lost, Probe::kT2AccountGoneTokensDeleted) == 0);
  CHECK(hits(seen, Probe::kS2WatchEventLost) == 0);
  CHECK(hits(seen, Probe::kT2AccountGoneTokensDeleted) >= 1);
}

TEST_CASE("the same scenario run twice counts the same hits (probes are deterministic)") {
  const reports::RunRecord a = run_yaml(kTokenDeleted);
  const reports::RunRecord b = run_yaml(kTokenDeleted);
  CHECK(a.coverage == b.coverage);
  CHECK(a.trace_digest == b.trace_digest);
  CHECK(!a.coverage.empty());
}

TEST_CASE("coverage summaries count probes and rules and list what was not reached with its rule") {
  std::vector<std::uint64_t> counts(model::coverage::kProbeCount, 0);
  const std::vector<model::versions::Behaviour> v120{release("1.20")};
  CoverageSummary none = summarize_coverage({}, v120);
  CHECK(none.probes == model::coverage::kProbeCount);
  CHECK(none.probes_reached == 0);
  CHECK(none.rules_reached == 0);
  CHECK(none.missed.size() + none.unreachable.size() == none.probes);

  counts[model::coverage::index_of(Probe::kT3_7ReferenceAdded)] = 3;
  counts[model::coverage::index_of(Probe::kT3_7AccountReplaced)] = 1;
  counts[model::coverage::index_of(Probe::kT1AccountCacheError)] = 1;
  const CoverageSummary some = summarize_coverage(counts, v120);
  CHECK(some.probes_reached == 3);
  CHECK(some.rules_reached == 2);  // T3.7 twice, T1
  const std::string text = render_coverage_summary(counts, v120);
  CHECK_THAT(text, Catch::StartsWith(fmt::format("coverage: 3 of {} probes reached (2 of {} rules)\n",
                                                 some.probes, some.rules)));
  CHECK_THAT(text, Catch::Contains("T3.8-unreferenced-token-deleted (T3.8)"));
  CHECK_THAT(text, Catch::Contains("not reached, not reachable in 1.20: "));
  CHECK_THAT(text, !Catch::Contains("T3.7-reference-added"));
  CHECK_THAT(text, !Catch::Contains("T1-account-cache-error"));
  CHECK_THAT(text, Catch::Contains("T4-secret-cache-error (T4)"));
}

TEST_CASE("what a campaign cannot reach follows the releases it ran on") {
  const std::vector<std::uint64_t> none;
  auto unreachable = [](const CoverageSummary& s, Probe probe) {
    for (std::size_t i = 0; i < s.unreachable.size(); ++i) {
      if (s.unreachable[i]->probe == probe) return s.unreachable_reasons[i];
    }
    return std::string();
  };
  // 1.20 mounts token Secrets and generates them: the kubelet's token
  // manager and the projected volume are out of reach, T3 is not.
  const CoverageSummary v120 = summarize_coverage(none, {release("1.20")});
  CHECK(v120.releases == "1.20");
  CHECK(unreachable(v120, Probe::kK1TokenRequested) == "admission mounts the token Secret, not a projected token, in 1.20");
  CHECK(unreachable(v120, Probe::kT3_7ReferenceAdded).empty());
  CHECK(unreachable(v120, Probe::kL2TokenSecretMounted).empty());
  // 1.30 generates no token Secrets and mounts projected tokens.
  const CoverageSummary v130 = summarize_coverage(none, {release("1.30")});
  CHECK(unreachable(v130, Probe::kT3_7ReferenceAdded) == "the tokens controller generates no token Secrets in 1.30");
  CHECK(unreachable(v130, Probe::kL2TokenSecretMounted) ==
        "admission mounts a projected token, not a token Secret, in 1.30");
  CHECK(unreachable(v130, Probe::kK1TokenRequested).empty());
  CHECK(unreachable(v130, Probe::kV4IssuerRejected) == "no issuer is checked after verification in 1.30");
  CHECK(unreachable(summarize_coverage(none, {release("1.32")}), Probe::kV4IssuerRejected).empty());
  // Over a range, a path is reachable if one release has it.
  const CoverageSummary range = summarize_coverage(none, {release("1.20"), release("1.30")});
  CHECK(range.releases == "1.20-1.30");
  CHECK(unreachable(range, Probe::kT3_7ReferenceAdded).empty());
  CHECK(unreachable(range, Probe::kK1TokenRequested).empty());
  // Defensive paths are out of reach everywhere, with the registry's reason.
  CHECK_FALSE(unreachable(range, Probe::kT1AccountCacheError).empty());
  CHECK_THAT(render_coverage_summary(none, {release("1.30")}),
             Catch::Contains("not reached, not reachable in 1.30: ") && Catch::Contains("T3.7-reference-added (T3.7)"));
}

TEST_CASE("coverage JSON holds every probe's count and merges by adding equal keys") {
  std::vector<std::uint64_t> a(model::coverage::kProbeCount, 0), b(model::coverage::kProbeCount, 0);
  a[model::coverage::index_of(Probe::kL1NoApiToken)] = 2;
  b[model::coverage::index_of(Probe::kL1NoApiToken)] = 5;
  b[model::coverage::index_of(Probe::kV6Authenticated)] = 1;
  const nlohmann::json ja = coverage_json(a);
  const nlohmann::json jb = coverage_json(b);
  CHECK(ja.size() == model::coverage::kProbeCount);
  CHECK(ja["L1-no-api-token"] == 2);
  CHECK(ja["V6-authenticated"] == 0);
  // What a merge of two shards' files does: add the counts of equal keys.
  nlohmann::json merged = ja;
  for (const auto& [id, count] : jb.items()) merged[id] = merged[id].get<std::uint64_t>() + count.get<std::uint64_t>();
  auto counts = coverage_from_json(merged);
  REQUIRE(counts.ok());
  CHECK(counts.value()[model::coverage::index_of(Probe::kL1NoApiToken)] == 7);
  CHECK(counts.value()[model::coverage::index_of(Probe::kV6Authenticated)] == 1);
  CHECK(coverage_from_json(ja).value() == a);

  CHECK_FALSE(coverage_from_json(nlohmann::json{{"no-such-probe", 1}}).ok());
  CHECK_FALSE(coverage_from_json(nlohmann::json{{"L1-no-api-token", "x"}}).ok());
  CHECK_FALSE(coverage_from_json(nlohmann::json::array()).ok());
}

}  // namespace
}  // namespace sasim::tools
