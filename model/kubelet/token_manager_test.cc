// Upstream's pkg/kubelet/token/token_manager_test.go cases as tables of ours
// (TestTokenCachingAndExpiration, TestRequiresRefresh,
// TestDeleteServiceAccountToken, TestCleanup, TestKeyFunc), plus the failure
// handling after the status expiry and the cache key's format.
#include "model/kubelet/token_manager.h"

#include <catch2/catch.hpp>

#include <set>

namespace sasim::model::kubelet {
namespace {

using sim::Duration;
using sim::Time;

const Time kStart = Time::from_start(Duration::hours(24 * 30));

std::shared_ptr<const TokenRequest> answer(const TokenRequest& request, Time now, std::int64_t exp_seconds,
                                           std::string token = "foo") {
  auto out = std::make_shared<TokenRequest>(request);
  out->expiration_seconds = exp_seconds;
  out->expiration_timestamp = now + Duration::seconds(exp_seconds);
  out->token = DataValue(std::move(token));
  return out;
}

TokenRequest pod_request(std::string pod, std::string uid, std::int64_t exp_seconds) {
  TokenRequest request;
  request.expiration_seconds = exp_seconds;
  request.bound_object_ref = BoundObjectReference{.kind = "Pod", .api_version = "v1", .name = pod, .uid = uid};
  return request;
}

}  // namespace

TEST_CASE("TestTokenCachingAndExpiration") {
  struct Case {
    const char* name;
    std::int64_t exp_seconds;
    Duration advance;
    bool fail_refresh;
    int calls_after;
  };
  const Case cases[] = {
      {"rotate hour token expires in the last 12 minutes", 3600, Duration::minutes(50), false, 2},
      {"rotate 24 hour token that expires in 40 hours", 40 * 3600, Duration::hours(25), false, 2},
      {"rotate hour token fails, old token is still valid, doesn't error", 3600, Duration::minutes(50), true, 2},
  };
  for (const std::int64_t jitter_seconds : {0, 9}) {
    for (const Case& c : cases) {
      DYNAMIC_SECTION(c.name << " (jitter " << jitter_seconds << "s)") {
        TokenManager manager;
        Time now = kStart;
        int calls = 0;
        bool fail = false;
        const TokenRequest request = pod_request("p", "u", c.exp_seconds);
        auto jitter = [&] { return Duration::seconds(jitter_seconds); };
        auto fetch = [&]() -> TokenFetch {
          ++calls;
          if (fail) return {.token = nullptr, .error = "fail"};
          return {.token = answer(request, now, c.exp_seconds)};
        };
        TokenResult first = manager.get("ns", "sa", request, now, jitter, fetch);
        REQUIRE(first.token);
        CHECK(calls == 1);
        TokenResult cached = manager.get("ns", "sa", request, now, jitter, fetch);
        CHECK(cached.token == first.token);
        CHECK(calls == 1);
        now = now + c.advance;
        fail = c.fail_refresh;
        TokenResult later = manager.get("ns", "sa", request, now, jitter, fetch);
        CHECK(calls == c.calls_after);
        REQUIRE(later.error.empty());
        CHECK(later.token->token->bytes() == "foo");
        CHECK(later.kept_old == c.fail_refresh);
      }
    }
  }
}

TEST_CASE("TestRequiresRefresh") {
  struct Case {
    Duration now;
    Duration exp;
    bool has_expiration_seconds;
    bool expect;
  };
  const Case cases[] = {
      {Duration::minutes(10), Duration::minutes(60), true, false},
      {Duration::minutes(50), Duration::minutes(60), true, true},
      {Duration::hours(25), Duration::hours(60), true, true},
      {Duration::minutes(70), Duration::minutes(60), true, true},
      {Duration::zero(), Duration::minutes(60), false, false},
  };
  for (const Case& c : cases) {
    TokenRequest cached;
    cached.expiration_timestamp = kStart + c.exp;
    if (c.has_expiration_seconds) cached.expiration_seconds = c.exp.ns() / Duration::seconds(1).ns();
    for (const std::int64_t jitter : {0, 9}) {
      CAPTURE(c.now.ns(), c.exp.ns(), c.has_expiration_seconds, jitter);
      CHECK(token_requires_refresh(cached, kStart + c.now, Duration::seconds(jitter)) == c.expect);
    }
  }
}

TEST_CASE("requiresRefresh: 80 % of a 3607-second TTL is 2886 s less the jitter (integer division of the 20 %)") {
  TokenRequest cached;
  cached.expiration_seconds = 3607;
  cached.expiration_timestamp = kStart + Duration::seconds(3607);
  // 3607 * 20 / 100 = 721: due strictly after iat + 2886 s - jitter.
  CHECK_FALSE(token_requires_refresh(cached, kStart + Duration::seconds(2886), Duration::zero()));
  CHECK(token_requires_refresh(cached, kStart + Duration::seconds(2886) + Duration::nanoseconds(1), Duration::zero()));
  CHECK_FALSE(token_requires_refresh(cached, kStart + Duration::seconds(2877), Duration::seconds(9)));
  CHECK(token_requires_refresh(cached, kStart + Duration::seconds(2878), Duration::seconds(9)));
  // The 24 h rule wins for long TTLs: a 48 h token is due after 24 h - jitter.
  cached.expiration_seconds = 48 * 3600;
  cached.expiration_timestamp = kStart + Duration::hours(48);
  CHECK_FALSE(token_requires_refresh(cached, kStart + Duration::hours(24) - Duration::seconds(9), Duration::seconds(9)));
  CHECK(token_requires_refresh(cached, kStart + Duration::hours(24) - Duration::seconds(8), Duration::seconds(9)));
}

TEST_CASE("the jitter is a whole number of seconds from 0 to 9") {
  CHECK(token_refresh_jitter(0.0) == Duration::zero());
  CHECK(token_refresh_jitter(0.0999) == Duration::zero());
  CHECK(token_refresh_jitter(0.1) == Duration::seconds(1));
  CHECK(token_refresh_jitter(0.95) == Duration::seconds(9));
  CHECK(token_refresh_jitter(0.999999) == Duration::seconds(9));
}

TEST_CASE("a failed refresh after the status expiry is an error naming the key (before any token: failed to fetch)") {
  TokenManager manager;
  const TokenRequest request = pod_request("p", "u", 3600);
  auto no_jitter = [] { return Duration::zero(); };
  TokenResult none = manager.get("ns", "sa", request, kStart, no_jitter,
                                 [] { return TokenFetch{.token = nullptr, .error = "connection refused"}; });
  CHECK(none.token == nullptr);
  CHECK(none.error == "failed to fetch token: connection refused");
  CHECK(manager.size() == 0);  // a failed first fetch caches nothing

  REQUIRE(manager.get("ns", "sa", request, kStart, no_jitter, [&] { return TokenFetch{.token = answer(request, kStart, 3600)}; }).token);
  const Time after = kStart + Duration::seconds(3601);
  TokenResult expired = manager.get("ns", "sa", request, after, no_jitter,
                                    [] { return TokenFetch{.token = nullptr, .error = "timeout"}; });
  CHECK(expired.token == nullptr);
  CHECK(expired.error == "token " + token_cache_key("sa", "ns", request) + " expired and refresh failed: timeout");
}

TEST_CASE("TestDeleteServiceAccountToken") {
  // Requests 0-3 are fake-name-N/fake-namespace-N bound to fake-uid-N with
  // N = index + 1; request 3 fails; request 4 repeats request 3 and succeeds.
  auto n_of = [](int i) { return std::to_string(i == 4 ? 4 : i + 1); };
  auto request_of = [&](int i) { return pod_request("fake-name-" + n_of(i), "fake-uid-" + n_of(i), 3600); };
  auto ns_of = [&](int i) { return "fake-namespace-" + n_of(i); };
  auto sa_of = [&](int i) { return "fake-name-" + n_of(i); };
  struct Case {
    const char* name;
    std::vector<int> requests;
    std::vector<std::string> delete_uids;
    std::set<int> expect;
  };
  const Case cases[] = {
      {"delete none with all success requests", {0, 1, 2}, {}, {0, 1, 2}},
      {"delete one with all success requests", {0, 1, 2}, {"fake-uid-1"}, {1, 2}},
      {"delete two with all success requests", {0, 1, 2}, {"fake-uid-1", "fake-uid-3"}, {1}},
      {"delete all with all success requests", {0, 1, 2}, {"fake-uid-1", "fake-uid-2", "fake-uid-3"}, {}},
      {"delete no pod with failed requests", {0, 1, 2, 3}, {}, {0, 1, 2}},
      {"delete other pod with failed requests", {0, 1, 2, 3}, {"fake-uid-2"}, {0, 2}},
      {"delete no pod with request which success after failure", {0, 1, 2, 3, 4}, {}, {0, 1, 2, 4}},
      {"delete the pod which success after failure", {0, 1, 2, 3, 4}, {"fake-uid-4"}, {0, 1, 2}},
      {"delete other pod with request which success after failure", {0, 1, 2, 3, 4}, {"fake-uid-1"}, {1, 2, 4}},
      {"delete some pod not in the set", {0, 1, 2}, {"fake-uid-100", "fake-uid-200"}, {0, 1, 2}},
  };
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.name) {
      TokenManager manager;
      for (int i : c.requests) {
        const TokenRequest request = request_of(i);
        manager.get(ns_of(i), sa_of(i), request, kStart, [] { return Duration::zero(); }, [&]() -> TokenFetch {
          if (i == 3) return {.token = nullptr, .error = "fail tr"};
          return {.token = answer(request, kStart, 36000)};
        });
      }
      for (const std::string& uid : c.delete_uids) manager.delete_service_account_token(uid);
      CHECK(manager.size() == c.expect.size());
      for (int i : c.expect) CHECK(manager.contains(token_cache_key(sa_of(i), ns_of(i), request_of(i))));
    }
  }
}

