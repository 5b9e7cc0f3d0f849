// Incremental evaluation of eventually-invariants and `{invariant: NAME}`
// conditions (the default) against the full re-check over the whole store
// (--check-invariants full): every scenario of the library and a bounded
// campaign of generated cases run both ways, and their records must agree
// in every step result and every violation (time, message, objects, known
// weakness), with the same trace digest.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include "reports/run_json.h"
#include "scenarios/parser.h"
#include "tools/fuzz/fuzz_case.h"
#include "tools/fuzz/generator.h"
#include "tools/runner/runner.h"

namespace sasim::tools::fuzz {
namespace {

// The run's JSON document without its wall time (the one field that may differ).
nlohmann::ordered_json comparable(const reports::RunRecord& record) {
  nlohmann::ordered_json json = reports::render_run_json(record);
  json["stats"].erase("wallSeconds");
  return json;
}

// Runs `scenario` both ways and compares; returns the number of violations
// seen, so that a caller can tell the comparison was not vacuous.
std::size_t run_both_ways(const scenarios::Scenario& scenario, const std::string& label) {
  RunOptions incremental;
  incremental.check_invariants = properties::EvaluationMode::kIncremental;
  RunOptions full;
  full.check_invariants = properties::EvaluationMode::kFull;
  auto a = run_scenario(scenario, incremental);
  auto b = run_scenario(scenario, full);
  INFO(label);
  REQUIRE(a.ok() == b.ok());
  if (!a.ok()) return 0;
  CHECK(comparable(a.value()).dump(1) == comparable(b.value()).dump(1));
  std::size_t violations = 0;
  for (const reports::InvariantRecord& r : a.value().invariants) violations += r.violations.size();
  return violations;
}

}  // namespace

TEST_CASE("library scenarios give the same records with incremental and full invariant checks") {
  int files = 0;
  std::size_t violations = 0;
  for (const auto& entry : std::filesystem::directory_iterator(SASIM_SOURCE_DIR "/scenarios/library")) {
    if (entry.path().extension() != ".yaml") continue;
    auto parsed = scenarios::parse_scenario_file(entry.path().string());
    REQUIRE(parsed.ok());
    ++files;
    violations += run_both_ways(parsed.value(), entry.path().string());
  }
  CHECK(files > 5);
  // The library shows known weaknesses: some violations were compared.
  CHECK(violations > 0);
}

TEST_CASE("generated cases give the same records with incremental and full invariant checks") {
  GeneratorOptions options;
  std::size_t violations = 0;
  for (std::uint64_t i = 0; i < 60; ++i) {
    const FuzzCase c = generate_case(options, case_seed(21, i));
    auto scenario = to_scenario(c, "case-" + std::to_string(i));
    REQUIRE(scenario.ok());
    violations += run_both_ways(scenario.value(), "case " + std::to_string(i));
  }
  // Faults in generated cases break eventually-invariants (known weaknesses).
  CHECK(violations > 0);
}

TEST_CASE("an await of an eventually-invariant ends at the same time both ways and a check sees the new account") {
  // Three namespaces appear at once, and the await holds once every
  // account there is has its token (vacuously before the accounts exist,
  // as with the full evaluation). After a settle, a new account has no
  // token at first (the check fails and names it alone), then gets one
  // (the second await holds, later than it started).
  auto parsed = scenarios::parse_scenario_text(R"(name: await-invariant
objects:
  - {apiVersion: v1, kind: Namespace, metadata: {name: a}}
  - {apiVersion: v1, kind: Namespace, metadata: {name: b}}
  - {apiVersion: v1, kind: Namespace, metadata: {name: c}}
steps:
  - await: {invariant: every-serviceaccount-has-valid-token}
    timeout: 1m
  - settle: {timeout: 5m}
  - create: {apiVersion: v1, kind: ServiceAccount, metadata: {name: robot}}
    namespace: b
  - check: {invariant: every-serviceaccount-has-valid-token}
  - await: {invariant: every-serviceaccount-has-valid-token}
    timeout: 1m
)",
                                               "await.yaml");
  REQUIRE(parsed.ok());
  run_both_ways(parsed.value(), "await");
  auto record = run_scenario(parsed.value(), RunOptions{});
  REQUIRE(record.ok());
  const auto& steps = record.value().steps;
  REQUIRE(steps.size() == 5);
  CHECK(steps[0].ok);
  CHECK(steps[1].ok);
  CHECK(steps[2].ok);
  CHECK_FALSE(steps[3].ok);
  INFO(steps[3].message);
  CHECK(steps[3].message ==
        "every-serviceaccount-has-valid-token is violated: serviceaccount/b/robot references no Secret");
  CHECK(steps[4].ok);
  CHECK(steps[4].end > steps[4].start);
}

}  // namespace sasim::tools::fuzz
