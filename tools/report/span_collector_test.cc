// The span collector on real runs: each span measured where it happens,
// left open where its effect never comes, and absent where its cause is.
#include "tools/report/span_collector.h"

#include <catch2/catch.hpp>

#include <string>

#include "scenarios/parser.h"
#include "sim/duration_text.h"

namespace sasim::tools {
namespace {

scenarios::Scenario parse(const std::string& text) {
  auto parsed = scenarios::parse_scenario_text(text, "test.yaml");
  if (!parsed) FAIL(parsed.error().render());
  return std::move(parsed).value();
}

scenarios::Scenario library(const std::string& name) {
  auto parsed = scenarios::parse_scenario_file(std::string(SASIM_SOURCE_DIR) + "/scenarios/library/" + name);
  if (!parsed) FAIL(parsed.error().render());
  return std::move(parsed).value();
}

reports::SeedTiming measure(const scenarios::Scenario& scenario, bool* passed = nullptr) {
  SpanCollector collector(scenario.seed, /*sample_series=*/true);
  RunOptions options;
  options.observer = &collector;
  auto record = run_scenario(scenario, options);
  REQUIRE(record.ok());
  if (passed != nullptr) *passed = record.value().passed;
  return collector.take();
}

std::vector<reports::SpanInstance> find(const reports::SeedTiming& timing, const std::string& span,
                                        const std::string& subject = "") {
  std::vector<reports::SpanInstance> out;
  for (const auto& s : timing.spans) {
    if (s.span == span && (subject.empty() || s.subject == subject)) out.push_back(s);
  }
  return out;
}

TEST_CASE("deleting a referenced token measures token-replaced and revocation") {
  bool passed = false;
  const reports::SeedTiming timing = measure(library("seed-delete-token.yaml"), &passed);
  CHECK(passed);

  const auto dsa = find(timing, "default-serviceaccount-ready", "examplens");
  REQUIRE(dsa.size() == 1);
  REQUIRE(dsa[0].end);
  CHECK(*dsa[0].end > dsa[0].start);

  const auto ready = find(timing, "token-ready", "examplens/example-automated-thing");
  REQUIRE(ready.size() == 1);
  REQUIRE(ready[0].end);
  CHECK(ready[0].end_seq > 0);

  // Deleted at 2m; the controller replaces the token soon after.
  const auto replaced = find(timing, "token-replaced", "examplens/example-automated-thing");
  REQUIRE(replaced.size() == 1);
  REQUIRE(replaced[0].end);
  CHECK(replaced[0].start >= sim::Time::from_start(sim::Duration::minutes(2)));
  CHECK(replaced[0].duration() < sim::Duration::seconds(1));

  // The scenario's last step presents the old token and sees it rejected.
  const auto revoked = find(timing, "revocation");
  REQUIRE(revoked.size() == 1);
  REQUIRE(revoked[0].end);
  CHECK(revoked[0].start == replaced[0].start);

  // No pods, no user-made token Secrets: those spans have no instances.
  CHECK(find(timing, "pod-admitted").empty());
  CHECK(find(timing, "pod-running").empty());
  CHECK(find(timing, "token-populated").empty());
}

TEST_CASE("a pod refused with ServerTimeout counts its retries until admitted") {
  bool passed = false;
  const reports::SeedTiming timing = measure(library("admission-races-token-creation.yaml"), &passed);
  CHECK(passed);
  const auto admitted = find(timing, "pod-admitted", "default/patient");
  REQUIRE(admitted.size() == 1);
  REQUIRE(admitted[0].end);
  CHECK(admitted[0].retries >= 1);
  // Each retry waits Retry-After (1 s).
  CHECK(admitted[0].duration() >= sim::Duration::seconds(admitted[0].retries));
  // The pod refused without retrying was never admitted: no span.
  CHECK(find(timing, "pod-admitted", "default/too-early").empty());
  const auto running = find(timing, "pod-running", "default/patient");
  REQUIRE(running.size() == 1);
  CHECK(running[0].end);
}

const char* kUserTokenAndOutage = R"(
name: user-token-and-outage
cluster: {serviceAccountLookup: true}
actors:
  kubelet: {podStartLatency: 1s, syncPeriod: 1h}
  workload: {authEvery: 5s}
steps:
  - create:
      apiVersion: v1
      kind: ServiceAccount
      metadata: {name: robot}
  - await: {object: serviceaccount/robot, matches: {secrets: {"<length>": 1}}}
    capture:
      TOKEN: {object: serviceaccount/robot, jsonpath: "{.secrets[0].name}"}
  - create:
      apiVersion: v1
      kind: Secret
      metadata:
        name: manual
        annotations: {kubernetes.io/service-account.name: robot}
      type: kubernetes.io/service-account-token
  - await: {object: secret/manual, matches: {data: {token: "<any>"}}}
  - create:
      apiVersion: v1
      kind: Pod
      metadata: {name: app}
      spec:
        serviceAccountName: robot
        containers: [{name: app, image: nginx}]
  - wait: 20s
  - delete: secret/${TOKEN}
  - wait: 30s
)";

TEST_CASE("a user's token Secret is populated and a revoked mounted token is an outage left open") {
  const reports::SeedTiming timing = measure(parse(kUserTokenAndOutage));
  const auto populated = find(timing, "token-populated", "default/manual");
  REQUIRE(populated.size() == 1);
  REQUIRE(populated[0].end);
  CHECK(populated[0].duration() < sim::Duration::seconds(1));

  // The pod mounted the account's first token; deleting it revokes it
  // (the authenticator looks the Secret up) and the kubelet keeps the old
  // contents mounted for an hour: the outage lasts past the end of the run.
  const auto outage = find(timing, "auth-outage", "default/app");
  REQUIRE(outage.size() == 1);
  CHECK(outage[0].open);
  // It ends with the run (§10), which settles at least 30 s after the deletion.
  REQUIRE(outage[0].end);
  CHECK(outage[0].duration() >= sim::Duration::seconds(20));
  const auto revoked = find(timing, "revocation");
  REQUIRE(revoked.size() == 1);
  REQUIRE(revoked[0].end);
  CHECK(*revoked[0].end <= outage[0].start);
  // Other spans left open have no end.
  CHECK_FALSE(revoked[0].open);
}

// A token nobody presents: its account's token Secret is deleted at 1m and
// nothing authenticates afterwards.
std::string unpresented_token(const std::string& cluster, const std::string& steps_before_delete = "") {
  return R"(
name: unpresented-token
cluster: )" + cluster + R"(
steps:
  - create: {apiVersion: v1, kind: ServiceAccount, metadata: {name: robot}}
  - await: {object: serviceaccount/robot, matches: {secrets: {"<length>": 1}}}
    capture:
      TOKEN: {object: serviceaccount/robot, jsonpath: "{.secrets[0].name}"}
)" + steps_before_delete + R"(
  - at: 1m
    delete: secret/${TOKEN}
  - wait: 30s
)";
}

