// cleaned-legacy-tokens-were-unused, held and broken, on a 1.30 cluster
// whose clean-up period is two days (so that a run covers a few passes).
//
// The apiserver's part of tracking (the last-used label written when a
// token is presented, the tracking ConfigMap) is written here by hand, as
// objects: this invariant judges the cleaner, not the tracking.
#include <catch2/catch.hpp>

#include "model/cluster/broken_variants.h"
#include "model/controllers/legacy_token_cleaner.h"
#include "properties/test_support.h"

namespace sasim::properties {
namespace {

using namespace testing;

const sim::Duration kPeriod = sim::Duration::hours(48);
const sim::Duration kDay = sim::Duration::hours(24);

model::ClusterConfig config_130(const std::vector<std::string>& broken = {}) {
  model::ClusterConfig config = model::default_cluster_config();
  config.version = "1.30";
  auto gates = model::versions::resolve_feature_gates(model::versions::KubeVersion{30}, {});
  SIM_CHECK(gates.ok(), "1.30's gates");
  config.behaviour = model::versions::behaviour_of(gates.value());
  config.legacy_token_clean_up_period = kPeriod;
  for (const std::string& name : broken) SIM_CHECK(model::enable_broken_variant(config, name), name);
  return config;
}

// An account whose `secrets` lists a token Secret it owns: what the
// cleaner takes for an auto-generated token (as 1.20-1.23 made them).
void listed_token(Harness& h, const std::string& account, const std::string& secret) {
  REQUIRE(h.create(model::testing::service_account("default", account)).ok());
  REQUIRE(h.create(token_secret("default", secret, account)).ok());
  h.settle();  // the tokens controller fills the token in
  REQUIRE(h.patch(model::Kind::kServiceAccount, "default", account, {{"secrets", {{{"name", secret}}}}}).ok());
}

// The tracking ConfigMap as the apiserver (1.26+) writes it; where the
// apiserver has written one already, its date is set.
void tracking_since(Harness& h, const std::string& since) {
  h.settle();
  model::ConfigMap cm;
  cm.metadata.namespace_ = "kube-system";
  cm.metadata.name = std::string(model::controllers::kLegacyTokenTrackingConfigMap);
  cm.data["since"] = since;
  const model::ApiResponse created = h.create(model::Object(cm));
  if (!created.ok()) {
    REQUIRE(model::is_already_exists(*created.error));
    REQUIRE(h.patch(model::Kind::kConfigMap, "kube-system", cm.metadata.name, {{"data", {{"since", since}}}}).ok());
  }
}

void mounting_pod(Harness& h, const std::string& name, const std::string& account, const std::string& secret) {
  model::Object object = model::testing::pod("default", name, account);
  auto& p = std::get<model::Pod>(object);
  model::Volume volume;
  volume.name = "legacy";
  volume.secret.emplace();
  volume.secret->secret_name = secret;
  p.spec.volumes.push_back(volume);
  REQUIRE(h.create(std::move(object)).ok());
}

// Writes the last-used label as the apiserver's tracking would, daily.
void use_daily(Harness& h, const std::string& secret, int days) {
  for (int i = 0; i < days; ++i) {
    const std::int64_t wall = model::wall_seconds(h.simulator.now(), h.cluster.config().apiserver.epoch_unix_seconds);
    REQUIRE(h.patch(model::Kind::kSecret, "default", secret,
                    {{"metadata",
                      {{"labels",
                        {{std::string(model::controllers::kLastUsedLabel), model::controllers::format_label_date(wall)}}}}}})
                .ok());
    h.run_for(kDay);
  }
}

const InvariantResult& result_of(const InvariantChecker& checker) {
  const InvariantResult* r = checker.result(kCleanedLegacyTokensWereUnused);
  SIM_CHECK(r != nullptr, "invariant not selected");
  return *r;
}

bool has_label(const Harness& h, const std::string& secret) {
  const auto* s = model::as<model::Secret>(h.store().get(model::Kind::kSecret, "default", secret));
  return s != nullptr && s->metadata.labels.contains(std::string(model::controllers::kInvalidSinceLabel));
}

}  // namespace

TEST_CASE("cleaned-legacy-tokens-were-unused holds while the cleaner labels and deletes an unused token and keeps "
          "a mounted and a used one") {
  Harness h(1, config_130());
  InvariantChecker checker(h.cluster, only(kCleanedLegacyTokensWereUnused));
  checker.attach();
  tracking_since(h, "2019-06-01");
  listed_token(h, "idle", "idle-token");
  listed_token(h, "mounted", "mounted-token");
  listed_token(h, "busy", "busy-token");
  mounting_pod(h, "web", "mounted", "mounted-token");
  use_daily(h, "busy-token", 4);
  CHECK(has_label(h, "idle-token"));
  CHECK_FALSE(has_label(h, "mounted-token"));
  CHECK_FALSE(has_label(h, "busy-token"));
  use_daily(h, "busy-token", 4);
  CHECK(h.store().get(model::Kind::kSecret, "default", "idle-token") == nullptr);  // deleted a period after its label
  CHECK(h.store().get(model::Kind::kSecret, "default", "mounted-token") != nullptr);
  CHECK(h.store().get(model::Kind::kSecret, "default", "busy-token") != nullptr);
  const InvariantResult& r = result_of(checker);
  CHECK(r.checks == 2);  // the label and the deletion, judged
  CHECK(r.held());
}

TEST_CASE("cleaned-legacy-tokens-were-unused is violated by a cleaner that ignores mounts") {
  Harness h(1, config_130({"cleaner-ignore-mounts"}));
  InvariantChecker checker(h.cluster, only(kCleanedLegacyTokensWereUnused));
  checker.attach();
  tracking_since(h, "2019-06-01");
  listed_token(h, "mounted", "mounted-token");
  mounting_pod(h, "web", "mounted", "mounted-token");
  h.run_for(sim::Duration::hours(96));
  const InvariantResult& r = result_of(checker);
  REQUIRE_FALSE(r.held());
  CHECK(r.violations.front().message.find("pod web mounts it") != std::string::npos);
  CHECK(r.violations.front().objects ==
        std::vector<std::string>{"secret/default/mounted-token", "pod/default/web"});
}

TEST_CASE("cleaned-legacy-tokens-were-unused is violated by a cleaner that ignores the last-used label") {
  Harness h(1, config_130({"cleaner-ignore-last-used"}));
  InvariantChecker checker(h.cluster, only(kCleanedLegacyTokensWereUnused));
  checker.attach();
  tracking_since(h, "2019-06-01");
  listed_token(h, "busy", "busy-token");
  use_daily(h, "busy-token", 4);
  const InvariantResult& r = result_of(checker);
  REQUIRE_FALSE(r.held());
  CHECK(r.violations.front().message.find("legacy-token-last-used label says") != std::string::npos);
}

TEST_CASE("cleaned-legacy-tokens-were-unused counts a presented token as used - whatever the label says") {
  // The cleaner ignoring the label meets a token that is presented daily
  // but (as without the apiserver's tracking) never labelled.
  Harness h(1, config_130({"cleaner-ignore-last-used"}));
  InvariantChecker checker(h.cluster, only(kCleanedLegacyTokensWereUnused));
  checker.attach();
  tracking_since(h, "2019-06-01");
  listed_token(h, "busy", "busy-token");
  const auto* secret = model::as<model::Secret>(h.store().get(model::Kind::kSecret, "default", "busy-token"));
  REQUIRE(secret != nullptr);
  const std::string token = secret->data.at(std::string(model::kServiceAccountTokenKey)).bytes();
  for (int day = 0; day < 4; ++day) {
    h.cluster.review_token(token, [](model::TokenReviewResult) {});
    h.run_for(kDay);
  }
  const InvariantResult& r = result_of(checker);
  REQUIRE_FALSE(r.held());
  CHECK(r.violations.front().message.find("its token was presented on") != std::string::npos);
}

TEST_CASE("cleaned-legacy-tokens-were-unused judges nothing before 1.28 - and user labels are not the cleaner's") {
  Harness h(1);  // 1.20
  InvariantChecker checker(h.cluster, only(kCleanedLegacyTokensWereUnused));
  checker.attach();
  h.settle();
  listed_token(h, "app", "app-token");
  REQUIRE(h.patch(model::Kind::kSecret, "default", "app-token",
                  {{"metadata", {{"labels", {{std::string(model::controllers::kInvalidSinceLabel), "2019-01-01"}}}}}})
              .ok());
  CHECK(h.cluster.legacy_token_cleaner() == nullptr);
  CHECK(result_of(checker).checks == 0);
  CHECK(result_of(checker).held());
}

}  // namespace sasim::properties

