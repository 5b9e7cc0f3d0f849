// Upstream's TestClaims (claims_test.go, the shape of 1.20-1.28: no jti, a
// pod wins over a Secret), with the payload compared as JSON text the way
// upstream compares json.Marshal of the claims.
#include "model/auth/bound_claims.h"

#include <catch2/catch.hpp>

#include "model/auth/go_text.h"

namespace sasim::model::auth {
namespace bound_claims_test {

constexpr std::int64_t kNow = 1514764800;
const ClaimRef kAccount{"mysvcacct", "mysvcacct-uid"};
const ClaimRef kPod{"mypod", "mypod-uid"};
const ClaimRef kSecret{"mysecret", "mysecret-uid"};

struct ClaimsCase {
  const char* name;
  BoundObjects bound;
  std::int64_t exp;
  std::int64_t warn_after;
  std::vector<std::string> aud;
  const char* payload;
};

TEST_CASE("TestClaims: the payload of each binding with upstream's fixtures") {
  const ClaimsCase cases[] = {
      {"case 0 pod and secret: the pod wins", {kPod, kSecret, std::nullopt}, 0, 0, {},
       R"({"exp":1514764800,"iat":1514764800,"kubernetes.io":{"namespace":"myns","pod":{"name":"mypod","uid":"mypod-uid"},)"
       R"("serviceaccount":{"name":"mysvcacct","uid":"mysvcacct-uid"}},"nbf":1514764800,"sub":"system:serviceaccount:myns:mysvcacct"})"},
      {"case 1 pod with an empty audience", {kPod, std::nullopt, std::nullopt}, 100, 0, {},
       R"({"exp":1514764900,"iat":1514764800,"kubernetes.io":{"namespace":"myns","pod":{"name":"mypod","uid":"mypod-uid"},)"
       R"("serviceaccount":{"name":"mysvcacct","uid":"mysvcacct-uid"}},"nbf":1514764800,"sub":"system:serviceaccount:myns:mysvcacct"})"},
      {"case 2 secret", {std::nullopt, kSecret, std::nullopt}, 100, 0, {"1"},
       R"({"aud":["1"],"exp":1514764900,"iat":1514764800,"kubernetes.io":{"namespace":"myns","secret":{"name":"mysecret",)"
       R"("uid":"mysecret-uid"},"serviceaccount":{"name":"mysvcacct","uid":"mysvcacct-uid"}},"nbf":1514764800,)"
       R"("sub":"system:serviceaccount:myns:mysvcacct"})"},
      {"case 3 no object binding", {}, 100, 0, {"1", "2"},
       R"({"aud":["1","2"],"exp":1514764900,"iat":1514764800,"kubernetes.io":{"namespace":"myns",)"
       R"("serviceaccount":{"name":"mysvcacct","uid":"mysvcacct-uid"}},"nbf":1514764800,"sub":"system:serviceaccount:myns:mysvcacct"})"},
      {"case 4 warn after", {kPod, std::nullopt, std::nullopt}, 60 * 60 * 24, 60 * 60, {},
       R"({"exp":1514851200,"iat":1514764800,"kubernetes.io":{"namespace":"myns","pod":{"name":"mypod","uid":"mypod-uid"},)"
       R"("serviceaccount":{"name":"mysvcacct","uid":"mysvcacct-uid"},"warnafter":1514768400},"nbf":1514764800,)"
       R"("sub":"system:serviceaccount:myns:mysvcacct"})"},
  };
  for (const ClaimsCase& c : cases) {
    SECTION(c.name) {
      auto claims = make_bound_claims("", "myns", kAccount, c.bound, c.exp, c.warn_after, c.aud, kNow, ClaimsOptions{});
      REQUIRE(claims.ok());
      CHECK(go_json_dump(to_json(claims.value())) == c.payload);
      // What the authenticator reads back is what was minted.
      auto read = bound_claims_from_json(to_json(claims.value()));
      REQUIRE(read.ok());
      CHECK(read.value() == claims.value());
    }
  }
}

TEST_CASE("TestClaims from 1.29: a Secret with a pod is an internal error") {
  ClaimsOptions options;
  options.reject_pod_and_secret = true;
  auto claims = make_bound_claims("", "myns", kAccount, {kPod, kSecret, std::nullopt}, 0, 0, {}, kNow, options);
  REQUIRE_FALSE(claims.ok());
  CHECK(claims.error().message == "internal error, token can only be bound to one object type");
  // A pod alone is fine.
  CHECK(make_bound_claims("", "myns", kAccount, {kPod, std::nullopt, std::nullopt}, 0, 0, {}, kNow, options).ok());
}

TEST_CASE("the issuer is the generator's and jti is written only when the release mints one") {
  ClaimsOptions options;
  auto without = make_bound_claims("https://kubernetes.default.svc.cluster.local", "myns", kAccount, {}, 3600, 0,
                                   {"api"}, kNow, options, "some-uuid");
  REQUIRE(without.ok());
  CHECK(to_json(without.value())["iss"] == "https://kubernetes.default.svc.cluster.local");
  CHECK_FALSE(to_json(without.value()).contains("jti"));
  options.jti = true;
  auto with = make_bound_claims("x", "myns", kAccount, {}, 3600, 0, {"api"}, kNow, options, "some-uuid");
  REQUIRE(with.ok());
  CHECK(to_json(with.value())["jti"] == "some-uuid");
}

TEST_CASE("bound claims are read as go-jose reads them") {
  SECTION("a single audience string") {
    auto claims = bound_claims_from_json(nlohmann::json::parse(R"({"aud":"api","exp":1.9})"));
    REQUIRE(claims.ok());
    CHECK(claims.value().audiences == std::vector<std::string>{"api"});
    CHECK(claims.value().expiry == 1);  // a float NumericDate truncates
  }
  SECTION("missing claims stay unset") {
    auto claims = bound_claims_from_json(nlohmann::json::parse(R"({"sub":"x"})"));
    REQUIRE(claims.ok());
    CHECK_FALSE(claims.value().expiry.has_value());
    CHECK_FALSE(claims.value().pod.has_value());
    CHECK(claims.value().warn_after == 0);
  }
  SECTION("claims of the wrong type are errors") {
    for (const char* bad : {R"({"exp":"soon"})", R"({"aud":[1]})", R"({"kubernetes.io":"x"})",
                            R"({"kubernetes.io":{"pod":{"uid":7}}})", R"({"kubernetes.io":{"warnafter":"x"}})"}) {
      CAPTURE(bad);
      CHECK_FALSE(bound_claims_from_json(nlohmann::json::parse(bad)).ok());
    }
  }
}

}  // namespace bound_claims_test
}  // namespace sasim::model::auth
