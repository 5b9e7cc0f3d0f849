// --max-memory's sizes. The limit itself is tested end to end on the
// command (tools/cli_tests/memory_limit.sh): it caps the whole process.
#include "tools/runner/memory_limit.h"

#include <catch2/catch.hpp>

namespace sasim::tools {
namespace {

TEST_CASE("memory limit: sizes read with binary and decimal multipliers") {
  CHECK(parse_size("65536").value() == 65536);
  CHECK(parse_size("512MiB").value() == 512ULL << 20);
  CHECK(parse_size("512Mi").value() == 512ULL << 20);
  CHECK(parse_size("2GiB").value() == 2ULL << 30);
  CHECK(parse_size("1Ti").value() == 1ULL << 40);
  CHECK(parse_size("4G").value() == 4'000'000'000ULL);
  CHECK(parse_size("1500MB").value() == 1'500'000'000ULL);
  CHECK(parse_size("64k").value() == 64'000);
  CHECK(parse_size("0").value() == 0);
}

TEST_CASE("memory limit: what is not a size is an error that shows one") {
  for (const char* bad : {"", "MiB", "-1G", "1.5G", "12 MiB", "3XB", "1iB", "99999999999999999999", "20000000000T"}) {
    INFO(bad);
    const auto parsed = parse_size(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().message == std::string("expected a size such as 512MiB, 2GiB or 4G, got \"") + bad + "\"");
  }
}

TEST_CASE("memory limit: the default is the machine's memory") {
  CHECK(physical_memory_bytes() > (64ULL << 20));
}

}  // namespace
}  // namespace sasim::tools
