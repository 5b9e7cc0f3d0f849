#include "api/go_json.h"

#include <catch2/catch.hpp>

namespace sasim::api {
namespace {

TEST_CASE("valid JSON has no syntax error") {
  for (const char* text : {"{}", " [1, 2.5e-3, -0, true, false, null] ", R"({"a":{"b":["\u00e9\n"]}})", "\"x\"", "0"}) {
    INFO(text);
    CHECK_FALSE(go_json_syntax_error(text).has_value());
  }
}

TEST_CASE("syntax errors carry encoding/json's messages") {
  struct Case {
    const char* text;
    const char* message;
  };
  const Case cases[] = {
      // The seed document's literal `kubectl patch -p '{\"imagePullSecrets\": ...}'`.
      {R"({\"imagePullSecrets\": [{\"name\": \"acrkey\"}]})",
       R"(invalid character '\\' looking for beginning of object key string)"},
      {"", "unexpected end of JSON input"},
      {"{", "unexpected end of JSON input"},
      {"{\"a\" 1}", "invalid character '1' after object key"},
      {"{\"a\":1 \"b\":2}", "invalid character '\"' after object key:value pair"},
      {"[1 2]", "invalid character '2' after array element"},
      {"{} x", "invalid character 'x' after top-level value"},
      {"x", "invalid character 'x' looking for beginning of value"},
      {"{'a':1}", R"(invalid character '\'' looking for beginning of object key string)"},
      {"tru", "unexpected end of JSON input"},
      {"trux", "invalid character 'x' in literal true (expecting 'e')"},
      {"nul1", "invalid character '1' in literal null (expecting 'l')"},
      {"-x", "invalid character 'x' in numeric literal"},
      {"1.x", "invalid character 'x' after decimal point in numeric literal"},
      {"1ex", "invalid character 'x' in exponent of numeric literal"},
      {"\"a\x01\"", R"(invalid character '\x01' in string literal)"},
      {R"("\q")", "invalid character 'q' in string escape code"},
      {R"("\u12g4")", R"(invalid character 'g' in \u hexadecimal character escape)"},
      {"[1,]", "invalid character ']' looking for beginning of value"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    const auto error = go_json_syntax_error(c.text);
    REQUIRE(error.has_value());
    CHECK(*error == c.message);
  }
}

TEST_CASE("bytes are quoted as Go's quoteChar quotes them") {
  CHECK(go_quote_char('a') == "'a'");
  CHECK(go_quote_char('\\') == R"('\\')");
  CHECK(go_quote_char('\'') == R"('\'')");
  CHECK(go_quote_char('"') == "'\"'");
  CHECK(go_quote_char('\n') == R"('\n')");
  CHECK(go_quote_char(0x7f) == R"('\x7f')");
  CHECK(go_quote_char(0x85) == R"('\u0085')");
  CHECK(go_quote_char(0xe9) == "'\xc3\xa9'");  // U+00E9, printable
}

TEST_CASE("nesting deeper than encoding/json allows is an error") {
  const std::string deep = std::string(10001, '[') + std::string(10001, ']');
  CHECK(go_json_syntax_error(deep) == std::optional<std::string>("exceeded max depth"));
  const std::string fine = std::string(100, '[') + std::string(100, ']');
  CHECK_FALSE(go_json_syntax_error(fine).has_value());
}

}  // namespace
}  // namespace sasim::api
