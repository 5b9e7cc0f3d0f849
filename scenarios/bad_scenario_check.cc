// bad_scenario_check FILE [EXPECTED]: parses FILE, which must fail, and
// compares the first line of its diagnostic with the first line of
// EXPECTED. Without EXPECTED it prints the diagnostic (to write new corpus
// entries). One ctest per file of tests/bad_scenarios runs it there, so
// that paths show as given (`NAME.yaml:LINE:COL: error: ...`).
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "scenarios/parser.h"

namespace {

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2 && argc != 3) {
    std::cerr << "usage: bad_scenario_check FILE [EXPECTED]\n";
    return 2;
  }
  const auto parsed = sasim::scenarios::parse_scenario_file(argv[1]);
  if (parsed) {
    std::cout << argv[1] << ": parsed without error, but it should not\n";
    return 1;
  }
  const std::string actual = first_line(parsed.error().render());
  if (argc == 2) {
    std::cout << actual << "\n";
    return 0;
  }
  std::ifstream in(argv[2], std::ios::binary);
  if (!in) {
    std::cout << "cannot read " << argv[2] << " (each corpus file needs NAME.expected)\n";
    return 1;
  }
  std::stringstream expected;
  expected << in.rdbuf();
  const std::string want = first_line(expected.str());
  if (actual != want) {
    std::cout << "expected: " << want << "\nactual:   " << actual << "\n";
    return 1;
  }
  std::cout << "ok: " << actual << "\n";
  return 0;
}
