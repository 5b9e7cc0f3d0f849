// TokenLookup: how the legacy validator reads the Secret and the
// ServiceAccount a token names (--service-account-lookup). Upstream reads its
// informers' listers and falls back to a live GET on a miss; the apiserver
// model implements this over its own caches and store, so that the
// authenticator sees exactly what a real apiserver would at that moment.
#pragma once

#include <optional>
#include <string>
#include <vector>
#include <string_view>

#include "sim/result.h"

namespace sasim::model::auth {

class TokenLookup {
 public:
  virtual ~TokenLookup() = default;
  struct SecretInfo {
    std::string token;  // data["token"]
    bool being_deleted = false;  // metadata.deletionTimestamp is set
    // For tracking (1.26+): the Secret's name, namespace and uid, and its
    // last-used and invalid-since labels (empty when absent).
    std::string ns{};
    std::string name{};
    std::string uid{};
    std::string last_used{};
    std::string invalid_since{};
  };
  struct AccountInfo {
    std::string uid;
    bool being_deleted = false;
    // The names in .secrets: a token Secret listed there is auto-generated.
    std::vector<std::string> secret_names{};
  };
  // nullopt: no such Secret.
  virtual std::optional<SecretInfo> secret(std::string_view ns, std::string_view name) = 0;
  // An error is returned to the caller as its message, e.g. `serviceaccounts "x" not found`.
  virtual sim::Result<AccountInfo> service_account(std::string_view ns, std::string_view name) = 0;
};

}  // namespace sasim::model::auth
