// Upstream's claims_test.go as of 1.31 (the supplement's CLMT-31): TestClaims
// with jti (ServiceAccountTokenJTI on by default; upstream's newUUID returns
// "fixed"), node bindings and the pod-with-Secret error of 1.29+, and
// TestValidatePrivateClaims with its node cases (ServiceAccountTokenNodeBinding
// and ...Validation on, the uid checked before the deletion as from 1.30).
// Case names are upstream's, with dashes for commas.
#include <catch2/catch.hpp>

#include "model/auth/bound_claims.h"
#include "model/auth/bound_validator.h"
#include "model/auth/go_text.h"

namespace sasim::model::auth {
namespace claims_1_31_test {

constexpr std::int64_t kNow = 1514764800;
const ClaimRef kAccount{"mysvcacct", "mysvcacct-uid"};
const ClaimRef kPod{"mypod", "mypod-uid"};
const ClaimRef kSecret{"mysecret", "mysecret-uid"};
const ClaimRef kNode{"mynode", "mynode-uid"};

// The 1.31 release's Claims(): pod with Secret (or node with Secret) is an
// error, jti minted.
ClaimsOptions options_131() {
  ClaimsOptions options;
  options.reject_pod_and_secret = true;
  options.jti = true;
  return options;
}

struct ClaimsCase {
  const char* name;
  BoundObjects bound;
  std::int64_t exp;
  std::int64_t warn_after;
  std::vector<std::string> aud;
  const char* payload;  // nullptr: an error
};

#define SA_CLAIM R"("serviceaccount":{"name":"mysvcacct","uid":"mysvcacct-uid"})"
#define SUB R"("sub":"system:serviceaccount:myns:mysvcacct")"

TEST_CASE("TestClaims of 1.31: jti - node bindings - and a Secret with anything else refused") {
  const ClaimsCase cases[] = {
      {"case 0 - pod and secret", {kPod, kSecret, std::nullopt}, 0, 0, {}, nullptr},
      {"case 1 - pod - empty audience", {kPod, std::nullopt, std::nullopt}, 100, 0, {},
       R"({"exp":1514764900,"iat":1514764800,"jti":"fixed","kubernetes.io":{"namespace":"myns",)"
       R"("pod":{"name":"mypod","uid":"mypod-uid"},)" SA_CLAIM R"(},"nbf":1514764800,)" SUB "}"},
      {"case 2 - secret", {std::nullopt, kSecret, std::nullopt}, 100, 0, {"1"},
       R"({"aud":["1"],"exp":1514764900,"iat":1514764800,"jti":"fixed","kubernetes.io":{"namespace":"myns",)"
       R"("secret":{"name":"mysecret","uid":"mysecret-uid"},)" SA_CLAIM R"(},"nbf":1514764800,)" SUB "}"},
      {"case 3 - no object binding", {}, 100, 0, {"1", "2"},
       R"({"aud":["1","2"],"exp":1514764900,"iat":1514764800,"jti":"fixed","kubernetes.io":{"namespace":"myns",)"
       SA_CLAIM R"(},"nbf":1514764800,)" SUB "}"},
      {"case 4 - warn after", {kPod, std::nullopt, std::nullopt}, 60 * 60 * 24, 60 * 60, {},
       R"({"exp":1514851200,"iat":1514764800,"jti":"fixed","kubernetes.io":{"namespace":"myns",)"
       R"("pod":{"name":"mypod","uid":"mypod-uid"},)" SA_CLAIM R"(,"warnafter":1514768400},"nbf":1514764800,)" SUB "}"},
      {"case 5 - node alone", {std::nullopt, std::nullopt, kNode}, 0, 0, {},
       R"({"exp":1514764800,"iat":1514764800,"jti":"fixed","kubernetes.io":{"namespace":"myns",)"
       R"("node":{"name":"mynode","uid":"mynode-uid"},)" SA_CLAIM R"(},"nbf":1514764800,)" SUB "}"},
      {"case 6 - node and pod", {kPod, std::nullopt, kNode}, 0, 0, {},
       R"({"exp":1514764800,"iat":1514764800,"jti":"fixed","kubernetes.io":{"namespace":"myns",)"
       R"("node":{"name":"mynode","uid":"mynode-uid"},"pod":{"name":"mypod","uid":"mypod-uid"},)" SA_CLAIM
       R"(},"nbf":1514764800,)" SUB "}"},
      {"case 7 - node and secret", {std::nullopt, kSecret, kNode}, 0, 0, {}, nullptr},
      {"case 8 - ensure JTI is set", {}, 0, 0, {},
       R"({"exp":1514764800,"iat":1514764800,"jti":"fixed","kubernetes.io":{"namespace":"myns",)" SA_CLAIM
       R"(},"nbf":1514764800,)" SUB "}"},
  };
  for (const ClaimsCase& c : cases) {
    SECTION(c.name) {
      auto claims = make_bound_claims("", "myns", kAccount, c.bound, c.exp, c.warn_after, c.aud, kNow, options_131(),
                                      "fixed");
      if (c.payload == nullptr) {
        REQUIRE_FALSE(claims.ok());
        CHECK(claims.error().message == "internal error, token can only be bound to one object type");
        continue;
      }
      REQUIRE(claims.ok());
      CHECK(go_json_dump(to_json(claims.value())) == c.payload);
      CHECK(claims.value().jti == "fixed");
      auto read = bound_claims_from_json(to_json(claims.value()));
      REQUIRE(read.ok());
      CHECK(read.value() == claims.value());
    }
  }
}

#undef SA_CLAIM
#undef SUB

// fakeGetter of 1.31: an account, a Secret, a pod and a node, each optional.
class FakeGetter final : public BoundObjectGetter {
 public:
  std::optional<Object> account, secret_object, pod_object, node_object;

