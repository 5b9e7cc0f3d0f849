// `kubectl get -o json`: encoding/json's MarshalIndent(obj, "", "    ").
// nlohmann's dump differs in string escaping (Go escapes <, > and & and
// writes \u0008 rather than \b) and float text, so the text is written here.
#include <nlohmann/json.hpp>

#include "model/objects/go_float.h"
#include "model/objects/print.h"
#include "model/objects/yaml_scalar.h"

namespace sasim::model {
namespace {

using nlohmann::json;

constexpr std::string_view kHex = "0123456789abcdef";

void write_string(const std::string& s, std::string& out) {
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      switch (b) {
        case '\\': out += "\\\\"; break;
        case '"': out += "\\\""; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (b < 0x20 || b == '<' || b == '>' || b == '&') {
            out += "\\u00";
            out += kHex[b >> 4];
            out += kHex[b & 0xF];
          } else {
            out += static_cast<char>(b);
          }
      }
      ++i;
      continue;
    }
    const std::size_t start = i;
    const char32_t rune = yaml::decode_rune(s, i);
    if (rune == 0x2028 || rune == 0x2029) {
      out += "\\u202";
      out += kHex[rune & 0xF];
    } else {
      out.append(s, start, i - start);
    }
  }
  out += '"';
}

void write_value(const json& v, int depth, std::string& out) {
  const auto newline = [&](int d) {
    out += '\n';
    out.append(static_cast<std::size_t>(d) * 4, ' ');
  };
  switch (v.type()) {
    case json::value_t::object: {
      if (v.empty()) {
        out += "{}";
        return;
      }
      out += '{';
      bool first = true;
      for (const auto& [key, item] : v.items()) {
        if (!first) out += ',';
        first = false;
        newline(depth + 1);
        write_string(key, out);
        out += ": ";
        write_value(item, depth + 1, out);
      }
      newline(depth);
      out += '}';
      return;
    }
    case json::value_t::array: {
      if (v.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (i > 0) out += ',';
        newline(depth + 1);
        write_value(v[i], depth + 1, out);
      }
      newline(depth);
      out += ']';
      return;
    }
    case json::value_t::string: write_string(v.get_ref<const std::string&>(), out); return;
    case json::value_t::boolean: out += v.get<bool>() ? "true" : "false"; return;
    case json::value_t::number_integer: out += std::to_string(v.get<std::int64_t>()); return;
    case json::value_t::number_unsigned: out += std::to_string(v.get<std::uint64_t>()); return;
    case json::value_t::number_float: out += go_json_float(v.get<double>()); return;
    default: out += "null"; return;
  }
}

}  // namespace

std::string to_json_text(const json& value) {
  std::string out;
  write_value(value, 0, out);
  out += '\n';
  return out;
}

}  // namespace sasim::model
