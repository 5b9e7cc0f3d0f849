// sasim fuzz on 1.20-1.25's TokenRequest API and bound tokens: the
// generator draws every shape of request and presentation per release, the
// invariants' oracle judges the bound tokens those cases present, and the
// reference model judges TokenRequest answers and the token volume of each
// release; each holds on the faithful model and fails on its broken variant.
#include <catch2/catch.hpp>

#include <set>

#include "scenarios/writer.h"
#include "tools/fuzz/campaign.h"

namespace sasim::tools::fuzz {
namespace {

using T = FuzzTokenRequest;

const reports::InvariantRecord* invariant(const CaseOutcome& out, const std::string& name) {
  for (const reports::InvariantRecord& inv : out.record.invariants) {
    if (inv.name == name) return &inv;
  }
  return nullptr;
}

// A request bound to pod p-1 of default's, created just before it, then `then`.
FuzzCase pod_bound_case(const std::string& version, T::Then then, sim::Duration wait) {
  FuzzCase c;
  c.cluster.version = version;
  FuzzOp op{.kind = OpKind::kTokenRequest,
            .object = FuzzObject{.kind = model::Kind::kServiceAccount, .name = "default"}};
  op.token_request = T{.account = "default", .bound = T::Bound::kPod, .bound_name = "p-1", .create_bound = true,
                       .then = then, .wait = wait};
  // 1.20 admits a pod only once its account's token Secret exists.
  c.ops.push_back(FuzzOp{.kind = OpKind::kWait, .wait = sim::Duration::seconds(5)});
  c.ops.push_back(op);
  return c;
}

}  // namespace

TEST_CASE("the generator draws token requests of every shape on every release") {
  for (const char* version : {"1.20", "1.21", "1.22", "1.23", "1.24", "1.25"}) {
    INFO(version);
    GeneratorOptions options;
    options.version = version;
    std::set<int> bounds, thens;
    std::set<std::int64_t> lifetimes;
    bool created = false, wrong_uid = false, long_wait = false, day_wait = false, other_audience = false,
         review_audience = false, unpresented = false;
    for (std::uint64_t i = 0; i < 400; ++i) {
      const FuzzCase c = generate_case(options, case_seed(1, i));
      for (const FuzzOp& op : c.ops) {
        if (op.kind != OpKind::kTokenRequest) continue;
        const T& t = op.token_request;
        bounds.insert(static_cast<int>(t.bound));
        thens.insert(static_cast<int>(t.then));
        lifetimes.insert(t.expiration_seconds.value_or(0));
        created = created || t.create_bound;
        wrong_uid = wrong_uid || t.wrong_uid;
        long_wait = long_wait || (t.wait > sim::Duration::hours(1) && t.wait < sim::Duration::hours(24));
        day_wait = day_wait || t.wait > sim::Duration::hours(24);
        other_audience = other_audience || (t.audiences.size() == 1 && t.audiences[0] == "vault");
        review_audience = review_audience || !t.review_audiences.empty();
        unpresented = unpresented || !t.present;
      }
    }
    CHECK(bounds.size() == 4);
    CHECK(thens.size() == 5);
    // Unset, the API's bounds, the extension's 3607 and the release's
    // projected lifetime (3600 in 1.20, 3607 after), above the caps.
    for (std::int64_t s : {0, 599, 600, 3607, 7200, 172800}) CHECK(lifetimes.count(s) == 1);
    CHECK(lifetimes.count(std::string(version) == "1.20" ? 3600 : 3607) == 1);
    CHECK((created && wrong_uid && long_wait && day_wait && other_audience && review_audience && unpresented));
  }
}

TEST_CASE("a token request case writes a scenario that parses back to the same text") {
  FuzzCase c = pod_bound_case("1.24", T::Then::kRecreateBound, sim::Duration::minutes(2));
  c.ops.back().token_request.audiences = {"vault"};
  c.ops.back().token_request.review_audiences = {"vault"};
  c.ops.back().token_request.expiration_seconds = 3607;
  c.cluster.max_token_expiration = sim::Duration::hours(2);
  c.cluster.extend_token_expiration = false;
  auto s = to_scenario(c, "case");
  REQUIRE(s.ok());
  CHECK(s.value().steps.size() == step_count(c));
  CHECK(step_count(c) == 1 + 6);  // wait; create, tokenRequest, delete, wait, create, authenticate
  const std::string text = scenarios::write_scenario(s.value());
  CHECK(text.find("tokenRequest:") != std::string::npos);
  CHECK(text.find("response: \"{.status.token}\"") != std::string::npos);
  CHECK(text.find("maxTokenExpiration") != std::string::npos);
  // A day's wait raises the run's simulated-time limit past it.
  FuzzCase day = pod_bound_case("1.22", T::Then::kWait, sim::Duration::hours(25));
  auto long_run = to_scenario(day, "case");
  REQUIRE(long_run.ok());
  CHECK(long_run.value().limits.time > sim::Duration::hours(25));
}

TEST_CASE("a pod-bound token is judged by the oracle before and after its pod is recreated and after it expires") {
  const CaseSettings faithful = case_settings({});
  const CaseSettings broken = case_settings({"bound-validator-ignore-pod"});
  for (const char* version : {"1.20", "1.22", "1.25"}) {
    INFO(version);
    // Recreated: a new uid, which the token does not name.
    const FuzzCase recreated = pod_bound_case(version, T::Then::kRecreateBound, sim::Duration::minutes(2));
    const CaseOutcome ok = run_case(recreated, faithful);
    INFO(ok.kind << ": " << ok.message);
    CHECK_FALSE(ok.failed);
    // The request, the presentation: each step as the case ran it.
    std::size_t presented = 0;
    for (const reports::StepRecord& step : ok.record.steps) presented += step.action == "authenticate" ? 1 : 0;
    CHECK(presented == 1);
    const CaseOutcome bad = run_case(recreated, broken);
    CHECK(bad.failed);
    // The kubelet's bound-tokens-respect-their-objects may report it first;
    // the oracle's invariant fails on it all the same.
    const reports::InvariantRecord* oracle = invariant(bad, "token-reviews-are-correct");
    REQUIRE(oracle != nullptr);
    CHECK_FALSE(oracle->held);
    REQUIRE_FALSE(oracle->violations.empty());
    CHECK_THAT(oracle->violations.front().message, Catch::Contains("does not match") && Catch::Contains("claim"));
    // Past exp and the leeway: refused on both builds, and the oracle agrees.
    const CaseOutcome expired = run_case(pod_bound_case(version, T::Then::kWait, sim::Duration::minutes(61)), faithful);
    INFO(expired.kind << ": " << expired.message);
    CHECK_FALSE(expired.failed);
    const reports::InvariantRecord* reviews = invariant(expired, "token-reviews-are-correct");
    REQUIRE(reviews != nullptr);
    CHECK(reviews->held);
  }
}

TEST_CASE("the reference model judges TokenRequest lifetimes per release and fails on a token of the wrong lifetime") {
  const CaseSettings faithful = case_settings({});
  const CaseSettings broken = case_settings({"token-request-ignore-expiration"});
  // The extension (3607 s, pod-bound), the cap, and an other audience
  // (1.24+: no extension for it), with and without the extension flag.
  for (const char* version : {"1.20", "1.23", "1.24"}) {
    for (const bool extend : {true, false}) {
      for (const std::vector<std::string>& audiences : {std::vector<std::string>{}, std::vector<std::string>{"vault"}}) {
        for (const std::int64_t seconds : {3607, 7200, 599}) {
          INFO(version << " extend " << extend << " audiences " << audiences.size() << " seconds " << seconds);
          FuzzCase c = pod_bound_case(version, T::Then::kNothing, {});
          c.cluster.extend_token_expiration = extend;
          c.cluster.max_token_expiration = sim::Duration::hours(2);
          c.ops.back().token_request.expiration_seconds = seconds;
          c.ops.back().token_request.audiences = audiences;
          c.ops.back().token_request.present = false;
          const CaseOutcome ok = run_case(c, faithful);
          INFO(ok.kind << ": " << ok.message);
          CHECK_FALSE(ok.failed);
          // The broken apiserver grants 3600 s whatever was asked.
          const CaseOutcome bad = run_case(c, broken);
          CHECK(bad.failed == (seconds != 599));
        }
      }
    }
  }
}

TEST_CASE("the reference model wants the projected token volume from 1.21 and fails on a Secret volume") {
  FuzzCase c;
  c.ops.push_back(FuzzOp{.kind = OpKind::kWait, .wait = sim::Duration::seconds(5)});
  c.ops.push_back(FuzzOp{.kind = OpKind::kCreate,
                         .object = FuzzObject{.kind = model::Kind::kPod, .name = "p-1", .secret_volume = "s-1"}});
  for (const char* version : {"1.20", "1.21", "1.22", "1.23"}) {
    INFO(version);
    c.cluster.version = version;
    CHECK_FALSE(run_case(c, case_settings({})).failed);
    const CaseOutcome bad = run_case(c, case_settings({"admission-secret-volume-mount"}));
    // 1.20 mounts the Secret volume anyway: the variant changes nothing there.
    CHECK(bad.failed == (std::string(version) != "1.20"));
    if (bad.failed) CHECK_THAT(bad.message, Catch::Contains("has a Secret volume for its token"));
  }
}

TEST_CASE("fixed-seed campaigns on every release 1.20-1.25 find nothing") {
  for (const char* version : {"1.20", "1.21", "1.22", "1.23", "1.24", "1.25"}) {
    INFO(version);
    CampaignOptions options;
    options.seed = 1;
    options.cases = 150;
    options.generator.version = version;
    const CampaignResult r = run_campaign(options);
    INFO(render_summary(options, r));
    CHECK(r.cases == 150);
    CHECK(r.failures == 0);
  }
}

}  // namespace sasim::tools::fuzz
