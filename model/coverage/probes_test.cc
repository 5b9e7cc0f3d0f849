// The probe registry against the rule index (docs/rules.md), so that the two
// cannot drift: every rule the index lists has a probe, every probe names a
// rule the index lists, and every known weakness the index lists is a probe
// of the same rule (and a name the weakness log knows).
#include "model/coverage/probes.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "model/faults/weakness_log.h"

namespace sasim::model::coverage {
namespace {

struct RuleIndex {
  std::set<std::string> rules;
  std::map<std::string, std::string> weaknesses;  // weakness -> rule
};

RuleIndex read_rule_index() {
  std::ifstream file(std::string(SASIM_SOURCE_DIR) + "/docs/rules.md");
  REQUIRE(file);
  RuleIndex index;
  // A rule's row: "| T3.7 | what 1.20 does | ...". A weakness's row:
  // "| `tombstone-ignored` | S4 | ...".
  const std::regex rule_row(R"(^\| ((?:CLN|[A-Z])[0-9]+(?:\.[0-9]+)*) \|)");
  const std::regex weakness_row(R"(^\| `([a-z-]+)` \| ([A-Z][0-9]+(?:\.[0-9]+)*) \|)");
  std::string line;
  std::smatch match;
  while (std::getline(file, line)) {
    if (std::regex_search(line, match, rule_row)) index.rules.insert(match[1].str());
    if (std::regex_search(line, match, weakness_row)) index.weaknesses[match[1].str()] = match[2].str();
  }
  return index;
}

TEST_CASE("the probe table lists each probe once with a unique id and a description") {
  REQUIRE(probe_table().size() == kProbeCount);
  std::set<std::string_view> ids;
  for (std::size_t i = 0; i < probe_table().size(); ++i) {
    const ProbeInfo& row = probe_table()[i];
    CHECK(index_of(row.probe) == i);
    CHECK(!row.id.empty());
    CHECK(!row.rule.empty());
    CHECK(!row.description.empty());
    CHECK(ids.insert(row.id).second);
    CHECK(find_probe(row.id) == row.probe);
    CHECK(&info(row.probe) == &row);
    // A weakness probe is named after its weakness, so reports need no second name.
    if (!row.weakness.empty()) CHECK(row.id == row.weakness);
  }
  CHECK_FALSE(find_probe("no-such-probe"));
}

TEST_CASE("every rule of the rule index has a probe and every probe names a rule of the index") {
  const RuleIndex index = read_rule_index();
  REQUIRE(index.rules.size() >= 40);  // the index was read, not an empty file
  std::set<std::string> probed;
  for (const ProbeInfo& row : probe_table()) {
    INFO("probe " << row.id);
    CHECK(index.rules.count(std::string(row.rule)) == 1);
    probed.insert(std::string(row.rule));
  }
  for (const std::string& rule : index.rules) {
    INFO("rule " << rule);
    CHECK(probed.count(rule) == 1);
  }
}

TEST_CASE("every known weakness of the rule index is a probe of its rule and a weakness the log records") {
  const RuleIndex index = read_rule_index();
  REQUIRE(!index.weaknesses.empty());
  std::set<std::string> probed;
  for (const ProbeInfo& row : probe_table()) {
    if (row.weakness.empty()) continue;
    INFO("probe " << row.id);
    const auto it = index.weaknesses.find(std::string(row.weakness));
    REQUIRE(it != index.weaknesses.end());
    CHECK(it->second == row.rule);
    CHECK(!faults::upstream_of(std::string(row.weakness)).empty());
    probed.insert(std::string(row.weakness));
  }
  for (const auto& [weakness, rule] : index.weaknesses) {
    INFO("weakness " << weakness);
    CHECK(probed.count(weakness) == 1);
  }
}

TEST_CASE("a probe call counts one hit in the coverage it is given and a null coverage counts nothing") {
  sim::Coverage coverage;
  probe(&coverage, Probe::kT3_7ReferenceAdded);
  probe(&coverage, Probe::kT3_7ReferenceAdded);
  probe(&coverage, Probe::kL1NoApiToken);
  probe(static_cast<sim::Coverage*>(nullptr), Probe::kL1NoApiToken);
  CHECK(coverage.count(index_of(Probe::kT3_7ReferenceAdded)) == 2);
  CHECK(coverage.count(index_of(Probe::kL1NoApiToken)) == 1);
  CHECK(coverage.count(index_of(Probe::kV6Authenticated)) == 0);
}

}  // namespace
}  // namespace sasim::model::coverage
