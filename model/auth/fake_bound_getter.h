// A BoundObjectGetter over plain maps of accounts and pods by name, for the
// authenticator's tests (no Secrets, no Nodes): the accounts' lookups are
// counted.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "model/auth/bound_validator.h"

namespace sasim::model::auth::testing {

class FakeBoundGetter final : public BoundObjectGetter {
 public:
  std::map<std::string, Object> accounts, pods;
  int reads = 0;
  sim::Result<Object> service_account(std::string_view, std::string_view name) override {
    ++reads;
    auto it = accounts.find(std::string(name));
    if (it == accounts.end()) return sim::unexpected(sim::Error{"serviceaccounts \"" + std::string(name) + "\" not found"});
    return it->second;
  }
  std::optional<Object> secret(std::string_view, std::string_view) override { return std::nullopt; }
  std::optional<Object> pod(std::string_view, std::string_view name) override {
    auto it = pods.find(std::string(name));
    if (it == pods.end()) return std::nullopt;
    return it->second;
  }
};

}  // namespace sasim::model::auth::testing
