#include "scenarios/yaml_cpp_guards.h"

namespace sasim::scenarios {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

// A document marker line: "---" or "..." alone or followed by white space.
bool is_marker(std::string_view line, std::string_view marker) {
  return line.substr(0, 3) == marker && (line.size() == 3 || is_space(line[3]) || line[3] == '\r');
}

// yaml-cpp's anchor and tag names end at white space and flow indicators.
bool ends_name(char c) { return is_space(c) || c == '\r' || c == ',' || c == '[' || c == ']' || c == '{' || c == '}'; }

}  // namespace

std::optional<TextProblem> check_yaml_cpp_hangs(std::string_view text) {
  bool at_document_start = true;
  std::size_t line_start = 0;
  while (line_start <= text.size()) {
    std::size_t line_end = text.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = text.size();
    const std::string_view line = text.substr(line_start, line_end - line_start);
    std::size_t i = 0;
    if (is_marker(line, "---")) {
      at_document_start = true;
      i = 3;
    } else if (is_marker(line, "...")) {
      at_document_start = true;
      i = line.size();
    } else if (at_document_start && !line.empty() && line[0] == '%') {
      i = line.size();  // a directive
    }
    while (at_document_start && i < line.size()) {
      const char c = line[i];
      if (is_space(c) || c == '\r') {
        ++i;
      } else if (c == '#') {
        i = line.size();
      } else if (c == '&' || c == '!') {
        while (i < line.size() && !ends_name(line[i])) ++i;
      } else if (c == ',') {
        return TextProblem{line_start + i, "YAML syntax error: a document may not begin with ','"};
      } else {
        at_document_start = false;
      }
    }
    line_start = line_end + 1;
  }
  return std::nullopt;
}

}  // namespace sasim::scenarios
