// Go's text/tabwriter: column blocks, padding, minimum width, empty cells.
#include "model/objects/tabwriter.h"

#include <catch2/catch.hpp>

namespace sasim::model {
namespace {

TEST_CASE("tabwriter aligns column blocks as Go's does") {
  struct Case {
    const char* name;
    const char* text;
    TabwriterOptions options;
    const char* expected;
  };
  const Case cases[] = {
      {"one block", "a\tb\tc\naa\tbb\tcc\n", {0, 1}, "a  b  c\naa bb cc\n"},
      {"a line without tabs ends the block", "a\tb\n\nlonger\tc\n", {0, 2}, "a  b\n\nlonger  c\n"},
      {"an empty first cell continues the column", "Annotations:\ta\n\tb\nType:\tt\n", {0, 2},
       "Annotations:  a\n              b\nType:         t\n"},
      {"deeper columns form their own blocks", "x\ty\tz\nxx\ty\nx\tyyyy\tz\n", {0, 1}, "x  y z\nxx y\nx  yyyy z\n"},
      {"minimum width", "A\tB\n1\t2\n", {6, 3}, "A     B\n1     2\n"},
      {"trailing empty cell keeps its padding", "IP:\t\nIPs:\t<none>\n", {0, 2}, "IP:   \nIPs:  <none>\n"},
      {"widths count runes", "é\tx\nab\ty\n", {0, 1}, "é  x\nab y\n"},
      {"no final newline", "a\tb", {0, 1}, "a b"},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(tabwrite(c.text, c.options) == c.expected);
  }
}

}  // namespace
}  // namespace sasim::model
