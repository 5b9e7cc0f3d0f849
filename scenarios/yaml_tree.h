// YAML text to a tree of nodes that remember where they were written.
//
// yaml-cpp parses; this layer makes its output safe and precise to use:
// - the raw bytes are checked first (size cap, UTF-8, control characters),
//   because yaml-cpp silently drops or mangles what it does not like;
// - every yaml-cpp exception becomes a Diagnostic at its mark;
// - aliases are expanded into copies under a budget of nodes and a depth
//   cap, so that an alias bomb ("billion laughs") or an alias that contains
//   itself is an error rather than an exhausted machine;
// - duplicate map keys are errors (yaml-cpp keeps both), and merge keys
//   (`<<: *base`) are applied as go-yaml, which kubectl uses, applies them;
// - scalars keep whether they were plain (unquoted: subject to YAML's type
//   resolution) and any explicit core tag (`!!str`), so that `"true"` and
//   `true` stay different.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/diagnostic.h"
#include "sim/result.h"

namespace sasim::scenarios {

// Limits on what one file may expand to.
inline constexpr std::size_t kMaxYamlNodes = 1'000'000;
inline constexpr int kMaxYamlDepth = 1000;

struct YamlNode {
  enum class Type : std::uint8_t { kNull, kScalar, kSequence, kMap };
  // An explicit core tag on a scalar; kNone: resolved from the text.
  enum class Tag : std::uint8_t { kNone, kString, kInt, kFloat, kBool, kNull };

  Type type = Type::kNull;
  Tag tag = Tag::kNone;
  bool plain = false;  // a scalar written without quotes and not as a block (| or >)
  Location location{};
  std::string text{};                // scalars
  std::vector<YamlNode> children{};  // a sequence's items; a map's keys and values, alternating

  bool is_null() const { return type == Type::kNull; }
  bool is_scalar() const { return type == Type::kScalar; }
  bool is_sequence() const { return type == Type::kSequence; }
  bool is_map() const { return type == Type::kMap; }

  // Maps: the number of entries, the i-th key (a scalar) and value.
  std::size_t entries() const { return children.size() / 2; }
  const YamlNode& key(std::size_t i) const { return children[2 * i]; }
  const YamlNode& value(std::size_t i) const { return children[2 * i + 1]; }
  // The value of the entry whose key text is `key`, or null.
  const YamlNode* find(std::string_view key) const;
};

// Every document of `text` (a file may hold several, separated by `---`;
// an empty file holds none). `file` is used in locations only.
sim::Result<std::vector<YamlNode>, Diagnostic> load_yaml(std::string_view text, const std::string& file);

}  // namespace sasim::scenarios
