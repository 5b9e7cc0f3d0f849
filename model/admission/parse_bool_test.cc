// Annotations are read with Go's strconv.ParseBool: exactly its spellings.
#include "model/admission/parse_bool.h"

#include <catch2/catch.hpp>

namespace sasim::model::admission {
namespace {

TEST_CASE("parse_go_bool accepts exactly strconv.ParseBool's spellings") {
  struct Case {
    const char* text;
    std::optional<bool> want;
  };
  const Case cases[] = {
      {"1", true},
      {"t", true},
      {"T", true},
      {"TRUE", true},
      {"true", true},
      {"True", true},
      {"0", false},
      {"f", false},
      {"F", false},
      {"FALSE", false},
      {"false", false},
      {"False", false},
      {"", std::nullopt},
      {"yes", std::nullopt},
      {"tRUE", std::nullopt},
      {" true", std::nullopt},
      {"true ", std::nullopt},
      {"2", std::nullopt},
      {"on", std::nullopt},
  };
  for (const Case& c : cases) {
    INFO("text: \"" << c.text << "\"");
    CHECK(parse_go_bool(c.text) == c.want);
  }
}

}  // namespace
}  // namespace sasim::model::admission
