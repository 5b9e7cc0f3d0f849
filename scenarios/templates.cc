#include "scenarios/templates.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "scenarios/suggest.h"

namespace sasim::scenarios {

namespace {

// A variable's values, as written (ranges as decimal integers).
struct Variable {
  std::string name;
  std::vector<std::string> values;
};

using Bindings = std::vector<std::pair<std::string, std::string>>;  // name, value; outermost first

struct Problem {
  Diagnostic diagnostic;
};

[[noreturn]] void fail(const Location& at, std::string message) { throw Problem{Diagnostic{at, std::move(message)}}; }

bool is_variable_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    if (!(letter || (i > 0 && c >= '0' && c <= '9'))) return false;
  }
  return true;
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  if (text.empty()) return std::nullopt;
  auto [at, error] = std::from_chars(begin, end, value);
  if (error != std::errc() || at != end) return std::nullopt;
  return value;
}

std::string describe_binding(const Bindings& bindings) {
  std::string out;
  for (const auto& [name, value] : bindings) out += (out.empty() ? "" : ", ") + name + "=" + value;
  return out;
}

// "${NAME}" and "${NAME:03}" of the bound variables replaced in `text`.
std::string substitute(const std::string& text, const Bindings& bindings, const Location& at) {
  if (text.find("${") == std::string::npos) return text;
  std::string out;
  std::size_t done = 0;
  for (const VariableReference& ref : variable_references(text)) {
    if (ref.name.empty()) break;  // unclosed: left for the schema checks to report
    const auto bound = std::find_if(bindings.rbegin(), bindings.rend(),
                                    [&](const auto& binding) { return binding.first == ref.name; });
    if (bound == bindings.rend()) continue;  // a capture: the runner's
    std::string value = bound->second;
    if (!ref.format.empty()) {
      // ${VAR:0N}: an integer padded with zeros to N digits.
      const bool zero_pad = ref.format.size() >= 2 && ref.format[0] == '0';
      const std::optional<std::int64_t> width = zero_pad ? parse_integer(ref.format.substr(1)) : std::nullopt;
      if (!width || *width < 1 || *width > 20) {
        fail(at, fmt::format("unknown format \"{}\" in ${{{}:{}}} (write ${{{}:0N}}, e.g. ${{{}:03}}, to pad an integer "
                             "with zeros to N digits)",
                             ref.format, ref.name, ref.format, ref.name, ref.name));
      }
      const std::optional<std::int64_t> number = parse_integer(value);
      if (!number || *number < 0) {
        fail(at, fmt::format("${{{}:{}}} pads integers with zeros, but {} is \"{}\"", ref.name, ref.format, ref.name,
                             value));
      }
      if (value.size() < static_cast<std::size_t>(*width)) value.insert(0, static_cast<std::size_t>(*width) - value.size(), '0');
    }
    const std::size_t end = text.find('}', ref.offset) + 1;
    out += text.substr(done, ref.offset - done);
    out += value;
    done = end;
  }
  out += text.substr(done);
  return out;
}

class Expander {
 public:
  Expander(std::string_view items_key, std::vector<Diagnostic>& problems)
      : items_key_(items_key), problems_(problems) {}

  void expand(const std::vector<YamlNode>& entries, const Bindings& bindings, std::vector<ExpandedEntry>& out) {
    for (const YamlNode& entry : entries) {
      try {
        if (entry.is_map() && entry.find("forEach") != nullptr) {
          expand_template(entry, bindings, out);
        } else {
          add(bindings.empty() ? entry : substituted(entry, bindings), bindings, out);
        }
      } catch (const Problem& problem) {
        problems_.push_back(with_binding(problem.diagnostic, bindings));
      }
    }
  }

 private:
  static Diagnostic with_binding(Diagnostic diagnostic, const Bindings& bindings) {
    if (!bindings.empty()) diagnostic.message += " (in forEach " + describe_binding(bindings) + ")";
    return diagnostic;
  }

  void add(YamlNode node, const Bindings& bindings, std::vector<ExpandedEntry>& out) {
    if (out.size() >= kMaxExpandedEntries) {
      fail(node.location, fmt::format("the forEach templates expand to more than {} entries", kMaxExpandedEntries));
    }
    out.push_back(ExpandedEntry{std::move(node), describe_binding(bindings)});
  }

  static YamlNode substituted(const YamlNode& node, const Bindings& bindings) {
    YamlNode copy;
    copy.type = node.type;
    copy.tag = node.tag;
    copy.plain = node.plain;
    copy.location = node.location;
    if (node.is_scalar()) copy.text = substitute(node.text, bindings, node.location);
    copy.children.reserve(node.children.size());
    for (const YamlNode& child : node.children) copy.children.push_back(substituted(child, bindings));
    return copy;
  }

