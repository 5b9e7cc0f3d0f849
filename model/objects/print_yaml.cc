// `kubectl get -o yaml`: sigs.k8s.io/yaml turns the object's JSON into YAML
// with gopkg.in/yaml.v2 (v2.2.8 in kubectl 1.20). This is a port of the parts
// of that emitter the API's JSON reaches: block mappings with sorted keys,
// indentless sequences under a key, `{}`/`[]` for empty containers, and the
// scalar styles: plain when the text would read back as the same string,
// double-quoted when it would read as something else ("272500", "true",
// "2019-07-21T07:07:07Z"), single-quoted when plain is not allowed (leading
// '*', ': ' inside), `|` blocks for multi-line text. Long plain and quoted
// scalars are folded at spaces past column 80, as v2.2.8 does.
#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/objects/go_float.h"
#include "model/objects/print.h"
#include "model/objects/yaml_scalar.h"

namespace sasim::model {
namespace {

using nlohmann::json;
using yaml::Analysis;
using yaml::Style;

constexpr int kBestIndent = 2;
constexpr int kBestWidth = 80;
constexpr std::size_t kMaxSimpleKeyLength = 128;

class Emitter {
 public:
  std::string run(const json& root) {
    emit_node(root, {.root = true});
    write_indent();
    if (open_ended_) {
      write_indicator("...", true, false, false);
      write_indent();
    }
    return std::move(out_);
  }

 private:
  struct Context {
    bool root = false;
    bool sequence = false;
    bool mapping = false;
    bool simple_key = false;
  };

  void put(char c) {
    out_ += c;
    ++column_;
  }
  void put_break() {
    out_ += '\n';
    column_ = 0;
  }
  // Writes the character at value[i] (one UTF-8 sequence) and advances i.
  void write(const std::string& value, std::size_t& i) {
    const std::size_t w = std::max<std::size_t>(yaml::width(value, i), 1);
    out_.append(value, i, w);
    i += w;
    ++column_;
  }
  void write_break(const std::string& value, std::size_t& i) {
    if (value[i] == '\n') {
      put_break();
      ++i;
    } else {
      const std::size_t w = yaml::width(value, i);
      out_.append(value, i, w);
      i += w;
      column_ = 0;
    }
  }
  void write_indent() {
    const int indent = std::max(indent_, 0);
    if (!indention_ || column_ > indent || (column_ == indent && !whitespace_)) put_break();
    while (column_ < indent) put(' ');
    whitespace_ = true;
    indention_ = true;
  }
  void write_indicator(std::string_view indicator, bool need_whitespace, bool is_whitespace, bool is_indention) {
    if (need_whitespace && !whitespace_) put(' ');
    for (char c : indicator) put(c);
    whitespace_ = is_whitespace;
    indention_ = indention_ && is_indention;
    open_ended_ = false;
  }
  void increase_indent(bool flow, bool indentless) {
    indents_.push_back(indent_);
    if (indent_ < 0) {
      indent_ = flow ? kBestIndent : 0;
    } else if (!indentless) {
      indent_ += kBestIndent;
    }
  }
  void pop_indent() {
    indent_ = indents_.back();
    indents_.pop_back();
  }

  void emit_node(const json& value, Context context) {
    context_ = context;
    if (value.is_object()) {
      emit_mapping(value);
    } else if (value.is_array()) {
      emit_sequence(value);
    } else {
      emit_scalar(scalar_of(value));
    }
  }

  void emit_empty_flow(std::string_view open, std::string_view close) {
    write_indicator(open, true, true, false);
    increase_indent(true, false);
    pop_indent();
    write_indicator(close, false, false, false);
  }

  void emit_mapping(const json& value) {
    if (value.empty()) return emit_empty_flow("{", "}");
    std::vector<std::string> keys;
    for (const auto& [k, v] : value.items()) keys.push_back(k);
    std::sort(keys.begin(), keys.end(), yaml::key_less);
    increase_indent(false, false);
    for (const std::string& key : keys) {
      write_indent();
      const yaml::Scalar key_scalar = yaml::string_scalar(key);
      const bool simple = !key_scalar.analysis.multiline && key.size() <= kMaxSimpleKeyLength;
      if (simple) {
        emit_node(json(key), {.mapping = true, .simple_key = true});
        write_indicator(":", false, false, false);
      } else {
        write_indicator("?", true, false, true);
        emit_node(json(key), {.mapping = true});
        write_indent();
        write_indicator(":", true, false, true);
      }
      emit_node(value.at(key), {.mapping = true});
    }
    pop_indent();
  }

