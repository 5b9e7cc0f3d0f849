// sasim fuzz --version A..B: generated timelines upgrade the control plane
// one minor at a time within the range, only as the skew policy allows
// (every generated scenario passes the parser's timeline check), and the
// correct build shows nothing across upgrades.
#include <catch2/catch.hpp>

#include <set>

#include "scenarios/parser.h"
#include "scenarios/writer.h"
#include "tools/fuzz/campaign.h"
#include "tools/fuzz/generator.h"
#include "tools/fuzz/upgrades.h"

namespace sasim::tools::fuzz {
namespace {

namespace v = model::versions;

TEST_CASE("version ranges are read as sasim fuzz --version takes them") {
  const auto one = parse_version_range("1.24");
  REQUIRE(one.has_value());
  CHECK(one->first == one->last);
  const auto range = parse_version_range("1.20..1.25");
  REQUIRE(range.has_value());
  CHECK(range->versions() == std::vector<std::string>{"1.20", "1.21", "1.22", "1.23", "1.24", "1.25"});
  CHECK_FALSE(parse_version_range("1.25..1.20").has_value());
  CHECK_FALSE(parse_version_range("1.19..1.21").has_value());
  CHECK_FALSE(parse_version_range("1.20..").has_value());
}

TEST_CASE("an upgrade op moves the apiserver one minor up to the range's end or lets the others catch up") {
  FuzzCase c;
  c.cluster.version = "1.20";
  c.cluster.last_version = "1.22";
  const std::vector<v::Component> all{v::kUpgradeOrder.begin(), v::kUpgradeOrder.end()};
  const std::vector<v::Component> api{v::Component::kApiServer};
  for (const auto& components : {api, api, all, all, all, all}) {
    c.ops.push_back(FuzzOp{.kind = OpKind::kUpgrade, .upgrade_components = components});
  }
  const UpgradeTimeline t = upgrade_timeline(c);
  // 1.21 for the apiserver alone; then it may not go on while the
  // controller-manager is a minor behind (not even with the
  // controller-manager in the same step: the apiserver moves first), so
  // the ops restart it at 1.21 and bring the others to 1.21; then the whole
  // plane to 1.22; then the range's end holds everything at 1.22.
  CHECK(t.targets == std::vector<std::string>{"1.21", "1.21", "1.21", "1.22", "1.22", "1.22"});
  CHECK(t.end.of(v::Component::kKubelet) == v::KubeVersion{22});
  CHECK(t.before[1].of(v::Component::kApiServer) == v::KubeVersion{21});
  CHECK(t.before[1].of(v::Component::kControllerManager) == v::KubeVersion{20});
}

TEST_CASE("generated timelines over 1.20..1.25 upgrade within the range and pass the skew check") {
  GeneratorOptions options;
  options.version = "1.20..1.25";
  options.max_steps = 20;
  int upgrades = 0;
  std::set<std::string> reached;
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    const FuzzCase c = generate_case(options, case_seed(7, seed));
    CHECK(c.cluster.last_version == "1.25");
    auto scenario = to_scenario(c, "case");
    REQUIRE(scenario.ok());
    // Through the file format: the parser's timeline check must accept it.
    auto parsed = scenarios::parse_scenario_text(scenarios::write_scenario(scenario.value()), "case.yaml");
    if (!parsed) FAIL(parsed.error().render());
    for (const scenarios::Step& step : parsed.value().steps) {
      if (const auto* u = std::get_if<scenarios::UpgradeAction>(&step.action)) {
        ++upgrades;
        reached.insert(u->version);
        CHECK(v::KubeVersion::parse(u->version) <= v::KubeVersion::parse("1.25"));
      }
    }
  }
  CHECK(upgrades >= 50);
  CHECK(reached.count("1.25") == 1);
  CHECK(reached.count("1.21") == 1);
}

TEST_CASE("a single release draws the cases it always drew: no upgrades") {
  GeneratorOptions options;
  options.version = "1.22";
  for (std::uint64_t seed = 1; seed <= 30; ++seed) {
    const FuzzCase c = generate_case(options, case_seed(1, seed));
    CHECK(c.cluster.version == "1.22");
    CHECK(c.cluster.last_version.empty());
    for (const FuzzOp& op : c.ops) CHECK(op.kind != OpKind::kUpgrade);
  }
}

TEST_CASE("a fixed-seed campaign over 1.20..1.23 with upgrades finds nothing on the correct build") {
  CampaignOptions options;
  options.seed = 1;
  options.cases = 40;
  options.generator.version = "1.20..1.23";
  const CampaignResult r = run_campaign(options);
  INFO(render_summary(options, r));
  CHECK(r.cases == 40);
  CHECK(r.failures == 0);
}

}  // namespace
}  // namespace sasim::tools::fuzz
