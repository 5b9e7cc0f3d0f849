// Upstream's TestLegacyServiceAccountTokenCleanUp (behaviour reference 7.9,
// 21 cases) as our tests, each asserting the cleaner's exact ordered list of
// API actions against a fake apiserver, plus the 1.28 alpha's direct
// deletion, the pass timing, errors and restarts. The case names are
// upstream's with their commas as dashes (ctest's discovery splits at commas).
//
// Harness: the ServiceAccount, the token Secret and the pods are Existing
// objects (the informers' initial LIST); the tracking ConfigMap and the
// Secret are ClientObjects (the API's state). The cleaner's first pass runs
// when its informers sync, at time 0, while the API has no ConfigMap yet:
// it stops after its GET (a warm-up whose actions are discarded). Then the
// case's ClientObjects are installed and the second pass, `kInterval` later,
// is the case: "now" is the epoch plus kInterval. Upstream's cases are
// relative to time.Now(); ours are relative to that instant.
#include "model/controllers/legacy_token_cleaner.h"

#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/controllers/testing/fake_apiserver.h"
#include "model/objects/constants.h"
#include "model/objects/timestamp.h"
#include "sim/simulator.h"

namespace sasim::model::controllers {
namespace {

using testing::FakeApiServer;
using testing::Reactor;

constexpr std::int64_t kEpoch = 1640995200;  // 2022-01-01T00:00:00Z
constexpr std::int64_t kDay = 24 * 3600;
const sim::Duration kInterval = sim::Duration::hours(24 * 900);
constexpr std::int64_t kNow = kEpoch + 900 * kDay;  // 2024-06-19
const sim::Duration kYear = sim::Duration::hours(8760);

std::string date(std::int64_t unix_seconds) { return format_label_date(unix_seconds); }
const std::string kToday = date(kNow);

// Relative dates, as upstream's fixtures write them.
std::string days_ago(int days) { return date(kNow - days * kDay); }

struct SecretArgs {
  std::optional<std::string> last_used{};
  std::optional<std::string> invalid_since{};
  bool created_late = false;  // created a day before "now"; otherwise at the epoch, 900 days before
  std::string sa_name = "default";
  std::string sa_uid = "12345";
  bool deleted = false;
  std::string type = std::string(kSecretTypeServiceAccountToken);
};

// legacyTokenSecret: token-secret-1, uid 23456, RV 1.
Secret token_secret(const SecretArgs& args) {
  Secret secret;
  secret.metadata.name = "token-secret-1";
  secret.metadata.namespace_ = "default";
  secret.metadata.uid = "23456";
  secret.metadata.resource_version = 1;
  secret.metadata.creation_timestamp = args.created_late ? sim::Time::zero() + (kInterval - sim::Duration::hours(24))
                                                         : sim::Time::zero();
  if (args.deleted) secret.metadata.deletion_timestamp = sim::Time::zero();
  if (!args.sa_name.empty()) secret.metadata.annotations[std::string(kServiceAccountNameKey)] = args.sa_name;
  if (!args.sa_uid.empty()) secret.metadata.annotations[std::string(kServiceAccountUidKey)] = args.sa_uid;
  if (args.last_used) secret.metadata.labels[std::string(kLastUsedLabel)] = *args.last_used;
  if (args.invalid_since) secret.metadata.labels[std::string(kInvalidSinceLabel)] = *args.invalid_since;
  secret.type = args.type;
  secret.data[std::string(kServiceAccountTokenKey)] = DataValue("ABC");
  return secret;
}

ServiceAccount service_account(bool references_token = true) {
  ServiceAccount sa;
  sa.metadata.name = "default";
  sa.metadata.namespace_ = "default";
  sa.metadata.uid = "12345";
  sa.metadata.resource_version = 1;
  if (references_token) sa.secrets.push_back(ObjectReference{.name = "token-secret-1"});
  return sa;
}

Pod pod_mounting(const std::string& secret_name) {
  Pod pod;
  pod.metadata.name = "pod-1";
  pod.metadata.namespace_ = "default";
  pod.metadata.uid = "pod-uid";
  pod.metadata.resource_version = 1;
  Volume volume;
  volume.name = "token";
  volume.secret.emplace();
  volume.secret->secret_name = secret_name;
  pod.spec.volumes.push_back(volume);
  return pod;
}

ConfigMap tracking_config_map(std::optional<std::string> since) {
  ConfigMap cm;
  cm.metadata.name = std::string(kLegacyTokenTrackingConfigMap);
  cm.metadata.namespace_ = "kube-system";
  cm.metadata.resource_version = 1;
  if (since) cm.data[std::string(kLegacyTokenTrackingSinceKey)] = *since;
  return cm;
}

const std::string kGet =
    "get configmaps kube-system/kube-apiserver-legacy-service-account-token-tracking";
std::string patch_today() {
  return "patch secrets default/token-secret-1 "
         "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"labels\":{\"kubernetes.io/"
         "legacy-token-invalid-since\":\"" +
         kToday + "\"},\"name\":\"token-secret-1\",\"namespace\":\"default\",\"uid\":\"23456\"}}";
}
const std::string kDelete = "delete secrets default/token-secret-1 {rv=1}";

struct CleanerCase {
  // nullopt: no ConfigMap; a ConfigMap without `since` is {""} turned off by `no_since`.
  std::optional<std::string> since = days_ago(800);
  bool config_map = true;
  sim::Duration period = kYear;
  versions::LegacyTokenCleanup mode = versions::LegacyTokenCleanup::kTwoPhase;
  SecretArgs secret{};
  bool sa_references = true;
  bool sa_exists = true;
  std::vector<Pod> pods{};
  std::vector<std::pair<Verb, Reactor>> reactors{};  // on secrets
  LegacyTokenCleanerBreakage broken{};
  std::vector<std::string> expected{};
};

struct Harness {
  sim::Simulator simulator{1};
  FakeApiServer* fake = nullptr;
  LegacyTokenCleaner* cleaner = nullptr;
  sim::ActorId id{};
};

// Builds the world, runs the warm-up pass and installs the case's API state.
void prepare(Harness& h, const CleanerCase& c) {
  auto fake = std::make_unique<FakeApiServer>();
  h.fake = fake.get();
  h.simulator.add_actor("apiserver", std::move(fake));
  LegacyTokenCleanerOptions options;
  options.mode = c.mode;
  options.clean_up_period = c.period;
  options.sync_interval = kInterval;
  options.epoch_unix_seconds = kEpoch;
  options.broken = c.broken;
  auto cleaner = std::make_unique<LegacyTokenCleaner>(options);
  h.cleaner = cleaner.get();
  h.id = h.simulator.add_actor("legacy-token-cleaner", std::move(cleaner));

  const Secret secret = token_secret(c.secret);
  std::vector<Object> cache{Object(secret)};
  if (c.sa_exists) cache.emplace_back(service_account(c.sa_references));
  for (const Pod& pod : c.pods) cache.emplace_back(pod);
  h.fake->set_cache(cache);
  h.fake->set_objects({Object(secret)});
  h.simulator.run({.until = h.simulator.now() + sim::Duration::minutes(1)});
  REQUIRE(h.cleaner->passes() == 1);
  REQUIRE(h.fake->action_texts() == std::vector<std::string>{kGet});  // no ConfigMap yet: aborted

  std::vector<Object> objects{Object(secret)};
  if (c.config_map) objects.emplace_back(tracking_config_map(c.since));
  h.fake->set_objects(objects);
  h.fake->clear_actions();
  for (const auto& [verb, reactor] : c.reactors) h.fake->prepend_reactor(verb, Kind::kSecret, reactor);
}

std::vector<std::string> run_case(const CleanerCase& c) {
  Harness h;
  prepare(h, c);
  h.simulator.run({.until = sim::Time::zero() + kInterval + sim::Duration::minutes(1)});
  CHECK(h.cleaner->passes() == 2);
  return h.fake->action_texts();
}

SecretArgs unused() { return {}; }
SecretArgs with_last_used(std::string last_used) { return {.last_used = std::move(last_used)}; }
SecretArgs with_invalid_since(std::optional<std::string> last_used, std::string invalid_since) {
  return {.last_used = std::move(last_used), .invalid_since = std::move(invalid_since)};
}

}  // namespace

TEST_CASE("label dates parse as Go parses the layout 2006-01-02") {
  CHECK(parse_label_date("2022-12-27") == std::optional<std::int64_t>(1672099200));
  CHECK(parse_label_date("2024-02-29").has_value());
  CHECK_FALSE(parse_label_date("2023-02-29").has_value());
  CHECK_FALSE(parse_label_date("2022-12-27-1").has_value());
  CHECK_FALSE(parse_label_date("2022-13-01").has_value());
  CHECK_FALSE(parse_label_date("2022-1-01").has_value());
  CHECK_FALSE(parse_label_date("").has_value());
  CHECK(format_label_date(1672099200 + 86399) == "2022-12-27");
}

// ---- the 21 cases of TestLegacyServiceAccountTokenCleanUp ----------------------

TEST_CASE("CLNT 1: configmap does not exist") {
  CHECK(run_case({.config_map = false, .secret = unused()}) == std::vector<std::string>{kGet});
}

TEST_CASE("CLNT 2: configmap exists but the configmap does not have tracked-since label") {
  CHECK(run_case({.since = std::nullopt, .secret = unused()}) == std::vector<std::string>{kGet});
}

TEST_CASE("CLNT 3: configmap exists - the time period since 'tracked-since' is smaller than the CleanUpPeriod") {
  CHECK(run_case({.since = days_ago(100), .secret = unused()}) == std::vector<std::string>{kGet});
}

TEST_CASE("CLNT 4: configmap exists - the 'tracked-since' cannot be parsed") {
  CHECK(run_case({.since = "2022-12-27-1", .secret = unused()}) == std::vector<std::string>{kGet});
}

TEST_CASE("CLNT 5: secret is not SecretTypeServiceAccountToken type") {
  SecretArgs opaque = unused();
  opaque.type = "Opaque";
  CHECK(run_case({.secret = opaque}) == std::vector<std::string>{kGet});
}

TEST_CASE("CLNT 6: secret is not referenced by serviceaccount") {
  CHECK(run_case({.secret = unused(), .sa_references = false}) == std::vector<std::string>{kGet});
}

TEST_CASE("CLNT 7: auto-generated secret has a late creation time") {
  SecretArgs late = unused();
  late.created_late = true;
  CHECK(run_case({.secret = late}) == std::vector<std::string>{kGet});
}

TEST_CASE("CLNT 8: auto-generated secret has a deletion time") {
  SecretArgs deleted = unused();
  deleted.deleted = true;
  CHECK(run_case({.secret = deleted}) == std::vector<std::string>{kGet});
}

TEST_CASE("CLNT 9: auto-generated secret has a late last-used time") {
  CHECK(run_case({.secret = with_last_used(days_ago(10))}) == std::vector<std::string>{kGet});
}

TEST_CASE("CLNT 10: auto-generated secret has a last-used label but it can not be parsed") {
  CHECK(run_case({.secret = with_last_used("2023-01-10-1")}) == std::vector<std::string>{kGet});
}

TEST_CASE("CLNT 11: secret-referenced service account does not exist") {
  CHECK(run_case({.secret = unused(), .sa_exists = false}) == std::vector<std::string>{kGet});
}

TEST_CASE("CLNT 12: secret-referenced service account uid does not match") {
  SecretArgs other_uid = unused();
  other_uid.sa_uid = "123456";
  CHECK(run_case({.secret = other_uid}) == std::vector<std::string>{kGet});
}

TEST_CASE("CLNT 13: secret-referenced service account name is empty") {
  SecretArgs no_name = unused();
  no_name.sa_name = "";
  CHECK(run_case({.secret = no_name}) == std::vector<std::string>{kGet});
}

TEST_CASE("CLNT 14: auto-generated secret does not have 'last-used' label - has not been marked as invalid") {
  CHECK(run_case({.secret = unused()}) == std::vector<std::string>{kGet, patch_today()});
}

TEST_CASE("CLNT 15: auto-generated secret does not have 'last-used' label - has been marked as invalid - "
          "invalid_since label can not be parsed") {
  CHECK(run_case({.secret = with_invalid_since(std::nullopt, "2023-01-10-1")}) ==
        std::vector<std::string>{kGet, patch_today()});
}

TEST_CASE("CLNT 16: auto-generated secret does not have 'last-used' label - has been marked as invalid - "
          "time period since invalid is less than CleanUpPeriod") {
  CHECK(run_case({.secret = with_invalid_since(std::nullopt, days_ago(100))}) == std::vector<std::string>{kGet});
}

TEST_CASE("CLNT 17: auto-generated secret does not have 'last-used' label - has been marked as invalid - "
          "time period since invalid is larger than CleanUpPeriod") {
  CHECK(run_case({.secret = with_invalid_since(std::nullopt, days_ago(400))}) ==
        std::vector<std::string>{kGet, kDelete});
}

TEST_CASE("CLNT 18: auto-generated secret is mounted by the pod") {
  CHECK(run_case({.secret = unused(), .pods = {pod_mounting("token-secret-1")}}) == std::vector<std::string>{kGet});
}

TEST_CASE("CLNT 19: auto-generated secret has 'last-used' label - the time period since last-used is larger than "
          "CleanUpPeriod - secret has not been marked as invalid") {
  CHECK(run_case({.secret = with_last_used(days_ago(400))}) == std::vector<std::string>{kGet, patch_today()});
}

TEST_CASE("CLNT 20: auto-generated secret has 'last-used' label - the time period since last-used is larger than "
          "CleanUpPeriod - secret has been marked as invalid - time peroid since invalid is less than CleanUpPeriod") {
  CHECK(run_case({.secret = with_invalid_since(days_ago(400), days_ago(100))}) == std::vector<std::string>{kGet});
}

TEST_CASE("CLNT 21: auto-generated secret has 'last-used' label - the time period since last-used is larger than "
          "CleanUpPeriod - secret has been marked as invalid - time peroid since invalid is larger than CleanUpPeriod") {
  CHECK(run_case({.secret = with_invalid_since(days_ago(400), days_ago(400))}) ==
        std::vector<std::string>{kGet, kDelete});
}

// ---- beyond the table -------------------------------------------------------------

TEST_CASE("legacy-token cleaner: 1.28's alpha deletes an unused token at once - without a label") {
  const auto kDeleteMode = versions::LegacyTokenCleanup::kDelete;
  CHECK(run_case({.mode = kDeleteMode, .secret = unused()}) == std::vector<std::string>{kGet, kDelete});
  CHECK(run_case({.mode = kDeleteMode, .secret = with_last_used(days_ago(10))}) == std::vector<std::string>{kGet});
  CHECK(run_case({.mode = kDeleteMode, .secret = unused(), .pods = {pod_mounting("token-secret-1")}}) ==
        std::vector<std::string>{kGet});
}

TEST_CASE("legacy-token cleaner: a pod naming another Secret does not keep the token") {
  CHECK(run_case({.secret = unused(), .pods = {pod_mounting("other")}}) ==
        std::vector<std::string>{kGet, patch_today()});
}

TEST_CASE("legacy-token cleaner: the last-used day exactly a period ago is still a use within it") {
  // preserveUsedOnOrAfter is the date of now - period; the comparison is >=.
  CHECK(run_case({.secret = with_last_used(date(kNow - 365 * kDay))}) == std::vector<std::string>{kGet});
  CHECK(run_case({.secret = with_last_used(date(kNow - 366 * kDay))}) ==
        std::vector<std::string>{kGet, patch_today()});
}

TEST_CASE("legacy-token cleaner: a shorter clean-up period moves every boundary") {
  const sim::Duration month = sim::Duration::hours(24 * 30);
  CHECK(run_case({.since = days_ago(40), .period = month, .secret = with_last_used(days_ago(35))}) ==
        std::vector<std::string>{kGet, patch_today()});
  CHECK(run_case({.since = days_ago(20), .period = month, .secret = with_last_used(days_ago(35))}) ==
        std::vector<std::string>{kGet});
}

TEST_CASE("legacy-token cleaner: a delete conflict or not-found is ignored - another error is logged - none retried") {
  for (const char* reason : {"Conflict", "NotFound", "Forbidden"}) {
    INFO(reason);
    const ApiStatus status = std::string(reason) == "Conflict"   ? status_conflict_modified("secrets", "token-secret-1")
                             : std::string(reason) == "NotFound" ? status_not_found("secrets", "token-secret-1")
                                                                 : status_forbidden("secrets", "token-secret-1", "no");
    CHECK(run_case({.secret = with_invalid_since(std::nullopt, days_ago(400)),
                    .reactors = {{Verb::kDelete, FakeApiServer::fail_first(-1, status)}}}) ==
          std::vector<std::string>{kGet, kDelete});
  }
}

TEST_CASE("legacy-token cleaner: a failed label patch is not retried within the pass - the next pass tries again") {
  Harness h;
  CleanerCase c{.secret = unused(),
                .reactors = {{Verb::kPatch, FakeApiServer::fail_first(1, status_forbidden("secrets", "token-secret-1", "no"))}}};
  prepare(h, c);
  h.simulator.run({.until = sim::Time::zero() + kInterval + sim::Duration::minutes(1)});
  CHECK(h.fake->action_texts() == std::vector<std::string>{kGet, patch_today()});
  REQUIRE(h.fake->actions()[1].error.has_value());
  // 24 hours... here kInterval later: the next pass labels it (with that day's date).
  h.fake->clear_actions();
  h.simulator.run({.until = sim::Time::zero() + kInterval + kInterval + sim::Duration::minutes(1)});
  REQUIRE(h.fake->actions().size() == 2);
  CHECK(h.fake->actions()[1].verb == Verb::kPatch);
  CHECK_FALSE(h.fake->actions()[1].error.has_value());
}

TEST_CASE("legacy-token cleaner: passes follow each other by the sync interval - and a restart runs one at once") {
  Harness h;
  prepare(h, {.secret = with_last_used(days_ago(10))});
  const sim::Time second = sim::Time::zero() + kInterval;
  h.simulator.run({.until = second + sim::Duration::minutes(1)});
  REQUIRE(h.fake->actions().size() == 1);
  CHECK(h.fake->actions()[0].at >= second);
  CHECK(h.fake->actions()[0].at < second + sim::Duration::seconds(1));
  // Down for ten seconds: the restarted process lists again and runs a pass
  // as soon as its caches have synced, not a sync interval later.
  h.simulator.crash_at(h.simulator.now(), h.id, sim::Duration::seconds(10));
  h.simulator.run({.until = h.simulator.now() + sim::Duration::minutes(1)});
  CHECK(h.cleaner->passes() == 3);
  CHECK(h.fake->actions().size() == 2);
}

TEST_CASE("legacy-token cleaner: broken variants act where the real one keeps the token") {
  CHECK(run_case({.secret = unused(), .pods = {pod_mounting("token-secret-1")}, .broken = {.ignore_mounts = true}}) ==
        std::vector<std::string>{kGet, patch_today()});
  CHECK(run_case({.secret = with_last_used(days_ago(10)), .broken = {.ignore_last_used = true}}) ==
        std::vector<std::string>{kGet, patch_today()});
}

}  // namespace sasim::model::controllers
