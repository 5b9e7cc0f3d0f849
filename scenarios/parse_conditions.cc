// §6 conditions: a tree of exists/absent/object/count/tokenValid/invariant
// leaves under all/any/not.
#include <fmt/format.h>

#include "scenarios/parts.h"
#include "scenarios/reader.h"
#include "scenarios/suggest.h"

namespace sasim::scenarios::parse {

namespace {

constexpr std::string_view kHeads[] = {"exists", "absent", "object", "count", "tokenValid",
                                       "invariant", "all",  "any",    "not"};
constexpr std::string_view kConditionKeys[] = {"exists",     "absent",    "object", "matches", "count", "allNamespaces",
                                      "where",      "equals",    "atLeast", "atMost", "tokenValid", "invariant",
                                      "all",        "any",       "not"};
constexpr std::string_view kComparisons[] = {"equals", "atLeast", "atMost"};

// A key that belongs to one head only.
struct Companion {
  std::string_view key;
  std::string_view head;
};
constexpr Companion kCompanions[] = {{"matches", "object"}, {"where", "count"},  {"equals", "count"},
                                     {"atLeast", "count"},  {"atMost", "count"}, {"allNamespaces", "count"}};

std::vector<Condition> parse_list(const YamlNode& node, std::string_view head) {
  const std::vector<YamlNode>& items = read_sequence(node, fmt::format("a sequence of conditions for {}", head));
  if (items.empty()) fail(node.location, fmt::format("{} needs at least one condition", head));
  std::vector<Condition> out;
  for (const YamlNode& item : items) out.push_back(parse_condition(item));
  return out;
}

CountCondition parse_count(const YamlNode& node, const YamlNode& kind) {
  CountCondition count;
  count.kind = parse_kind_name(kind);
  if (const YamlNode* all = node.find("allNamespaces"); given(all)) count.all_namespaces = read_bool(*all);
  if (const YamlNode* where = node.find("where"); given(where)) count.where = parse_pattern(*where, "a pattern");
  const YamlNode* comparison = nullptr;
  for (std::size_t i = 0; i < node.entries(); ++i) {
    const std::string& key = node.key(i).text;
    for (std::string_view candidate : kComparisons) {
      if (key != candidate) continue;
      if (comparison != nullptr) {
        fail(node.key(i).location, "count takes one of equals, atLeast and atMost");
      }
      comparison = &node.key(i);
    }
  }
  if (comparison == nullptr) fail(node.location, "count needs one of equals: N, atLeast: N or atMost: N");
  count.comparison = comparison->text == "equals"    ? CountCondition::Comparison::kEquals
                     : comparison->text == "atLeast" ? CountCondition::Comparison::kAtLeast
                                                     : CountCondition::Comparison::kAtMost;
  count.count = read_int(*node.find(comparison->text), 0, INT64_MAX);
  return count;
}

}  // namespace

Condition parse_condition(const YamlNode& node) {
  check_map(node, "a condition such as {exists: secret/NAME}", kConditionKeys, "condition");
  const YamlNode* head_key = nullptr;
  for (std::size_t i = 0; i < node.entries(); ++i) {
    const YamlNode& key = node.key(i);
    bool is_head = false;
    for (std::string_view head : kHeads) is_head = is_head || key.text == head;
    if (!is_head) continue;
    if (head_key != nullptr) {
      fail(key.location, fmt::format("two conditions in one map: \"{}\" and \"{}\" (combine them with all: [...] or "
                                     "any: [...])",
                                     head_key->text, key.text));
    }
    head_key = &key;
  }
  if (head_key == nullptr) {
    fail(node.location, fmt::format("a condition needs one of: {}", quoted_list(kHeads, ", ")));
  }
  const std::string& head = head_key->text;
  for (const Companion& companion : kCompanions) {
    if (node.find(companion.key) != nullptr && head != companion.head) {
      fail(key_node(node, companion.key).location,
           fmt::format("\"{}\" goes with \"{}\", not with \"{}\"", companion.key, companion.head, head));
    }
  }
  const YamlNode& value = *node.find(head);
  Condition condition;
  condition.location = node.location;
  if (head == "exists") {
    condition.test = ExistsCondition{parse_object_ref(value)};
  } else if (head == "absent") {
    condition.test = AbsentCondition{parse_object_ref(value)};
  } else if (head == "object") {
    const YamlNode* matches = node.find("matches");
    if (matches == nullptr) fail(head_key->location, "object needs matches: PATTERN (or use exists: KIND/NAME)");
    condition.test = MatchesCondition{parse_object_ref(value), parse_pattern(*matches, "a pattern")};
  } else if (head == "count") {
    condition.test = parse_count(node, value);
  } else if (head == "tokenValid") {
    condition.test = TokenValidCondition{parse_token_source(value)};
  } else if (head == "invariant") {
    condition.test = InvariantCondition{read_choice(value, "invariant", kInvariantNames)};
  } else if (head == "all") {
    condition.test = AllCondition{parse_list(value, head)};
  } else if (head == "any") {
    condition.test = AnyCondition{parse_list(value, head)};
  } else {
    condition.test = NotCondition{std::make_shared<const Condition>(parse_condition(value))};
  }
  return condition;
}

}  // namespace sasim::scenarios::parse