TEST_CASE("revocation ends when the authenticator's cache drops the Secret though nobody presents the token") {
  const reports::SeedTiming timing = measure(parse(unpresented_token("{serviceAccountLookup: true}")));
  const auto revoked = find(timing, "revocation");
  REQUIRE(revoked.size() == 1);
  CHECK(revoked[0].subject.rfind("default/robot-token-", 0) == 0);
  REQUIRE(revoked[0].end);
  CHECK_FALSE(revoked[0].open);
  // The deletion is committed once the apiserver has served the request.
  CHECK(revoked[0].start > sim::Time::from_start(sim::Duration::minutes(1)));
  CHECK(revoked[0].start < sim::Time::from_start(sim::Duration::minutes(1) + sim::Duration::seconds(1)));
  // The apiserver's caches see the deletion one watch latency (1ms,
  // constant by default) after its commit.
  CHECK(revoked[0].duration() == sim::Duration::milliseconds(1));
}

TEST_CASE("revocation waits for a stale authenticator cache") {
  // The apiserver's own caches (admission's and the authenticator's) see
  // every event 5 s late from 30 s on.
  const reports::SeedTiming timing = measure(parse(unpresented_token(
      "{serviceAccountLookup: true}", "  - at: 30s\n    fault: {stale: {actor: admission, lag: 5s}}\n")));
  const auto revoked = find(timing, "revocation");
  REQUIRE(revoked.size() == 1);
  REQUIRE(revoked[0].end);
  CHECK(revoked[0].duration() == sim::Duration::milliseconds(5001));
}

