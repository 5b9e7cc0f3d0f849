#include "model/client/name_generator.h"

#include <array>
#include <catch2/catch.hpp>
#include <cstddef>
#include <string>
#include <vector>

namespace sasim::model::client {
namespace {

bool in_alphabet(const std::string& text) { return text.find_first_not_of(kNameAlphabet) == std::string::npos; }

TEST_CASE("the alphabet has 27 characters and no vowels", "[name_generator]") {
  CHECK(kNameAlphabet.size() == 27);
  CHECK(kNameAlphabet.find_first_of("aeiou013") == std::string_view::npos);
  CHECK(kMaxGeneratedNameLength == 58);
}

TEST_CASE("random suffixes have the asked length and only alphabet characters", "[name_generator]") {
  sim::Prng prng(7);
  for (int n = 0; n <= 40; ++n) {
    const std::string suffix = random_suffix(prng, n);
    REQUIRE(suffix.size() == static_cast<std::size_t>(n));
    REQUIRE(in_alphabet(suffix));
  }
}

TEST_CASE("token secret names are sa-token- plus five characters", "[name_generator]") {
  sim::Prng prng(1);
  const std::string name = token_secret_name("default", prng);
  CHECK(name.size() == 19);
  CHECK(name.rfind("default-token-", 0) == 0);
  CHECK(in_alphabet(name.substr(14)));
}

TEST_CASE("a long base is cut to 58 characters before the suffix", "[name_generator]") {
  sim::Prng prng(1);
  const std::string sa(60, 'x');
  const std::string name = token_secret_name(sa, prng);
  CHECK(name.size() == 63);
  CHECK(name.substr(0, 58) == std::string(58, 'x'));
  CHECK(in_alphabet(name.substr(58)));
  // 51 + "-token-" is exactly 58: nothing is cut.
  const std::string fits = token_secret_name(std::string(51, 'y'), prng);
  CHECK(fits.size() == 63);
  CHECK(fits.substr(0, 58) == std::string(51, 'y') + "-token-");
  CHECK(generate_name("kube-api-access-", prng).size() == 21);
}

TEST_CASE("names are a function of the seed", "[name_generator]") {
  sim::Prng a(42);
  sim::Prng b(42);
  sim::Prng c(43);
  std::vector<std::string> from_a, from_b, from_c;
  for (int i = 0; i < 20; ++i) {
    from_a.push_back(token_secret_name("default", a));
    from_b.push_back(token_secret_name("default", b));
    from_c.push_back(token_secret_name("default", c));
  }
  CHECK(from_a == from_b);
  CHECK(from_a != from_c);
}

// Pins the drawing procedure: a change to it changes every generated name in
// every scenario, which must be deliberate.
TEST_CASE("the names for seed 1 are pinned", "[name_generator]") {
  sim::Prng prng(1);
  CHECK(token_secret_name("default", prng) == "default-token-dfdkf");
  CHECK(token_secret_name("default", prng) == "default-token-4zm58");
  CHECK(token_secret_name("default", prng) == "default-token-n2lnc");
}

TEST_CASE("every character is equally likely", "[name_generator]") {
  sim::Prng prng(2024);
  std::array<int, 27> counts{};
  constexpr int kDraws = 27'000;
  const std::string text = random_suffix(prng, kDraws);
  for (const char ch : text) ++counts[kNameAlphabet.find(ch)];
  // Expected 1000 each, standard deviation about 31: 6 sigma either side.
  for (const int count : counts) {
    CHECK(count > 810);
    CHECK(count < 1190);
  }
}

}  // namespace
}  // namespace sasim::model::client
