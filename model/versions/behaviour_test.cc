#include "model/versions/behaviour.h"

#include <catch2/catch.hpp>

namespace sasim::model::versions {
namespace {

Behaviour at(int minor, const std::map<std::string, bool>& settings = {}) {
  auto gates = resolve_feature_gates(KubeVersion{minor}, settings);
  REQUIRE(gates.ok());
  return behaviour_of(gates.value());
}

TEST_CASE("token Secrets are auto-generated up to 1.23 and in 1.24-1.26 only with the gate off") {
  for (int minor = 20; minor <= 23; ++minor) CHECK(at(minor).tokens_controller_auto_generates);
  for (int minor = 24; minor <= 33; ++minor) CHECK_FALSE(at(minor).tokens_controller_auto_generates);
  CHECK(at(24, {{"LegacyServiceAccountTokenNoAutoGeneration", false}}).tokens_controller_auto_generates);
  CHECK(at(26, {{"LegacyServiceAccountTokenNoAutoGeneration", false}}).tokens_controller_auto_generates);
}

TEST_CASE("admission mounts a Secret volume in 1.20 and a projected volume from 1.21 (or with the gate)") {
  CHECK(at(20).token_mount == TokenMount::kSecretVolume);
  CHECK(at(20, {{"BoundServiceAccountTokenVolume", true}}).token_mount == TokenMount::kProjected);
  CHECK(at(20).projected_token_expiration_seconds == 3600);
  CHECK(at(21).token_mount == TokenMount::kProjected);
  CHECK(at(21, {{"BoundServiceAccountTokenVolume", false}}).token_mount == TokenMount::kSecretVolume);
  for (int minor = 21; minor <= 33; ++minor) {
    CHECK(at(minor).token_mount == TokenMount::kProjected);
    CHECK(at(minor).projected_token_expiration_seconds == 3607);
  }
  CHECK_FALSE(at(22).projected_default_mode.has_value());
  CHECK(at(23).projected_default_mode == 0644);
}

TEST_CASE("the kubelet's client limits are 5 qps burst 10 until 1.26 and 50 qps burst 100 from 1.27") {
  for (int minor = 20; minor <= 26; ++minor) {
    CHECK(at(minor).kubelet_api_qps == 5);
    CHECK(at(minor).kubelet_api_burst == 10);
  }
  for (int minor = 27; minor <= 33; ++minor) {
    CHECK(at(minor).kubelet_api_qps == 50);
    CHECK(at(minor).kubelet_api_burst == 100);
  }
}

TEST_CASE("the root-CA publisher runs in every release: in 1.20 through its beta gate") {
  for (int minor = 20; minor <= 33; ++minor) CHECK(at(minor).root_ca_publisher);
  CHECK_FALSE(at(20, {{"RootCAConfigMap", false}}).root_ca_publisher);
}

TEST_CASE("legacy-token clean-up: none before 1.28 then direct deletion as 1.28's alpha then two phases from 1.29") {
  CHECK(at(27).legacy_token_cleanup == LegacyTokenCleanup::kNone);
  CHECK(at(28).legacy_token_cleanup == LegacyTokenCleanup::kNone);
  CHECK(at(28, {{"LegacyServiceAccountTokenCleanUp", true}}).legacy_token_cleanup == LegacyTokenCleanup::kDelete);
  CHECK(at(29).legacy_token_cleanup == LegacyTokenCleanup::kTwoPhase);
  CHECK(at(29, {{"LegacyServiceAccountTokenCleanUp", false}}).legacy_token_cleanup == LegacyTokenCleanup::kNone);
  CHECK(at(33).legacy_token_cleanup == LegacyTokenCleanup::kTwoPhase);
  CHECK_FALSE(at(29, {{"LegacyServiceAccountTokenCleanUp", false}}).legacy_invalid_since_check);
  CHECK(at(29).legacy_invalid_since_check);
  CHECK(at(31).legacy_invalid_since_check);
}

TEST_CASE("legacy-token tracking follows its gate: alpha 1.26 then beta 1.27 then always on from 1.28") {
  CHECK_FALSE(at(25).legacy_token_tracking);
  CHECK_FALSE(at(26).legacy_token_tracking);
  CHECK(at(26, {{"LegacyServiceAccountTokenTracking", true}}).legacy_token_tracking);
  CHECK(at(27).legacy_token_tracking);
  CHECK(at(33).legacy_token_tracking);
}

TEST_CASE("TokenRequest and bound-token validation change at 1.23 1.24 1.27 1.29 1.30 and 1.32") {
  CHECK(at(23).token_request_order == TokenRequestOrder::kValidateFirst);
  CHECK(at(24).token_request_order == TokenRequestOrder::kLookupFirst);
  CHECK_FALSE(at(23).extension_requires_api_audiences);
  CHECK(at(24).extension_requires_api_audiences);
  CHECK(at(22).bound_token_messages == BoundTokenMessages::kCapitalised);
  CHECK(at(23).bound_token_messages == BoundTokenMessages::kLowercase);
  CHECK_FALSE(at(26).bound_token_checks_iat);
  CHECK(at(27).bound_token_checks_iat);
  CHECK_FALSE(at(29).token_jti);
  CHECK(at(29, {{"ServiceAccountTokenJTI", true}}).token_jti);
  CHECK(at(30).token_jti);
  CHECK(at(30).token_pod_node_info);
  CHECK_FALSE(at(30).token_node_binding);
  CHECK(at(31).token_node_binding);
  CHECK(at(30).node_binding_validation);
  CHECK_FALSE(at(29).bound_token_uid_before_deletion);
  CHECK(at(30).bound_token_uid_before_deletion);
  CHECK_FALSE(at(31).post_verification_issuer_check);
  CHECK(at(32).post_verification_issuer_check);
  CHECK_FALSE(at(28).claims_reject_pod_and_secret);
  CHECK(at(29).claims_reject_pod_and_secret);
}

TEST_CASE("issuers may be repeated from 1.22 and the TokenRequest body namespace is checked from 1.24") {
  CHECK_FALSE(at(21).multiple_issuers);
  CHECK(at(22).multiple_issuers);
  CHECK_FALSE(at(23).token_request_body_namespace_checked);
  CHECK(at(24).token_request_body_namespace_checked);
  for (int minor = 20; minor <= 31; ++minor) CHECK(at(minor).expiration_extension_seconds == 31'536'000);
  CHECK(at(25).max_token_expiration_range_error ==
        "the serviceaccount max expiration must be between 1 hour to 2^32 seconds");
  CHECK(at(28).max_token_expiration_range_error ==
        "the service-account-max-token-expiration must be between 1 hour and 2^32 seconds");
}

TEST_CASE("the admission CVE fixes are in the minors whose last patch has them") {
  CHECK_FALSE(at(23).admission_validates_ephemeral_containers);
  CHECK(at(24).admission_validates_ephemeral_containers);
  CHECK_FALSE(at(26).admission_checks_env_from);
  CHECK(at(27).admission_checks_env_from);
}

}  // namespace
}  // namespace sasim::model::versions