namespace sasim::properties {
namespace {

using namespace testing;

// 1.27 (tracking, no cleaner) with a two-day period, upgraded in place to
// 1.30 one minor at a time: the cleaner arrives with the 1.29
// controller-manager. `broken` is enabled from the start; it only matters
// once a cleaner runs.
model::ClusterConfig config_127(const std::vector<std::string>& broken = {}) {
  model::ClusterConfig config = model::default_cluster_config();
  config.version = "1.27";
  auto gates = model::versions::resolve_feature_gates(model::versions::KubeVersion{27}, {});
  SIM_CHECK(gates.ok(), "1.27's gates");
  config.behaviour = model::versions::behaviour_of(gates.value());
  config.legacy_token_clean_up_period = sim::Duration::hours(48);
  for (const std::string& name : broken) SIM_CHECK(model::enable_broken_variant(config, name), name);
  return config;
}

void upgrade_to(Harness& h, int minor) {
  auto gates = model::versions::resolve_feature_gates(model::versions::KubeVersion{minor}, {});
  REQUIRE(gates.ok());
  const model::versions::Behaviour release = model::versions::behaviour_of(gates.value());
  for (model::versions::Component component : model::versions::kUpgradeOrder) {
    bool serving = false;
    h.cluster.upgrade(component, release, sim::Duration::seconds(10), [&] { serving = true; });
    h.simulator.run({.stop_when = [&] { return serving; }});
    REQUIRE(serving);
  }
}

// Two tokens as a 1.23 cluster left them: one nobody uses, one a pod mounts.
void inherited_tokens(Harness& h) {
  h.settle();
  REQUIRE(h.create(model::testing::service_account("default", "idle")).ok());
  REQUIRE(h.create(token_secret("default", "idle-token", "idle")).ok());
  REQUIRE(h.create(model::testing::service_account("default", "mounted")).ok());
  REQUIRE(h.create(token_secret("default", "mounted-token", "mounted")).ok());
  h.settle();
  REQUIRE(h.patch(model::Kind::kServiceAccount, "default", "idle", {{"secrets", {{{"name", "idle-token"}}}}}).ok());
  REQUIRE(h.patch(model::Kind::kServiceAccount, "default", "mounted", {{"secrets", {{{"name", "mounted-token"}}}}}).ok());
  model::Object object = model::testing::pod("default", "web", "mounted");
  auto& p = std::get<model::Pod>(object);
  model::Volume volume;
  volume.name = "legacy";
  volume.secret.emplace();
  volume.secret->secret_name = "mounted-token";
  p.spec.volumes.push_back(volume);
  REQUIRE(h.create(std::move(object)).ok());
  h.settle();
}

const InvariantResult& cleanup_result(const InvariantChecker& checker) {
  const InvariantResult* r = checker.result(kCleanedLegacyTokensWereUnused);
  SIM_CHECK(r != nullptr, "invariant not selected");
  return *r;
}

}  // namespace

TEST_CASE("cleaned-legacy-tokens-were-unused judges the cleaner an upgrade from 1.27 to 1.30 starts - and it holds") {
  Harness h(1, config_127());
  InvariantChecker checker(h.cluster, only(kCleanedLegacyTokensWereUnused));
  checker.attach();
  inherited_tokens(h);
  REQUIRE(h.cluster.legacy_token_cleaner() == nullptr);
  for (int minor : {28, 29, 30}) upgrade_to(h, minor);
  REQUIRE(h.cluster.legacy_token_cleaner() != nullptr);
  h.run_for(sim::Duration::hours(168));
  // The unused one was labelled, then deleted; the mounted one kept.
  CHECK(h.store().get(model::Kind::kSecret, "default", "idle-token") == nullptr);
  CHECK(h.store().get(model::Kind::kSecret, "default", "mounted-token") != nullptr);
  const InvariantResult& r = cleanup_result(checker);
  CHECK(r.checks == 2);  // the label and the deletion, judged
  CHECK(r.held());
}

TEST_CASE("cleaned-legacy-tokens-were-unused reports a broken cleaner an upgrade from 1.27 to 1.30 starts") {
  Harness h(1, config_127({"cleaner-ignore-mounts"}));
  InvariantChecker checker(h.cluster, only(kCleanedLegacyTokensWereUnused));
  checker.attach();
  inherited_tokens(h);
  for (int minor : {28, 29, 30}) upgrade_to(h, minor);
  CHECK(cleanup_result(checker).held());  // nothing cleaned yet
  h.run_for(sim::Duration::hours(96));
  const InvariantResult& r = cleanup_result(checker);
  REQUIRE_FALSE(r.held());
  CHECK(r.violations.front().message.find("pod web mounts it") != std::string::npos);
  CHECK(r.violations.front().time > sim::Time::zero() + sim::Duration::hours(48));
}

}  // namespace sasim::properties
