// Upstream's TestIsServiceAccountToken (serviceaccount/util_test.go), table-driven.
#include "model/objects/service_account_token.h"

#include <catch2/catch.hpp>

namespace sasim::model {
namespace {

Secret token_secret(std::string type, std::string name, std::string uid) {
  Secret s;
  s.metadata.name = "token-secret-1";
  s.metadata.namespace_ = "default";
  s.type = std::move(type);
  s.metadata.annotations[std::string(kServiceAccountNameKey)] = std::move(name);
  if (!uid.empty()) s.metadata.annotations[std::string(kServiceAccountUidKey)] = std::move(uid);
  return s;
}

TEST_CASE("IsServiceAccountToken follows upstream's table") {
  ServiceAccount sa;
  sa.metadata.name = "default";
  sa.metadata.uid = "12345";
  const std::string token_type(kSecretTypeServiceAccountToken);
  struct Case {
    const char* name;
    Secret secret;
    bool expected;
  };
  const Case cases[] = {
      {"correct service account", token_secret(token_type, "default", "12345"), true},
      {"service account name not equal", token_secret(token_type, "other", "12345"), false},
      {"service account uid not equal", token_secret(token_type, "default", "54321"), false},
      {"service account type not equal", token_secret("Opaque", "default", "12345"), false},
      {"no uid annotation matches any incarnation", token_secret(token_type, "default", ""), true},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(is_service_account_token(c.secret, sa) == c.expected);
  }
}

TEST_CASE("an empty uid annotation matches any incarnation") {
  Secret s = token_secret(std::string(kSecretTypeServiceAccountToken), "default", "");
  s.metadata.annotations[std::string(kServiceAccountUidKey)] = "";
  CHECK(is_service_account_token(s, "default", "anything"));
}

}  // namespace
}  // namespace sasim::model
