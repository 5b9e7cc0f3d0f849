#include "tools/runner/jsonpath.h"

#include <fmt/format.h>

#include <vector>

#include "tools/runner/pattern.h"

namespace sasim::tools {
namespace {

struct Segment {
  enum Type { kField, kIndex, kAll } type = kField;
  std::string field;
  long index = 0;
};

sim::Result<std::vector<Segment>> parse_path(const std::string& expr) {
  std::vector<Segment> out;
  std::size_t i = 0;
  while (i < expr.size()) {
    if (expr[i] == '.') {
      ++i;
      std::string field;
      while (i < expr.size() && expr[i] != '.' && expr[i] != '[') {
        if (expr[i] == '\\' && i + 1 < expr.size()) ++i;
        field += expr[i++];
      }
      if (field.empty()) {
        if (out.empty() && i >= expr.size()) break;  // "{.}": the whole object
        return sim::unexpected(sim::Error{fmt::format("empty field name in \"{}\"", expr)});
      }
      out.push_back({Segment::kField, field, 0});
    } else if (expr[i] == '[') {
      const std::size_t close = expr.find(']', i);
      if (close == std::string::npos) return sim::unexpected(sim::Error{fmt::format("unclosed [ in \"{}\"", expr)});
      const std::string inside = expr.substr(i + 1, close - i - 1);
      if (inside == "*") {
        out.push_back({Segment::kAll, "", 0});
      } else {
        char* end = nullptr;
        const long index = std::strtol(inside.c_str(), &end, 10);
        if (inside.empty() || end == nullptr || *end != '\0') {
          return sim::unexpected(sim::Error{fmt::format("unsupported index [{}] in \"{}\"", inside, expr)});
        }
        out.push_back({Segment::kIndex, "", index});
      }
      i = close + 1;
    } else {
      return sim::unexpected(sim::Error{fmt::format("unexpected '{}' in \"{}\"", expr[i], expr)});
    }
  }
  return out;
}

sim::Result<std::vector<nlohmann::json>> resolve(const std::vector<Segment>& path, const nlohmann::json& object) {
  std::vector<nlohmann::json> current{object};
  for (const Segment& segment : path) {
    std::vector<nlohmann::json> next;
    for (const nlohmann::json& value : current) {
      switch (segment.type) {
        case Segment::kField:
          if (!value.is_object() || !value.contains(segment.field)) {
            return sim::unexpected(sim::Error{fmt::format("{} is not found", segment.field)});
          }
          next.push_back(value[segment.field]);
          break;
        case Segment::kIndex: {
          if (!value.is_array()) return sim::unexpected(sim::Error{"not a list"});
          const long size = static_cast<long>(value.size());
          const long index = segment.index < 0 ? size + segment.index : segment.index;
          if (index < 0 || index >= size) {
            return sim::unexpected(sim::Error{fmt::format("array index out of bounds: index {}, length {}", segment.index, size)});
          }
          next.push_back(value[static_cast<std::size_t>(index)]);
          break;
        }
        case Segment::kAll:
          if (!value.is_array()) return sim::unexpected(sim::Error{"not a list"});
          for (const nlohmann::json& element : value) next.push_back(element);
          break;
      }
    }
    current = std::move(next);
  }
  return current;
}

}  // namespace

sim::Result<std::string> evaluate_jsonpath(const std::string& template_text, const nlohmann::json& object) {
  std::string out;
  std::size_t i = 0;
  while (i < template_text.size()) {
    const std::size_t open = template_text.find('{', i);
    if (open == std::string::npos) {
      out += template_text.substr(i);
      break;
    }
    out += template_text.substr(i, open - i);
    const std::size_t close = template_text.find('}', open);
    if (close == std::string::npos) {
      return sim::unexpected(sim::Error{fmt::format("unclosed {{ in jsonpath \"{}\"", template_text)});
    }
    auto path = parse_path(template_text.substr(open + 1, close - open - 1));
    if (!path) return sim::unexpected(path.error());
    auto values = resolve(path.value(), object);
    if (!values) return sim::unexpected(values.error());
    for (std::size_t v = 0; v < values.value().size(); ++v) {
      if (v > 0) out += " ";
      const nlohmann::json& value = values.value()[v];
      out += (value.is_object() || value.is_array()) ? value.dump() : scalar_text(value);
    }
    i = close + 1;
  }
  return out;
}

}  // namespace sasim::tools