TEST_CASE("TestCleanup") {
  // Upstream's names are swapped: an entry past its status expiry goes, a live one stays.
  struct Case {
    const char* name;
    Duration relative_exp;
    bool negative;
    std::size_t expect;
  };
  const Case cases[] = {{"expired token is cleaned up", Duration::hours(1), true, 0},
                        {"unexpired token is kept", Duration::hours(1), false, 1}};
  for (const Case& c : cases) {
    DYNAMIC_SECTION(c.name) {
      TokenManager manager;
      const TokenRequest request = pod_request("p", "u", 3600);
      auto token = std::make_shared<TokenRequest>(request);
      token->expiration_timestamp = c.negative ? kStart - c.relative_exp : kStart + c.relative_exp;
      manager.finish(token_cache_key("sa", "ns", request), kStart, TokenFetch{.token = token});
      CHECK(manager.cleanup(kStart) == 1 - c.expect);
      CHECK(manager.size() == c.expect);
    }
  }
}

TEST_CASE("TestKeyFunc") {
  auto request = [](std::int64_t exp, std::string pod) {
    TokenRequest r = pod_request(std::move(pod), "foo-uid", exp);
    r.audiences = {"foo1", "foo2"};
    return r;
  };
  const std::string base = token_cache_key("foo-sa", "foo-ns", request(2000, "foo-pod"));
  CHECK(token_cache_key("foo-sa", "foo-ns", request(2000, "foo-pod")) == base);  // hit
  CHECK(token_cache_key("foo-sa", "foo-ns", request(2001, "foo-pod")) != base);  // different ExpirationSeconds
  CHECK(token_cache_key("foo-sa", "foo-ns", request(2000, "diff-pod")) != base);  // different BoundObjectRef
  CHECK(base ==
        "\"foo-sa\"/\"foo-ns\"/[]string{\"foo1\", \"foo2\"}/2000/"
        "v1.BoundObjectReference{Kind:\"Pod\", APIVersion:\"v1\", Name:\"foo-pod\", UID:\"foo-uid\"}");
}

TEST_CASE("the cache key has no ServiceAccount uid (kubernetes#132802): nil audiences print as Go's nil slice") {
  const TokenRequest request = pod_request("p", "u", 3607);
  CHECK(token_cache_key("default", "ns", request) ==
        "\"default\"/\"ns\"/[]string(nil)/3607/"
        "v1.BoundObjectReference{Kind:\"Pod\", APIVersion:\"v1\", Name:\"p\", UID:\"u\"}");
}

}  // namespace sasim::model::kubelet