  sim::Result<Object> service_account(std::string_view, std::string_view name) override {
    if (!account) return sim::unexpected(sim::Error{"serviceaccounts \"" + std::string(name) + "\" not found"});
    return *account;
  }
  std::optional<Object> secret(std::string_view, std::string_view) override { return secret_object; }
  std::optional<Object> pod(std::string_view, std::string_view) override { return pod_object; }
  std::optional<Object> node(std::string_view) override { return node_object; }
};

constexpr std::int64_t kNowNanos = kNow * 1'000'000'000LL;

BoundClaims private_claims() {
  BoundClaims claims;
  claims.subject = "system:serviceaccount:ns:saname";
  claims.ns = "ns";
  claims.service_account = {"saname", "sauid"};
  claims.expiry = kNow;
  return claims;
}

BoundValidatorOptions options_131_validation() {
  BoundValidatorOptions options;
  options.go_jose_checks_iat = true;
  options.uid_before_deletion = true;
  options.node_binding_validation = true;
  options.pod_node_info = true;
  options.credential_id = true;
  return options;
}

struct ValidateCase {
  std::string name;
  FakeGetter getter;
  BoundClaims claims;
  std::string error;  // empty: valid
};

std::vector<ValidateCase> node_cases() {
  std::vector<ValidateCase> cases;
  const BoundObjectGetter::Object account{"sauid", std::nullopt};
  {
    FakeGetter g;
    g.account = account;
    BoundClaims c = private_claims();
    c.node = ClaimRef{"nodename", "nodeuid"};
    cases.push_back({"missing node", g, c, "service account token has been invalidated"});
  }
  struct Deletion {
    std::string name;
    std::optional<std::int64_t> at;
    bool invalid;
  };
  const Deletion grid[] = {{"valid", std::nullopt, false},          {"deleted now", kNow, false},
                           {"deleted near past", kNow - 1, false},    {"deleted near future", kNow + 1, false},
                           {"deleted now-leeway", kNow - 60, false},  {"deleted now-leeway-1", kNow - 61, true}};
  for (const Deletion& d : grid) {
    FakeGetter g;
    g.account = account;
    g.node_object = BoundObjectGetter::Object{"nodeuid", d.at};
    BoundClaims c = private_claims();
    c.node = ClaimRef{"nodename", "nodeuid"};
    cases.push_back({d.name + " node", g, c, d.invalid ? "service account token has been invalidated" : ""});
  }
  return cases;
}

TEST_CASE("TestValidatePrivateClaims of 1.31: the node cases") {
  for (ValidateCase c : node_cases()) {
    SECTION(c.name) {
      auto user = validate_bound_token(c.claims, c.getter, kNowNanos, options_131_validation());
      if (c.error.empty()) {
        CHECK(user.ok());
      } else {
        REQUIRE_FALSE(user.ok());
        CHECK(user.error().message == c.error);
      }
    }
  }
}

TEST_CASE("TestValidatePrivateClaims of 1.31: missing node needs ServiceAccountTokenNodeBindingValidation") {
  FakeGetter g;
  g.account = BoundObjectGetter::Object{"sauid", std::nullopt};
  BoundClaims c = private_claims();
  c.node = ClaimRef{"nodename", "nodeuid"};
  BoundValidatorOptions options = options_131_validation();
  options.node_binding_validation = false;
  auto user = validate_bound_token(c, g, kNowNanos, options);
  REQUIRE_FALSE(user.ok());
  CHECK(user.error().message ==
        "token is bound to a Node object but the ServiceAccountTokenNodeBindingValidation feature gate is disabled");
}

}  // namespace claims_1_31_test
}  // namespace sasim::model::auth
