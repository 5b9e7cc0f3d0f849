// The scenario format's TokenRequest additions (§12, §14): the tokenRequest
// step, capture from a response, expect: {response: ...}, a token's
// audiences and expect: {extra: ...}; each read, refused where it does not
// fit, and written back as read.
#include <catch2/catch.hpp>

#include "scenarios/parse_test_support.h"
#include "scenarios/parser.h"
#include "scenarios/writer.h"

namespace sasim::scenarios {
namespace {

using testing::parse_error;
using testing::parse_ok;

Step one_step(const std::string& step_yaml) {
  Scenario scenario = parse_ok("steps:\n" + step_yaml);
  REQUIRE(scenario.steps.size() == 1);
  return scenario.steps[0];
}

TEST_CASE("tokenRequest with every field") {
  const Step step = one_step(
      "  - tokenRequest:\n"
      "      serviceAccount: builder\n"
      "      audiences: [vault, \"https://kubernetes.default.svc.cluster.local\"]\n"
      "      expirationSeconds: 3607\n"
      "      boundObjectRef: {kind: Pod, name: web, uid: \"1234\"}\n");
  REQUIRE(std::holds_alternative<TokenRequestAction>(step.action));
  const auto& a = std::get<TokenRequestAction>(step.action);
  CHECK(a.service_account == "builder");
  CHECK(a.audiences == std::vector<std::string>{"vault", "https://kubernetes.default.svc.cluster.local"});
  CHECK(a.expiration_seconds == std::optional<std::int64_t>(3607));
  REQUIRE(a.bound_object_ref);
  CHECK(a.bound_object_ref->kind == "Pod");
  CHECK(a.bound_object_ref->api_version == "v1");
  CHECK(a.bound_object_ref->name == "web");
  CHECK(a.bound_object_ref->uid == "1234");
}

TEST_CASE("tokenRequest takes only its account and leaves the rest to the apiserver") {
  const auto a = std::get<TokenRequestAction>(one_step("  - tokenRequest: {serviceAccount: default}\n").action);
  CHECK(a.audiences.empty());
  CHECK_FALSE(a.expiration_seconds);
  CHECK_FALSE(a.bound_object_ref);
  // Out-of-range lifetimes and unknown kinds are the apiserver's to refuse (422, 400).
  CHECK(std::get<TokenRequestAction>(one_step("  - tokenRequest: {serviceAccount: a, expirationSeconds: 5}\n").action)
            .expiration_seconds == std::optional<std::int64_t>(5));
  CHECK(std::get<TokenRequestAction>(
            one_step("  - tokenRequest: {serviceAccount: a, boundObjectRef: {kind: ConfigMap, name: c}}\n").action)
            .bound_object_ref->kind == "ConfigMap");
}

TEST_CASE("tokenRequest errors point at the input") {
  CHECK(parse_error("steps:\n  - tokenRequest: {audiences: [a]}\n") ==
        "s.yaml:2:19: error: tokenRequest needs serviceAccount: NAME");
  CHECK(parse_error("steps:\n  - tokenRequest: {serviceAccount: a, boundObjectRef: {name: web}}\n").find(
            "boundObjectRef needs kind: Pod, Secret or Node") != std::string::npos);
  CHECK(parse_error("steps:\n  - tokenRequest: {serviceAccount: a, boundObjectRef: {kind: Pod}}\n").find(
            "boundObjectRef needs name: NAME") != std::string::npos);
  CHECK(parse_error("steps:\n  - tokenRequest: {serviceAccount: a, expiration: 5}\n").find("unknown key \"expiration\"") !=
        std::string::npos);
}

TEST_CASE("capture from a response and expect a response") {
  const Step step = one_step(
      "  - tokenRequest: {serviceAccount: default}\n"
      "    expect: {response: {status: {token: \"<any>\"}}}\n"
      "    capture:\n"
      "      TOKEN: {response: \"{.status.token}\"}\n");
  REQUIRE(step.expect);
  CHECK(std::get<ExpectResponse>(step.expect->what).pattern.json["status"]["token"] == "<any>");
  REQUIRE(step.captures.count("TOKEN") == 1);
  CHECK(step.captures.at("TOKEN").from_response);
  CHECK(step.captures.at("TOKEN").jsonpath == "{.status.token}");
  // Every API action has a response.
  CHECK(std::holds_alternative<ExpectResponse>(
      one_step("  - get: serviceaccount/default\n    expect: {response: {kind: ServiceAccount}}\n").expect->what));
}

TEST_CASE("a response goes with API actions only") {
  CHECK(parse_error("steps:\n  - authenticate: {secret: a}\n    capture: {T: {response: \"{.x}\"}}\n").find(
            "capture T: {response: ...} goes with API actions") != std::string::npos);
  CHECK(parse_error("steps:\n  - authenticate: {secret: a}\n    expect: {response: {}}\n").find(
            "expect: {response: ...} goes with API actions") != std::string::npos);
  CHECK(parse_error("steps:\n  - get: sa/a\n    capture: {T: {response: \"{.x}\", object: sa/a}}\n").find(
            "not both") != std::string::npos);
}

TEST_CASE("authenticate with audiences and expect extra") {
  const Step step = one_step(
      "  - authenticate: {value: abc, audiences: [vault]}\n"
      "    expect:\n"
      "      user: system:serviceaccount:default:default\n"
      "      extra: {authentication.kubernetes.io/pod-name: [web]}\n");
  const auto& a = std::get<AuthenticateAction>(step.action);
  CHECK(a.token.text == "abc");
  CHECK(a.token.audiences == std::vector<std::string>{"vault"});
  const auto& user = std::get<ExpectUser>(step.expect->what);
  CHECK(user.name == "system:serviceaccount:default:default");
  REQUIRE(user.extra);
  CHECK(user.extra->json["authentication.kubernetes.io/pod-name"][0] == "web");
  // extra alone: any user with that extra.
  const Step alone = one_step("  - authenticate: {pod: web}\n    expect: {extra: {a: [b]}}\n");
  CHECK(std::get<ExpectUser>(alone.expect->what).name.empty());
  CHECK(parse_error("steps:\n  - authenticate: {audiences: [a]}\n").find("with one of secret, pod and value") !=
        std::string::npos);
  CHECK(parse_error("steps:\n  - authenticate: {secret: a, pod: b}\n").find("with one of secret, pod and value") !=
        std::string::npos);
  CHECK(parse_error("steps:\n  - authenticate: {secret: a}\n    expect: {rejected: x, extra: {}}\n").find(
            "extra goes with user") != std::string::npos);
}

TEST_CASE("the TokenRequest additions are written back as read") {
  const std::string text =
      "steps:\n"
      "  - tokenRequest:\n"
      "      serviceAccount: default\n"
      "      audiences: [vault]\n"
      "      expirationSeconds: 3607\n"
      "      boundObjectRef: {kind: Pod, name: web, uid: u}\n"
      "    expect: {response: {status: {token: \"<any>\"}}}\n"
      "    capture: {TOKEN: {response: \"{.status.token}\"}}\n"
      "  - authenticate: {value: \"${TOKEN}\", audiences: [vault]}\n"
      "    expect: {extra: {authentication.kubernetes.io/pod-name: [web]}}\n"
      "  - check: {tokenValid: {value: \"${TOKEN}\", audiences: [vault]}}\n";
  const Scenario first = parse_ok(text);
  const std::string written = write_scenario(first);
  const Scenario again = parse_ok(written);
  CHECK(write_scenario(again) == written);
  const auto& a = std::get<TokenRequestAction>(again.steps[0].action);
  CHECK(a.expiration_seconds == std::optional<std::int64_t>(3607));
  CHECK(a.bound_object_ref->uid == "u");
  CHECK(again.steps[0].captures.at("TOKEN").from_response);
  CHECK(std::get<AuthenticateAction>(again.steps[1].action).token.audiences == std::vector<std::string>{"vault"});
  CHECK(std::get<ExpectUser>(again.steps[1].expect->what).extra.has_value());
}

TEST_CASE("the service-account flags of the cluster and their defaults") {
  const Scenario plain = parse_ok("name: x\n");
  CHECK(plain.cluster.service_account_issuers == std::vector<std::string>{"https://kubernetes.default.svc.cluster.local"});
  CHECK(plain.cluster.api_audiences.empty());
  CHECK_FALSE(plain.cluster.max_token_expiration);
  CHECK(plain.cluster.extend_token_expiration);
  CHECK(plain.cluster.legacy_token_clean_up_period == sim::Duration::hours(8760));
  const std::string text =
      "cluster:\n"
      "  serviceAccountIssuer: https://issuer.example\n"
      "  apiAudiences: [api, vault]\n"
      "  maxTokenExpiration: 2h\n"
      "  extendTokenExpiration: false\n"
      "  legacyTokenCleanUpPeriod: 720h\n"
      "  verificationKeys: [ec-pub.pem]\n"
      "  featureGates: {RootCAConfigMap: true}\n";
  auto parsed = parse_scenario_text(text, std::string(SASIM_SOURCE_DIR) + "/scenarios/testdata/s.yaml");
  if (!parsed) FAIL(parsed.error().render());
  const ClusterSpec& c = parsed.value().cluster;
  CHECK(c.service_account_issuers == std::vector<std::string>{"https://issuer.example"});
  CHECK(c.api_audiences == std::vector<std::string>{"api", "vault"});
  CHECK(c.max_token_expiration == std::optional<sim::Duration>(sim::Duration::hours(2)));
  CHECK_FALSE(c.extend_token_expiration);
  CHECK(c.legacy_token_clean_up_period == sim::Duration::hours(720));
  REQUIRE(c.verification_key_pems.size() == 1);
  CHECK(c.verification_key_pems[0].find("BEGIN PUBLIC KEY") != std::string::npos);
  CHECK(c.feature_gates == std::map<std::string, bool>{{"RootCAConfigMap", true}});
  // Written back as read.
  const std::string written = write_scenario(parsed.value());
  auto again = parse_scenario_text(written, std::string(SASIM_SOURCE_DIR) + "/scenarios/testdata/s.yaml");
  if (!again) FAIL(again.error().render());
  CHECK(write_scenario(again.value()) == written);
  CHECK(again.value().cluster.max_token_expiration == c.max_token_expiration);
}

TEST_CASE("the service-account flags are checked as the components check them") {
  // kube-apiserver's startup error in 1.20's wording.
  CHECK(parse_error("cluster: {maxTokenExpiration: 59m}\n") ==
        "s.yaml:1:11: error: the serviceaccount max expiration must be between 1 hour to 2^32 seconds");
  CHECK(parse_error("cluster: {maxTokenExpiration: 1193047h}\n").find("between 1 hour") != std::string::npos);
  CHECK(parse_ok("cluster: {maxTokenExpiration: 1h}\n").cluster.max_token_expiration == sim::Duration::hours(1));
  // One issuer before 1.22.
  CHECK(parse_error("cluster: {serviceAccountIssuer: [a, b]}\n").find("takes one service-account-issuer") !=
        std::string::npos);
  CHECK(parse_error("cluster: {serviceAccountIssuer: \"\"}\n").find("service-account-issuer is a required flag") !=
        std::string::npos);
  // component-base's wording for gates.
  CHECK(parse_error("cluster: {featureGates: {NoSuchGate: true}}\n").find("unrecognized feature gate: NoSuchGate") !=
        std::string::npos);
  CHECK(parse_error("cluster: {legacyTokenCleanUpPeriod: 0s}\n").find("positive") != std::string::npos);
}

}  // namespace
}  // namespace sasim::scenarios
