// A TokenLookup over plain maps, for tests: what upstream's tests do with a
// fake clientset behind the listers.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "model/auth/token_lookup.h"

namespace sasim::model::auth::testing {

class FakeTokenLookup : public TokenLookup {
 public:
  void add_secret(std::string ns, std::string name, SecretInfo info) {
    secrets_[{std::move(ns), std::move(name)}] = std::move(info);
  }
  void add_service_account(std::string ns, std::string name, AccountInfo info) {
    accounts_[{std::move(ns), std::move(name)}] = std::move(info);
  }

  std::optional<SecretInfo> secret(std::string_view ns, std::string_view name) override {
    ++secret_reads;
    const auto it = secrets_.find({std::string(ns), std::string(name)});
    if (it == secrets_.end()) return std::nullopt;
    return it->second;
  }
  sim::Result<AccountInfo> service_account(std::string_view ns, std::string_view name) override {
    ++account_reads;
    const auto it = accounts_.find({std::string(ns), std::string(name)});
    if (it == accounts_.end()) {
      return sim::unexpected(sim::Error{"serviceaccounts \"" + std::string(name) + "\" not found"});
    }
    return it->second;
  }

  int secret_reads = 0;
  int account_reads = 0;

 private:
  std::map<std::pair<std::string, std::string>, SecretInfo> secrets_;
  std::map<std::pair<std::string, std::string>, AccountInfo> accounts_;
};

}  // namespace sasim::model::auth::testing
