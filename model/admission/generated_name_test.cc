// Volume names come from the shared generator (model/client, tested
// there), drawn from the plugin's own stream.
#include "model/client/name_generator.h"

#include <catch2/catch.hpp>
#include <string>

#include "model/admission/testing/fake_env.h"

namespace sasim::model::admission {
namespace {

TEST_CASE("Env generates names from its own stream by default") {
  testing::FakeEnv env(42);
  sim::Prng same(42);
  CHECK(env.Env::generate_name("token-name-") == client::generate_name("token-name-", same));
}

}  // namespace
}  // namespace sasim::model::admission
