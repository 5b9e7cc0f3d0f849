#include "scenarios/reader.h"

#include <fmt/format.h>

#include "scenarios/scalar_resolve.h"
#include "scenarios/suggest.h"
#include "sim/duration_text.h"

namespace sasim::scenarios::parse {

void fail(const Location& at, std::string message) { throw Failure{Diagnostic{at, std::move(message)}}; }

namespace {

std::string shortened(const std::string& text) {
  constexpr std::size_t kMax = 40;
  if (text.size() <= kMax) return text;
  std::size_t cut = kMax;
  // Do not split a UTF-8 sequence.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "...";
}

// The scalar as YAML types it: quoted scalars are strings.
nlohmann::json typed(const YamlNode& node) {
  if (node.tag == YamlNode::Tag::kString || (!node.plain && node.tag == YamlNode::Tag::kNone)) return node.text;
  return resolve_plain_scalar(node.text);
}

[[noreturn]] void type_error(const YamlNode& node, std::string_view expected) {
  fail(node.location, fmt::format("expected {}, got {}", expected, describe(node)));
}

// Where byte `offset` of a scalar's text is, for errors inside one-line scalars.
Location inside(const YamlNode& node, std::size_t offset) {
  Location at = node.location;
  if (node.text.find('\n') != std::string::npos) return at;
  const bool quoted = !node.plain && node.tag == YamlNode::Tag::kNone;
  at.column += static_cast<int>(offset) + (quoted ? 1 : 0);
  return at;
}

}  // namespace

std::string describe(const YamlNode& node) {
  switch (node.type) {
    case YamlNode::Type::kNull: return "null";
    case YamlNode::Type::kSequence: return "a sequence";
    case YamlNode::Type::kMap: return "a map";
    case YamlNode::Type::kScalar: break;
  }
  const nlohmann::json value = typed(node);
  if (value.is_boolean()) return fmt::format("the boolean {}", node.text);
  if (value.is_number()) return fmt::format("the number {}", node.text);
  if (value.is_null()) return "null";
  return fmt::format("the string \"{}\"", shortened(node.text));
}

void check_map(const YamlNode& node, std::string_view what, std::span<const std::string_view> keys,
               std::string_view noun) {
  if (!node.is_map()) type_error(node, what);
  for (std::size_t i = 0; i < node.entries(); ++i) {
    const YamlNode& key = node.key(i);
    bool known = false;
    for (std::string_view valid : keys) known = known || key.text == valid;
    if (known) continue;
    if (std::optional<std::string> near = suggest(key.text, keys)) {
      fail(key.location, fmt::format("unknown {} \"{}\" (did you mean \"{}\"?)", noun, shortened(key.text), *near));
    }
    fail(key.location, fmt::format("unknown {} \"{}\" (expected one of: {})", noun, shortened(key.text),
                                   quoted_list(keys, ", ")));
  }
}

const YamlNode& key_node(const YamlNode& map, std::string_view key) {
  for (std::size_t i = 0; i < map.entries(); ++i) {
    if (map.key(i).text == key) return map.key(i);
  }
  return map;
}

std::string read_string(const YamlNode& node) {
  if (!node.is_scalar()) type_error(node, "a string");
  return node.text;
}

std::string read_name(const YamlNode& node, std::string_view what) {
  std::string text = read_string(node);
  if (text.empty()) fail(node.location, fmt::format("{} cannot be empty", what));
  return text;
}

bool read_bool(const YamlNode& node) {
  if (node.is_scalar()) {
    const nlohmann::json value = typed(node);
    if (value.is_boolean()) return value.get<bool>();
  }
  type_error(node, "true or false");
}

std::int64_t read_int(const YamlNode& node, std::int64_t min, std::int64_t max) {
  if (node.is_scalar()) {
    const nlohmann::json value = typed(node);
    if (value.is_number_integer() && !value.is_number_unsigned()) {
      const auto v = value.get<std::int64_t>();
      if (v >= min && v <= max) return v;
    }
    if (value.is_number_integer() || value.is_number_unsigned()) {
      if (max == INT64_MAX) fail(node.location, fmt::format("expected an integer of at least {}, got {}", min, node.text));
      fail(node.location, fmt::format("expected an integer from {} to {}, got {}", min, max, node.text));
    }
  }
  type_error(node, "an integer");
}

std::uint64_t read_uint64(const YamlNode& node) {
  if (node.is_scalar()) {
    const nlohmann::json value = typed(node);
    if (value.is_number_unsigned()) return value.get<std::uint64_t>();
    if (value.is_number_integer()) {
      const auto v = value.get<std::int64_t>();
      if (v >= 0) return static_cast<std::uint64_t>(v);
      fail(node.location, fmt::format("expected an unsigned integer, got {}", node.text));
    }
  }
  type_error(node, "an unsigned integer");
}

sim::Duration read_duration(const YamlNode& node) {
  if (!node.is_scalar()) type_error(node, "a duration string such as 250ms");
  sim::Result<sim::Duration> duration = sim::parse_duration(node.text);
  if (!duration) fail(inside(node, duration.error().offset), duration.error().message);
  return duration.value();
}

sim::DurationDistribution read_distribution(const YamlNode& node) {
  static constexpr std::string_view kShapes[] = {"uniform", "exponential", "lognormal"};
  if (node.is_scalar()) return sim::DurationDistribution::constant(read_duration(node));
  if (!node.is_map()) type_error(node, "a duration or a distribution such as {exponential: 5ms}");
  if (node.entries() != 1) {
    fail(node.location, "a distribution is a map with one key: uniform, exponential or lognormal");
  }
  const YamlNode& shape = node.key(0);
  const YamlNode& value = node.value(0);
  sim::Result<sim::DurationDistribution> made = sim::DurationDistribution();
  if (shape.text == "uniform") {
    const std::vector<YamlNode>& bounds = read_sequence(value, "[low, high] for uniform");
    if (bounds.size() != 2) fail(value.location, "uniform takes two bounds: [low, high]");
    made = sim::DurationDistribution::uniform(read_duration(bounds[0]), read_duration(bounds[1]));
  } else if (shape.text == "exponential") {
    made = sim::DurationDistribution::exponential(read_duration(value));
  } else if (shape.text == "lognormal") {
    static constexpr std::string_view kKeys[] = {"median", "p99"};
    check_map(value, "{median: DURATION, p99: DURATION} for lognormal", kKeys);
    const YamlNode* median = value.find("median");
    const YamlNode* p99 = value.find("p99");
    if (median == nullptr || p99 == nullptr) fail(value.location, "lognormal needs both median and p99");
    made = sim::DurationDistribution::lognormal(read_duration(*median), read_duration(*p99));
  } else {
    std::optional<std::string> near = suggest(shape.text, kShapes);
    fail(shape.location, fmt::format("unknown distribution \"{}\" ({})", shortened(shape.text),
                                     near ? fmt::format("did you mean \"{}\"?", *near)
                                          : std::string("distributions: a duration, uniform, exponential, lognormal")));
  }
  if (!made) fail(node.location, made.error().message);
  return made.value();
}

const std::vector<YamlNode>& read_sequence(const YamlNode& node, std::string_view what) {
  if (!node.is_sequence()) type_error(node, what);
  return node.children;
}

std::vector<std::string> read_string_list(const YamlNode& node, std::string_view what) {
  std::vector<std::string> out;
  for (const YamlNode& item : read_sequence(node, what)) out.push_back(read_string(item));
  return out;
}

std::string read_choice(const YamlNode& node, std::string_view what, std::span<const std::string_view> choices) {
  const std::string text = read_string(node);
  for (std::string_view choice : choices) {
    if (text == choice) return text;
  }
  if (std::optional<std::string> near = suggest(text, choices)) {
    fail(node.location, fmt::format("unknown {} \"{}\" (did you mean \"{}\"?)", what, shortened(text), *near));
  }
  fail(node.location,
       fmt::format("unknown {} \"{}\" (expected one of: {})", what, shortened(text), quoted_list(choices, ", ")));
}

}  // namespace sasim::scenarios::parse