  void emit_sequence(const json& value) {
    if (value.empty()) return emit_empty_flow("[", "]");
    increase_indent(false, context_.mapping && !indention_);
    for (const json& item : value) {
      write_indent();
      write_indicator("-", true, false, true);
      emit_node(item, {.sequence = true});
    }
    pop_indent();
  }

  yaml::Scalar scalar_of(const json& value) const {
    switch (value.type()) {
      case json::value_t::string: return yaml::string_scalar(value.get_ref<const std::string&>());
      case json::value_t::boolean: return yaml::plain_scalar(value.get<bool>() ? "true" : "false");
      case json::value_t::number_integer: return yaml::plain_scalar(std::to_string(value.get<std::int64_t>()));
      case json::value_t::number_unsigned: return yaml::plain_scalar(std::to_string(value.get<std::uint64_t>()));
      case json::value_t::number_float: return yaml::plain_scalar(go_format_float(value.get<double>(), 'g'));
      default: return yaml::plain_scalar("null");
    }
  }

  // yaml_emitter_select_scalar_style.
  Style select_style(const yaml::Scalar& s) const {
    Style style = s.style;
    const Analysis& a = s.analysis;
    if (context_.simple_key && a.multiline) style = Style::kDoubleQuoted;
    if (style == Style::kPlain) {
      if (!a.block_plain_allowed) style = Style::kSingleQuoted;
      if (s.value.empty() && context_.simple_key) style = Style::kSingleQuoted;
    }
    if (style == Style::kSingleQuoted && !a.single_quoted_allowed) style = Style::kDoubleQuoted;
    if (style == Style::kLiteral && (!a.block_allowed || context_.simple_key)) style = Style::kDoubleQuoted;
    return style;
  }

  void emit_scalar(const yaml::Scalar& scalar) {
    const Style style = select_style(scalar);
    const bool allow_breaks = !context_.simple_key;
    increase_indent(true, false);
    switch (style) {
      case Style::kPlain: write_plain(scalar.value, allow_breaks); break;
      case Style::kSingleQuoted: write_single_quoted(scalar.value, allow_breaks); break;
      case Style::kDoubleQuoted: write_double_quoted(scalar.value, allow_breaks); break;
      case Style::kLiteral: write_literal(scalar.value); break;
    }
    pop_indent();
  }

  void write_plain(const std::string& value, bool allow_breaks) {
    if (!whitespace_) put(' ');
    bool spaces = false;
    bool breaks = false;
    for (std::size_t i = 0; i < value.size();) {
      if (yaml::is_space(value, i)) {
        if (allow_breaks && !spaces && column_ > kBestWidth && !yaml::is_space(value, i + 1)) {
          write_indent();
          ++i;
        } else {
          write(value, i);
        }
        spaces = true;
      } else if (yaml::is_break(value, i)) {
        if (!breaks && value[i] == '\n') put_break();
        write_break(value, i);
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) write_indent();
        write(value, i);
        indention_ = false;
        spaces = false;
        breaks = false;
      }
    }
    whitespace_ = false;
    indention_ = false;
    if (context_.root) open_ended_ = true;
  }

  void write_single_quoted(const std::string& value, bool allow_breaks) {
    write_indicator("'", true, false, false);
    bool spaces = false;
    bool breaks = false;
    for (std::size_t i = 0; i < value.size();) {
      if (yaml::is_space(value, i)) {
        if (allow_breaks && !spaces && column_ > kBestWidth && i > 0 && i < value.size() - 1 &&
            !yaml::is_space(value, i + 1)) {
          write_indent();
          ++i;
        } else {
          write(value, i);
        }
        spaces = true;
      } else if (yaml::is_break(value, i)) {
        if (!breaks && value[i] == '\n') put_break();
        write_break(value, i);
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) write_indent();
        if (value[i] == '\'') put('\'');
        write(value, i);
        indention_ = false;
        spaces = false;
        breaks = false;
      }
    }
    write_indicator("'", false, false, false);
    whitespace_ = false;
    indention_ = false;
  }

