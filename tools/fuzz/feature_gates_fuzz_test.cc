// sasim fuzz and feature gates: cases draw settings of the gates their
// release does not lock (valid in every release they upgrade to) and write
// them into the scenario; the reference model judges by the release with
// those gates; paths behind a gate that is off by default (V10, node-bound
// token validation on 1.29 and 1.30) are reached, and a broken variant that
// only a non-default gate shows is found. Range campaigns draw each op for
// the release in force at that op.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "model/coverage/probes.h"
#include "model/versions/feature_gates.h"
#include "scenarios/parser.h"
#include "scenarios/writer.h"
#include "tools/fuzz/campaign.h"
#include "tools/fuzz/upgrades.h"
#include "tools/runner/runner.h"

namespace sasim::tools::fuzz {
namespace feature_gates_fuzz_test {

namespace v = model::versions;
using T = FuzzTokenRequest;

std::uint64_t probe_count(const std::vector<std::uint64_t>& coverage, std::string_view id) {
  const auto probe = model::coverage::find_probe(id);
  REQUIRE(probe);
  const std::uint32_t i = model::coverage::index_of(*probe);
  return i < coverage.size() ? coverage[i] : 0;
}

std::filesystem::path temp_dir(const std::string& name) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("sasim-gates-test-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// A TokenRequest bound to kFuzzNode (created just before) and presented,
// once the namespace's default account exists.
FuzzCase node_bound_case(const std::string& version) {
  FuzzCase c;
  c.cluster.version = version;
  c.ops.push_back(FuzzOp{.kind = OpKind::kWait, .wait = sim::Duration::seconds(5)});
  FuzzOp op{.kind = OpKind::kTokenRequest,
            .object = FuzzObject{.kind = model::Kind::kServiceAccount, .name = "default"}};
  op.token_request = T{.account = "default", .bound = T::Bound::kNode, .bound_name = std::string(kFuzzNode),
                       .create_bound = true};
  c.ops.push_back(op);
  return c;
}

TEST_CASE("the generator draws the gates a release does not lock (mostly off their default) into the scenario") {
  for (const v::KubeVersion& version : {v::KubeVersion{20}, v::KubeVersion{26}, v::KubeVersion{28}, v::KubeVersion{29},
                                        v::KubeVersion{30}, v::KubeVersion{33}}) {
    INFO(version.to_string());
    GeneratorOptions options;
    options.version = version.to_string();
    int with_gates = 0;
    std::set<std::string> flipped;
    const int cases = 400;
    for (int i = 0; i < cases; ++i) {
      const FuzzCase c = generate_case(options, case_seed(5, static_cast<std::uint64_t>(i)));
      if (c.cluster.feature_gates.empty()) continue;
      ++with_gates;
      for (const auto& [name, value] : c.cluster.feature_gates) {
        INFO(name);
        const auto gate = std::find_if(v::all_gates().begin(), v::all_gates().end(),
                                       [&gate_name = name](v::Gate g) { return v::gate_name(g) == gate_name; });
        REQUIRE(gate != v::all_gates().end());
        const v::GateState state = v::gate_state(*gate, version);
        CHECK(state.stage != v::Stage::kAbsent);
        CHECK_FALSE(state.locked);
        if (value != state.default_on) flipped.insert(name);
      }
      // Written into the scenario, so that a counterexample replays with them.
      auto scenario = to_scenario(c, "case");
      REQUIRE(scenario.ok());
      CHECK(scenario.value().cluster.feature_gates == c.cluster.feature_gates);
      const std::string text = scenarios::write_scenario(scenario.value());
      CHECK_THAT(text, Catch::Contains("featureGates"));
      auto parsed = scenarios::parse_scenario_text(text, "case.yaml");
      REQUIRE(parsed.ok());
      CHECK(parsed.value().cluster.feature_gates == c.cluster.feature_gates);
    }
    // About one case in four sets gates; most stay as the release ships.
    CHECK(with_gates > cases / 8);
    CHECK(with_gates < cases / 2);
    // Every gate the release leaves unlocked is drawn off its default.
    std::set<std::string> unlocked;
    for (v::Gate gate : v::all_gates()) {
      const v::GateState state = v::gate_state(gate, version);
      if (state.stage != v::Stage::kAbsent && !state.locked) unlocked.insert(std::string(v::gate_name(gate)));
    }
    CHECK(flipped == unlocked);
  }
}

TEST_CASE("the gates a range case draws hold in every release it upgrades to and the parser accepts them") {
  for (const char* range : {"1.20..1.25", "1.24..1.33", "1.28..1.31"}) {
    INFO(range);
    GeneratorOptions options;
    options.version = range;
    int upgraded_with_gates = 0;
    for (int i = 0; i < 300; ++i) {
      const FuzzCase c = generate_case(options, case_seed(3, static_cast<std::uint64_t>(i)));
      CHECK(feature_gates_hold(c));
      const std::vector<v::KubeVersion> reached = releases_reached(c);
      REQUIRE_FALSE(reached.empty());
      if (!c.cluster.feature_gates.empty() && reached.size() > 1) ++upgraded_with_gates;
      // The parser checks the gates against each upgrade step's release.
      auto scenario = to_scenario(c, "case");
      REQUIRE(scenario.ok());
      auto parsed = scenarios::parse_scenario_text(scenarios::write_scenario(scenario.value()), "case.yaml");
      INFO(scenarios::write_scenario(scenario.value()));
      CHECK(parsed.ok());
    }
    CHECK(upgraded_with_gates > 0);
  }
  // A gate removed in a release the case reaches does not hold.
  FuzzCase c;
  c.cluster.version = "1.21";
  c.cluster.last_version = "1.23";
  c.cluster.feature_gates = {{"BoundServiceAccountTokenVolume", true}};
  CHECK(feature_gates_hold(c));
  const std::vector<v::Component> all{v::kUpgradeOrder.begin(), v::kUpgradeOrder.end()};
  c.ops.push_back(FuzzOp{.kind = OpKind::kUpgrade, .upgrade_components = all});
  CHECK(feature_gates_hold(c));  // 1.22: GA and locked to true
  c.ops.push_back(FuzzOp{.kind = OpKind::kUpgrade, .upgrade_components = all});
  CHECK(releases_reached(c).size() == 3);
  CHECK_FALSE(feature_gates_hold(c));  // 1.23 has no such gate
}

TEST_CASE("a range campaign draws node-bound requests where the release in force at the op knows Nodes") {
  for (const char* range : {"1.28..1.29", "1.24..1.33"}) {
    INFO(range);
    GeneratorOptions options;
    options.version = range;
    int after_upgrade = 0;
    int node_bound = 0;
    for (int i = 0; i < 2000; ++i) {
      const FuzzCase c = generate_case(options, case_seed(1, static_cast<std::uint64_t>(i)));
      const UpgradeTimeline timeline = upgrade_timeline(c);
      for (std::size_t k = 0; k < c.ops.size(); ++k) {
        if (c.ops[k].kind != OpKind::kTokenRequest || c.ops[k].token_request.bound != T::Bound::kNode) continue;
        ++node_bound;
        // Never before 1.29: that release's TokenRequest knows no Nodes.
        CHECK(timeline.before[k].of(v::Component::kApiServer) >= v::KubeVersion{29});
        if (v::KubeVersion::parse(c.cluster.version).value() < v::KubeVersion{29}) ++after_upgrade;
      }
    }
    CHECK(node_bound > 0);
    // 1.28..1.29 starts most cases at 1.28, which has none: those it draws
    // come after an upgrade to 1.29 (the first release used to decide).
    if (std::string(range) == "1.28..1.29") CHECK(after_upgrade > 0);
  }
}

TEST_CASE("the reference model judges a node-bound TokenRequest by the case's gates") {
  // 1.29 refuses a Node binding with ServiceAccountTokenNodeBinding off (its default).
  FuzzCase c = node_bound_case("1.29");
  const CaseSettings faithful = case_settings({});
  const CaseOutcome off = run_case(c, faithful);
  CHECK_FALSE(off.failed);
  // Steps: the wait, the Node's create, the request, the presentation.
  REQUIRE(off.record.steps.size() >= 4);
  c.cluster.feature_gates = {{"ServiceAccountTokenNodeBinding", true}, {"ServiceAccountTokenNodeBindingValidation", true}};
  const CaseOutcome on = run_case(c, faithful);
  INFO(on.message);
  CHECK_FALSE(on.failed);
  // The two runs differ by the answer: refused (400) without the gate,
  // issued with it; the reference model expected each.
  CHECK_FALSE(off.record.steps[2].ok);
  CHECK(on.record.steps[2].ok);
  CHECK(probe_count(on.record.coverage, "V10-node-bound-token-checked") > 0);
  CHECK(probe_count(off.record.coverage, "V10-node-bound-token-checked") == 0);
  // Judged by the release's defaults, the accepted request would be a
  // disagreement: the gates are what the model judges by.
  const TokenRequestExchange accepted{.request = std::make_shared<const model::TokenRequest>(),
                                      .response = std::make_shared<const model::TokenRequest>()};
  CHECK(compare_token_requests(c, {accepted}, 0).empty());
  FuzzCase judged_without = c;
  judged_without.cluster.feature_gates.clear();
  const std::vector<Disagreement> wrong = compare_token_requests(judged_without, {accepted}, 0);
  REQUIRE(wrong.size() == 1);
  CHECK_THAT(wrong.front().message, Catch::Contains("ServiceAccountTokenNodeBinding is off"));
}

TEST_CASE("1.20 with BoundServiceAccountTokenVolume on wants projected tokens and fails on a Secret volume") {
  FuzzCase c;
  c.cluster.version = "1.20";
  c.ops.push_back(FuzzOp{.kind = OpKind::kWait, .wait = sim::Duration::seconds(5)});
  c.ops.push_back(FuzzOp{.kind = OpKind::kCreate, .object = FuzzObject{.kind = model::Kind::kPod, .name = "p-1"}});
  const CaseSettings broken = case_settings({"admission-secret-volume-mount"});
  // As 1.20 ships, the variant changes nothing: admission mounts the Secret.
  CHECK_FALSE(run_case(c, broken).failed);
  c.cluster.feature_gates = {{"BoundServiceAccountTokenVolume", true}};
  CHECK_FALSE(run_case(c, case_settings({})).failed);
  const CaseOutcome bad = run_case(c, broken);
  CHECK(bad.failed);
  CHECK_THAT(bad.message, Catch::Contains("has a Secret volume for its token"));
}

TEST_CASE("campaigns reach node-bound validation on 1.29 and 1.30 and over 1.24..1.33 and find nothing") {
  // V10 needs a case with the gates on (1.29: both node-binding gates,
  // 1.30: ServiceAccountTokenNodeBinding) and a node-bound token presented:
  // a few in a thousand cases. Seeds and budgets that reach it a few times.
  struct Campaign {
    const char* version;
    std::uint64_t seed;
    std::uint64_t cases;
  };
  for (const Campaign& campaign : {Campaign{"1.29", 1, 3000}, Campaign{"1.30", 2, 3000}, Campaign{"1.24..1.33", 2, 2000}}) {
    INFO(campaign.version);
    CampaignOptions options;
    options.seed = campaign.seed;
    options.cases = campaign.cases;
    options.generator.version = campaign.version;
    const CampaignResult r = run_campaign(options);
    INFO(render_summary(options, r));
    CHECK(r.failures == 0);
    CHECK(probe_count(r.coverage, "V10-node-bound-token-checked") > 0);
    // Reached, so the summary lists it neither as missed nor as unreachable.
    CHECK_THAT(render_summary(options, r), !Catch::Contains("V10-node-bound-token-checked"));
  }
}

TEST_CASE("a broken variant only a non-default gate shows is found on 1.29 and its counterexample keeps the gates") {
  CampaignOptions options;
  options.seed = 1;
  options.cases = 3000;
  options.broken = {"bound-validator-ignore-node"};
  options.generator.version = "1.29";
  options.out_dir = temp_dir("ignore-node").string();
  const CampaignResult r = run_campaign(options);
  INFO(render_summary(options, r));
  REQUIRE(r.failures == 1);
  CHECK(r.replay_confirmed);
  CHECK_FALSE(r.fails_on_correct_build);
  CHECK(r.error.empty());
  auto parsed = scenarios::parse_scenario_file(r.counterexample_path);
  REQUIRE(parsed.ok());
  // Node binding is off by default on 1.29: the counterexample needs it on,
  // and the shrinker dropped every gate it does not need.
  const std::map<std::string, bool>& gates = parsed.value().cluster.feature_gates;
  CHECK(gates.count("ServiceAccountTokenNodeBinding") == 1);
  for (const auto& [name, value] : gates) {
    INFO(name);
    CHECK((name == "ServiceAccountTokenNodeBinding" || name == "ServiceAccountTokenNodeBindingValidation"));
    CHECK(value);
  }
  // Without the gates the same timeline shows nothing with the variant.
  scenarios::Scenario without = parsed.value();
  without.cluster.feature_gates.clear();
  RunOptions broken;
  broken.broken = options.broken;
  auto run = run_scenario(without, broken);
  REQUIRE(run.ok());
  CHECK_FALSE(fails_for(run.value(), FailureCause{r.failure_kind, r.failure_object, r.failure_message}));
}

TEST_CASE("the shrinker drops the gates a failure does not need") {
  // A 1.20 failure that has nothing to do with gates (tokens-keep-orphan-tokens):
  // the gates the case drew go.
  CampaignOptions options;
  options.seed = 1;
  options.cases = 2000;
  options.broken = {"tokens-keep-orphan-tokens"};
  options.generator.version = "1.20";
  const CaseSettings settings = case_settings(options.broken);
  for (std::uint64_t i = 0; i < 2000; ++i) {
    FuzzCase c = generate_case(options.generator, case_seed(options.seed, i));
    if (c.cluster.feature_gates.empty()) continue;
    const CaseOutcome out = run_case(c, settings);
    if (!out.failed) continue;
    const Shrunk shrunk = shrink(c, out, settings, ShrinkLimits{});
    CHECK(shrunk.outcome.failed);
    CHECK(shrunk.fuzz_case.cluster.feature_gates.empty());
    return;
  }
  FAIL("no failing case with gates among 2000");
}

}  // namespace feature_gates_fuzz_test
}  // namespace sasim::tools::fuzz
