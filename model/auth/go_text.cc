#include "model/auth/go_text.h"

#include <cstdint>
#include <nlohmann/json.hpp>

namespace sasim::model::auth {
namespace {

constexpr std::string_view kHex = "0123456789abcdef";

// Length of the valid UTF-8 sequence at text[i], or 0 if it is not one
// (overlong forms, surrogates and code points past U+10FFFF are invalid, as
// in Go's utf8.DecodeRuneInString). `rune` receives the code point.
std::size_t utf8_sequence(std::string_view text, std::size_t i, std::uint32_t& rune) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    rune = b0;
    return 1;
  }
  std::size_t len = 0;
  std::uint32_t min = 0;
  if ((b0 & 0xe0) == 0xc0) {
    len = 2;
    rune = b0 & 0x1fU;
    min = 0x80;
  } else if ((b0 & 0xf0) == 0xe0) {
    len = 3;
    rune = b0 & 0x0fU;
    min = 0x800;
  } else if ((b0 & 0xf8) == 0xf0) {
    len = 4;
    rune = b0 & 0x07U;
    min = 0x10000;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
    rune = (rune << 6) | (byte(i + k) & 0x3fU);
  }
  if (rune < min || rune > 0x10ffff || (rune >= 0xd800 && rune <= 0xdfff)) return 0;
  return len;
}

void append_u00(std::string& out, unsigned char c) {
  out += "\\u00";
  out += kHex[c >> 4];
  out += kHex[c & 0xf];
}

void dump_string(std::string& out, std::string_view s) {
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            append_u00(out, c);
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    std::uint32_t rune = 0;
    const std::size_t len = utf8_sequence(s, i, rune);
    if (len == 0) {
      out += "\\ufffd";
      ++i;
    } else if (rune == 0x2028 || rune == 0x2029) {
      out += rune == 0x2028 ? "\\u2028" : "\\u2029";
      i += len;
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  out += '"';
}

void dump(std::string& out, const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      out += '{';
      bool first = true;
      // nlohmann::json keeps object keys in a std::map: byte order, as Go sorts them.
      for (const auto& [key, item] : value.items()) {
        if (!first) out += ',';
        first = false;
        dump_string(out, key);
        out += ':';
        dump(out, item);
      }
      out += '}';
      return;
    }
    case nlohmann::json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value) {
        if (!first) out += ',';
        first = false;
        dump(out, item);
      }
      out += ']';
      return;
    }
    case nlohmann::json::value_t::string:
      dump_string(out, value.get_ref<const std::string&>());
      return;
    default:
      out += value.dump();
      return;
  }
}

}  // namespace

std::string go_json_dump(const nlohmann::json& value) {
  std::string out;
  dump(out, value);
  return out;
}

std::string go_quote(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      std::uint32_t rune = 0;
      const std::size_t len = utf8_sequence(text, i, rune);
      if (len == 0) {
        out += "\\x";
        out += kHex[c >> 4];
        out += kHex[c & 0xf];
        ++i;
      } else {
        out.append(text.substr(i, len));
        i += len;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\v': out += "\\v"; break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += "\\x";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
  return out;
}

std::string go_quote(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ' ';
    out += go_quote(items[i]);
  }
  out += ']';
  return out;
}

}  // namespace sasim::model::auth
