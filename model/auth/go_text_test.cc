#include "model/auth/go_text.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace sasim::model::auth {
namespace {

TEST_CASE("go_json_dump sorts keys and writes compact JSON", "[go_text]") {
  const nlohmann::json value = {{"sub", "x"}, {"iss", "kubernetes/serviceaccount"}, {"n", 3},
                                {"list", {true, nullptr, -1}}, {"obj", nlohmann::json::object()}};
  CHECK(go_json_dump(value) ==
        R"({"iss":"kubernetes/serviceaccount","list":[true,null,-1],"n":3,"obj":{},"sub":"x"})");
}

TEST_CASE("go_json_dump escapes strings the way Go's encoding/json does", "[go_text]") {
  struct Case {
    std::string in;
    std::string out;
  };
  const Case cases[] = {
      {"plain", R"("plain")"},
      {"a\"b\\c", R"("a\"b\\c")"},
      {"<script>&", R"("\u003cscript\u003e\u0026")"},
      {"\n\r\t", R"("\n\r\t")"},
      {"\b\f\x01\x1f", R"("\u0008\u000c\u0001\u001f")"},
      {"\xe2\x80\xa8\xe2\x80\xa9", R"("\u2028\u2029")"},
      {"caf\xc3\xa9", "\"caf\xc3\xa9\""},
      {"bad\xff\xc3", R"("bad\ufffd\ufffd")"},
      {"\xed\xa0\x80", R"("\ufffd\ufffd\ufffd")"},  // a UTF-16 surrogate is not UTF-8
  };
  for (const Case& c : cases) {
    INFO(c.in);
    CHECK(go_json_dump(nlohmann::json(c.in)) == c.out);
  }
}

TEST_CASE("go_quote writes strings as fmt's %q does", "[go_text]") {
  CHECK(go_quote("bar") == R"("bar")");
  CHECK(go_quote("") == R"("")");
  CHECK(go_quote("a\"b\\") == R"("a\"b\\")");
  CHECK(go_quote("tab\there\n") == R"("tab\there\n")");
  CHECK(go_quote("\x01\x7f") == R"("\x01\x7f")");
  CHECK(go_quote("\xff") == R"("\xff")");
  CHECK(go_quote(std::vector<std::string>{"api", "other"}) == R"(["api" "other"])");
  CHECK(go_quote(std::vector<std::string>{}) == "[]");
}

}  // namespace
}  // namespace sasim::model::auth
