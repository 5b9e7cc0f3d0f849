#include "model/auth/identity.h"

#include <catch2/catch.hpp>

namespace sasim::model::auth {
namespace {

TEST_CASE("a ServiceAccount's username and groups", "[identity]") {
  CHECK(service_account_username("test", "my-service-account") == "system:serviceaccount:test:my-service-account");
  CHECK(service_account_groups("test") == std::vector<std::string>{"system:serviceaccounts", "system:serviceaccounts:test"});
}

TEST_CASE("split_service_account_username accepts valid usernames only", "[identity]") {
  using Split = std::optional<std::pair<std::string, std::string>>;
  struct Case {
    std::string username;
    Split want;
  };
  const Case cases[] = {
      {"system:serviceaccount:test:my-service-account", std::pair{"test", "my-service-account"}},
      {"system:serviceaccount:kube-system:a.b.c", std::pair{"kube-system", "a.b.c"}},
      {"system:serviceaccount:ns:" + std::string(253, 'a'), std::pair{"ns", std::string(253, 'a')}},
      {"system:serviceaccount:ns:" + std::string(254, 'a'), std::nullopt},
      {"system:serviceaccount:" + std::string(64, 'n') + ":sa", std::nullopt},
      {"system:serviceaccount:test", std::nullopt},
      {"system:serviceaccount:test:sa:extra", std::nullopt},
      {"system:serviceaccount::sa", std::nullopt},
      {"system:serviceaccount:test:", std::nullopt},
      {"system:serviceaccount:Test:sa", std::nullopt},
      {"system:serviceaccount:a.b:sa", std::nullopt},
      {"system:serviceaccount:test:-sa", std::nullopt},
      {"system:serviceaccount:test:sa..x", std::nullopt},
      {"system:serviceaccounts:test:sa", std::nullopt},
      {"system:user:test:sa", std::nullopt},
  };
  for (const Case& c : cases) {
    INFO(c.username);
    CHECK(split_service_account_username(c.username) == c.want);
  }
}

}  // namespace
}  // namespace sasim::model::auth