  std::vector<Variable> variables(const YamlNode& spec, const Bindings& bindings) const {
    if (!spec.is_map() || spec.entries() == 0) {
      fail(spec.location, "forEach takes a map from variable names to values: {I: \"1..10\"} or {NAME: [a, b]}");
    }
    std::vector<Variable> out;
    for (std::size_t i = 0; i < spec.entries(); ++i) {
      const YamlNode& key = spec.key(i);
      const YamlNode& value = spec.value(i);
      if (!is_variable_name(key.text)) {
        fail(key.location, fmt::format("\"{}\" is not a variable name (letters, digits and _, not starting with a "
                                       "digit)",
                                       key.text));
      }
      for (const auto& [outer, unused] : bindings) {
        if (outer == key.text) {
          fail(key.location, fmt::format("forEach variable {} is already bound by an enclosing forEach", key.text));
        }
      }
      Variable variable{key.text, {}};
      if (value.is_sequence()) {
        if (value.children.empty()) fail(value.location, fmt::format("forEach {} has no values", key.text));
        for (const YamlNode& item : value.children) {
          if (!item.is_scalar()) {
            fail(item.location, fmt::format("forEach values are scalars (strings or numbers), got a {}",
                                            item.is_map() ? "map" : item.is_sequence() ? "sequence" : "null"));
          }
          variable.values.push_back(substitute(item.text, bindings, item.location));
        }
      } else if (value.is_scalar()) {
        const std::string range = substitute(value.text, bindings, value.location);
        const std::size_t dots = range.find("..");
        const std::optional<std::int64_t> first =
            dots == std::string::npos ? std::nullopt : parse_integer(std::string_view(range).substr(0, dots));
        const std::optional<std::int64_t> last =
            dots == std::string::npos ? std::nullopt : parse_integer(std::string_view(range).substr(dots + 2));
        if (!first || !last || *first < 0) {
          fail(value.location, fmt::format("expected a range \"A..B\" of non-negative integers or a list of values, "
                                           "got \"{}\"",
                                           range));
        }
        if (*first > *last) fail(value.location, fmt::format("the range \"{}\" is empty: A must not exceed B", range));
        if (*last - *first >= static_cast<std::int64_t>(kMaxExpandedEntries)) {
          fail(value.location, fmt::format("the range \"{}\" has more than {} values", range, kMaxExpandedEntries));
        }
        for (std::int64_t n = *first; n <= *last; ++n) variable.values.push_back(std::to_string(n));
      } else {
        fail(value.location, fmt::format("expected a range \"A..B\" or a list of values for {}", key.text));
      }
      out.push_back(std::move(variable));
    }
    return out;
  }

  void expand_template(const YamlNode& entry, const Bindings& bindings, std::vector<ExpandedEntry>& out) {
    const std::string other = items_key_ == "steps" ? "objects" : "steps";
    for (std::size_t i = 0; i < entry.entries(); ++i) {
      const YamlNode& key = entry.key(i);
      if (key.text == "forEach" || key.text == items_key_) continue;
      if (key.text == other) {
        fail(key.location, fmt::format("a forEach inside {}: repeats {}: [...], not {}", items_key_, items_key_, other));
      }
      const std::string_view keys[] = {"forEach", items_key_};
      if (std::optional<std::string> near = suggest(key.text, keys)) {
        fail(key.location, fmt::format("unknown key \"{}\" in forEach (did you mean \"{}\"?)", key.text, *near));
      }
      fail(key.location, fmt::format("unknown key \"{}\" in forEach (it takes forEach and {})", key.text, items_key_));
    }
    const YamlNode* items = entry.find(items_key_);
    if (items == nullptr || items->is_null()) {
      fail(entry.location, fmt::format("forEach needs {}: [...], the entries to repeat", items_key_));
    }
    if (!items->is_sequence()) fail(items->location, fmt::format("expected a sequence of {} to repeat", items_key_));
    const std::vector<Variable> vars = variables(*entry.find("forEach"), bindings);
    // Every combination, the first variable outermost.
    std::vector<std::size_t> at(vars.size(), 0);
    for (;;) {
      Bindings inner = bindings;
      for (std::size_t v = 0; v < vars.size(); ++v) inner.emplace_back(vars[v].name, vars[v].values[at[v]]);
      expand(items->children, inner, out);
      if (out.size() >= kMaxExpandedEntries) return;
      std::size_t v = vars.size();
      while (v > 0 && ++at[v - 1] == vars[v - 1].values.size()) at[--v] = 0;
      if (v == 0) return;
    }
  }

  std::string items_key_;
  std::vector<Diagnostic>& problems_;
};

}  // namespace

std::vector<VariableReference> variable_references(std::string_view text) {
  std::vector<VariableReference> out;
  std::size_t at = 0;
  while ((at = text.find("${", at)) != std::string_view::npos) {
    const std::size_t close = text.find('}', at + 2);
    if (close == std::string_view::npos) {
      out.push_back(VariableReference{"", "", at});
      break;
    }
    const std::string_view inside = text.substr(at + 2, close - at - 2);
    const std::size_t colon = inside.find(':');
    out.push_back(VariableReference{std::string(inside.substr(0, colon)),
                                    colon == std::string_view::npos ? "" : std::string(inside.substr(colon + 1)), at});
    at = close + 1;
  }
  return out;
}

std::vector<ExpandedEntry> expand_templates(const std::vector<YamlNode>& entries, std::string_view items_key,
                                            std::vector<Diagnostic>& problems) {
  std::vector<ExpandedEntry> out;
  Expander(items_key, problems).expand(entries, {}, out);
  return out;
}

}  // namespace sasim::scenarios