  void write_escape(char32_t v) {
    put('\\');
    switch (v) {
      case 0x00: put('0'); return;
      case 0x07: put('a'); return;
      case 0x08: put('b'); return;
      case 0x09: put('t'); return;
      case 0x0A: put('n'); return;
      case 0x0B: put('v'); return;
      case 0x0C: put('f'); return;
      case 0x0D: put('r'); return;
      case 0x1B: put('e'); return;
      case 0x22: put('"'); return;
      case 0x5C: put('\\'); return;
      case 0x85: put('N'); return;
      case 0xA0: put('_'); return;
      case 0x2028: put('L'); return;
      case 0x2029: put('P'); return;
      default: break;
    }
    int digits = 8;
    if (v <= 0xFF) {
      put('x');
      digits = 2;
    } else if (v <= 0xFFFF) {
      put('u');
      digits = 4;
    } else {
      put('U');
    }
    for (int k = (digits - 1) * 4; k >= 0; k -= 4) put("0123456789ABCDEF"[(v >> k) & 0x0F]);
  }

  void write_double_quoted(const std::string& value, bool allow_breaks) {
    write_indicator("\"", true, false, false);
    bool spaces = false;
    for (std::size_t i = 0; i < value.size();) {
      if (!yaml::is_printable(value, i) || yaml::is_bom(value, i) || yaml::is_break(value, i) || value[i] == '"' ||
          value[i] == '\\') {
        write_escape(yaml::decode_rune(value, i));
        spaces = false;
      } else if (yaml::is_space(value, i)) {
        if (allow_breaks && !spaces && column_ > kBestWidth && i > 0 && i < value.size() - 1) {
          write_indent();
          if (yaml::is_space(value, i + 1)) put('\\');
          ++i;
        } else {
          write(value, i);
        }
        spaces = true;
      } else {
        write(value, i);
        spaces = false;
      }
    }
    write_indicator("\"", false, false, false);
    whitespace_ = false;
    indention_ = false;
  }

  // yaml_emitter_write_block_scalar_hints: an indentation indicator when the
  // text starts with a space or break, and the chomping indicator.
  void write_block_hints(const std::string& value) {
    if (yaml::is_space(value, 0) || yaml::is_break(value, 0)) {
      write_indicator(std::string(1, static_cast<char>('0' + kBestIndent)), false, false, false);
    }
    open_ended_ = false;
    if (value.empty()) return write_indicator("-", false, false, false);
    std::size_t i = value.size() - 1;
    while (i > 0 && (static_cast<unsigned char>(value[i]) & 0xC0) == 0x80) --i;
    if (!yaml::is_break(value, i)) return write_indicator("-", false, false, false);
    bool keep = i == 0;
    if (!keep) {
      --i;
      while (i > 0 && (static_cast<unsigned char>(value[i]) & 0xC0) == 0x80) --i;
      keep = yaml::is_break(value, i);
    }
    if (keep) {
      write_indicator("+", false, false, false);
      open_ended_ = true;
    }
  }

  void write_literal(const std::string& value) {
    write_indicator("|", true, false, false);
    write_block_hints(value);
    put_break();
    indention_ = true;
    whitespace_ = true;
    bool breaks = true;
    for (std::size_t i = 0; i < value.size();) {
      if (yaml::is_break(value, i)) {
        write_break(value, i);
        indention_ = true;
        breaks = true;
      } else {
        if (breaks) {
          write_indent();
          breaks = false;
        }
        write(value, i);
        indention_ = false;
      }
    }
  }

  std::string out_;
  int column_ = 0;
  int indent_ = -1;
  std::vector<int> indents_;
  bool whitespace_ = true;
  bool indention_ = true;
  bool open_ended_ = false;
  Context context_;
};

}  // namespace

std::string to_yaml(const json& value) { return Emitter().run(value); }

}  // namespace sasim::model
