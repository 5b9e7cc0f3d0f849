#include "scenarios/suggest.h"

#include <catch2/catch.hpp>

namespace sasim::scenarios {
namespace {

constexpr std::string_view kKeys[] = {"name", "description", "seed", "cluster", "steps", "limits"};

TEST_CASE("edit distance counts an adjacent transposition as one edit") {
  CHECK(edit_distance("steps", "steps") == 0);
  CHECK(edit_distance("stpes", "steps") == 1);
  CHECK(edit_distance("step", "steps") == 1);
  CHECK(edit_distance("Steps", "steps") == 0);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
}

TEST_CASE("suggest names a near key and nothing for a far one") {
  CHECK(suggest("stpes", kKeys) == std::optional<std::string>("steps"));
  CHECK(suggest("clustr", kKeys) == std::optional<std::string>("cluster"));
  CHECK(suggest("limit", kKeys) == std::optional<std::string>("limits"));
  CHECK_FALSE(suggest("frobnicate", kKeys).has_value());
  // Two edits in a three-letter word is a different word.
  CHECK_FALSE(suggest("sod", kKeys).has_value());
}

TEST_CASE("quoted_list quotes and separates") {
  constexpr std::string_view kWords[] = {"a", "b", "c"};
  CHECK(quoted_list(kWords) == "\"a\", \"b\" or \"c\"");
  CHECK(quoted_list(kWords, ", ") == "\"a\", \"b\", \"c\"");
}

}  // namespace
}  // namespace sasim::scenarios
