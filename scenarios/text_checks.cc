#include "scenarios/text_checks.h"

#include <fmt/format.h>

namespace sasim::scenarios {

namespace {

bool is_continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

std::string hex_byte(unsigned char byte) { return fmt::format("0x{:02X}", byte); }

// The code point of the sequence at `offset`, with its length; nullopt for
// invalid UTF-8.
struct Rune {
  char32_t value = 0;
  std::size_t length = 0;
};

std::optional<Rune> decode(std::string_view text, std::size_t offset) {
  const auto lead = static_cast<unsigned char>(text[offset]);
  std::size_t length = 0;
  char32_t value = 0;
  char32_t minimum = 0;
  if (lead < 0x80) return Rune{lead, 1};
  if ((lead & 0xE0) == 0xC0) {
    length = 2, value = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, value = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, value = lead & 0x07, minimum = 0x10000;
  } else {
    return std::nullopt;
  }
  if (offset + length > text.size()) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    const auto byte = static_cast<unsigned char>(text[offset + i]);
    if (!is_continuation(byte)) return std::nullopt;
    value = (value << 6) | (byte & 0x3F);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return std::nullopt;
  return Rune{value, length};
}

bool allowed_in_yaml(char32_t c) {
  if (c == '\t' || c == '\n' || c == '\r') return true;
  if (c < 0x20 || c == 0x7F) return false;
  if (c >= 0x80 && c <= 0x9F) return c == 0x85;
  return c != 0xFFFE && c != 0xFFFF;
}

}  // namespace

std::optional<TextProblem> check_text(std::string_view text) {
  std::size_t offset = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") offset = 3;
  while (offset < text.size()) {
    const std::optional<Rune> rune = decode(text, offset);
    if (!rune) {
      return TextProblem{offset, "invalid UTF-8 (byte " + hex_byte(static_cast<unsigned char>(text[offset])) +
                                     "): a scenario file must be UTF-8 text"};
    }
    if (!allowed_in_yaml(rune->value)) {
      return TextProblem{offset, fmt::format("control character U+{:04X} is not allowed in YAML text",
                                             static_cast<std::uint32_t>(rune->value))};
    }
    offset += rune->length;
  }
  return std::nullopt;
}

LineColumn line_column(std::string_view text, std::size_t offset) {
  LineColumn at;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++at.line;
      at.column = 1;
    } else {
      ++at.column;
    }
  }
  return at;
}

}  // namespace sasim::scenarios