TEST_CASE("without serviceAccountLookup a deleted token is never revoked: the span stays open") {
  const reports::SeedTiming timing = measure(parse(unpresented_token("{serviceAccountLookup: false}")));
  const auto revoked = find(timing, "revocation");
  REQUIRE(revoked.size() == 1);
  CHECK(revoked[0].open);
  CHECK_FALSE(revoked[0].end);
}

TEST_CASE("the legacy-token cleaner's label and deletion measure legacy-token-invalidated and legacy-token-cleaned") {
  // 1.30 with a two-day period: a token Secret its account lists, presented
  // once at 24 h (the apiserver writes last-used 2020-01-02; it has tracked
  // since 2020-01-01, its start). The 72 h pass keeps it (used on the date a
  // period back), the 96 h pass labels it, the 144 h pass keeps the label
  // (dated on the day a period back) and the 168 h pass deletes it.
  const reports::SeedTiming timing = measure(parse(R"(
name: legacy-spans
cluster: {version: "1.30", legacyTokenCleanUpPeriod: 48h}
limits: {time: 240h}
objects:
  - {apiVersion: v1, kind: ServiceAccount, metadata: {name: old}, secrets: [{name: old-token}]}
  - apiVersion: v1
    kind: Secret
    metadata: {name: old-token, annotations: {kubernetes.io/service-account.name: old}}
    type: kubernetes.io/service-account-token
steps:
  - settle: {}
  - authenticate: {secret: old-token}
    at: 24h
  - wait: 170h
)"));
  const auto invalidated = find(timing, "legacy-token-invalidated", "default/old-token");
  REQUIRE(invalidated.size() == 1);
  REQUIRE(invalidated[0].end);
  // From the presentation at 24 h to the label at the 96 h pass.
  CHECK(invalidated[0].start >= sim::Time::zero() + sim::Duration::hours(24));
  CHECK(invalidated[0].start < sim::Time::zero() + sim::Duration::hours(24) + sim::Duration::seconds(1));
  CHECK(*invalidated[0].end >= sim::Time::zero() + sim::Duration::hours(96));
  CHECK(*invalidated[0].end < sim::Time::zero() + sim::Duration::hours(97));
  const auto cleaned = find(timing, "legacy-token-cleaned", "default/old-token");
  REQUIRE(cleaned.size() == 1);
  REQUIRE(cleaned[0].end);
  CHECK(cleaned[0].start == *invalidated[0].end);
  CHECK(*cleaned[0].end >= sim::Time::zero() + sim::Duration::hours(168));
  CHECK(*cleaned[0].end < sim::Time::zero() + sim::Duration::hours(169));
  // Releases without a cleaner measure neither.
  const reports::SeedTiming old = measure(library("seed-delete-token.yaml"));
  CHECK(find(old, "legacy-token-invalidated").empty());
  CHECK(find(old, "legacy-token-cleaned").empty());
}

TEST_CASE("an upgrade from 1.27 to 1.30 starts the legacy-token spans - measured from a use before the upgrade") {
  // 1.27 (no cleaner) with a two-day period: the token is presented at
  // 1 h, before any upgrade (the apiserver, tracking since 2020-01-01, writes
  // last-used 2020-01-01); the control plane then goes to 1.28, 1.29 and
  // 1.30 at once. The cleaner the 1.29 controller-manager starts (about
  // 1 h in) passes daily: the 73 h pass is the first on or after 2020-01-04
  // (tracking began 2020-01-01, unused time counts from 2020-01-02) and
  // labels it; the 145 h pass is the first whose period reaches back past
  // the label's date (2020-01-04) and deletes it.
  const reports::SeedTiming timing = measure(parse(R"(
name: legacy-spans-upgrade
cluster: {version: "1.27", legacyTokenCleanUpPeriod: 48h}
limits: {time: 240h}
objects:
  - {apiVersion: v1, kind: ServiceAccount, metadata: {name: old}, secrets: [{name: old-token}]}
  - apiVersion: v1
    kind: Secret
    metadata: {name: old-token, annotations: {kubernetes.io/service-account.name: old}}
    type: kubernetes.io/service-account-token
steps:
  - settle: {}
  - authenticate: {secret: old-token}
    at: 1h
  - upgrade: {version: "1.28"}
  - upgrade: {version: "1.29"}
  - upgrade: {version: "1.30"}
  - wait: 170h
)"));
  const auto invalidated = find(timing, "legacy-token-invalidated", "default/old-token");
  REQUIRE(invalidated.size() == 1);
  REQUIRE(invalidated[0].end);
  // From the presentation at 1 h, made at 1.27, to the label.
  CHECK(invalidated[0].start >= sim::Time::zero() + sim::Duration::hours(1));
  CHECK(invalidated[0].start < sim::Time::zero() + sim::Duration::hours(1) + sim::Duration::seconds(1));
  CHECK(*invalidated[0].end >= sim::Time::zero() + sim::Duration::hours(73));
  CHECK(*invalidated[0].end < sim::Time::zero() + sim::Duration::hours(74));
  const auto cleaned = find(timing, "legacy-token-cleaned", "default/old-token");
  REQUIRE(cleaned.size() == 1);
  REQUIRE(cleaned[0].end);
  CHECK(cleaned[0].start == *invalidated[0].end);
  CHECK(*cleaned[0].end >= sim::Time::zero() + sim::Duration::hours(145));
  CHECK(*cleaned[0].end < sim::Time::zero() + sim::Duration::hours(146));
}

TEST_CASE("object counts and queue depths are sampled over simulated time") {
  const reports::SeedTiming timing = measure(library("seed-delete-token.yaml"));
  REQUIRE(timing.object_counts.size() == 6);  // one series per simulated kind, nodes and ConfigMaps included
  const reports::Series& secrets = timing.object_counts[2];
  CHECK(secrets.name == "secrets");
  REQUIRE(secrets.points.size() >= 3);
  // Four default tokens, examplens's default one and the account's: six at
  // the peak; ordered in time.
  std::int64_t peak = 0;
  for (std::size_t i = 0; i < secrets.points.size(); ++i) {
    peak = std::max(peak, secrets.points[i].second);
    if (i > 0) CHECK(secrets.points[i - 1].first < secrets.points[i].first);
  }
  CHECK(peak >= 6);
  REQUIRE(timing.queue_depths.size() == 3);
  CHECK(timing.queue_depths[0].name == "tokens-controller");
  // The serviceaccounts controller's one worker waits on each create while
  // the cluster's four namespaces and examplens queue up behind it.
  const reports::Series& accounts = timing.queue_depths[1];
  CHECK(accounts.name == "serviceaccounts-controller");
  std::int64_t deepest = 0;
  for (const auto& [t, v] : accounts.points) deepest = std::max(deepest, v);
  CHECK(deepest >= 3);
  CHECK(accounts.points.back().second == 0);
}

TEST_CASE("without series sampling only spans are kept") {
  const scenarios::Scenario scenario = library("seed-delete-token.yaml");
  SpanCollector collector(scenario.seed, /*sample_series=*/false);
  RunOptions options;
  options.observer = &collector;
  REQUIRE(run_scenario(scenario, options).ok());
  const reports::SeedTiming timing = collector.take();
  CHECK(timing.object_counts.empty());
  CHECK(timing.queue_depths.empty());
  CHECK_FALSE(timing.spans.empty());
}

}  // namespace
}  // namespace sasim::tools
