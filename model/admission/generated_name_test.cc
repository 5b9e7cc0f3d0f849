// Volume names are generated as the apiserver's SimpleNameGenerator makes
// them, from the simulation's stream only.
#include "model/admission/generated_name.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "model/admission/testing/fake_env.h"

namespace sasim::model::admission {
namespace {

TEST_CASE("generated names are the base plus 5 characters of the alphabet") {
  sim::Prng prng(7);
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string name = generate_name("kube-api-access-", prng);
    REQUIRE(name.size() == 16 + kGeneratedSuffixLength);
    CHECK(name.rfind("kube-api-access-", 0) == 0);
    for (char c : name.substr(16)) CHECK(kGeneratedNameAlphabet.find(c) != std::string_view::npos);
    seen.insert(name);
  }
  CHECK(seen.size() > 190);  // 27^5 names: collisions are rare
}

TEST_CASE("a generated name's base is cut to 58 bytes") {
  sim::Prng prng(1);
  const std::string base(70, 'a');
  const std::string name = generate_name(base, prng);
  CHECK(name.size() == 63);
  CHECK(name.substr(0, 58) == std::string(58, 'a'));
}

TEST_CASE("the same seed generates the same names") {
  sim::Prng a(42);
  sim::Prng b(42);
  sim::Prng c(43);
  const std::string first = generate_name("x-", a);
  CHECK(first == generate_name("x-", b));
  CHECK(generate_name("x-", a) == generate_name("x-", b));
  CHECK(first != generate_name("x-", c));
}

TEST_CASE("Env generates names from its own stream by default") {
  testing::FakeEnv env(42);
  sim::Prng same(42);
  CHECK(env.Env::generate_name("token-name-") == generate_name("token-name-", same));
}

}  // namespace
}  // namespace sasim::model::admission
