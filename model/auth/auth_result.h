// What the ServiceAccount token authenticator concludes about a bearer token.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/auth/legacy_tracking.h"

namespace sasim::model::auth {

struct UserInfo {
  std::string name;  // system:serviceaccount:<ns>:<sa>
  std::string uid;   // the ServiceAccount's uid, from the token
  std::vector<std::string> groups;  // [system:serviceaccounts, system:serviceaccounts:<ns>]
  // user.Info's extra: a pod-bound token's pod name and uid (BV7).
  std::map<std::string, std::vector<std::string>> extra{};

  friend bool operator==(const UserInfo&, const UserInfo&) = default;
};

struct AuthResult {
  enum Outcome {
    kAuthenticated,
    // Upstream's (nil, false, nil): not this authenticator's token. The
    // apiserver tries its other authenticators and, if none takes it,
    // answers 401.
    kNotHandled,
    // Upstream's (nil, false, err).
    kRejected,
  };
  Outcome outcome = kNotHandled;
  UserInfo user;  // only when authenticated
  // kRejected: the upstream error text (`Token has been invalidated`, ...).
  // kNotHandled: why, in sasim's words; upstream returns no error there.
  std::string reason;
  // False while no configured key has verified the signature: such a
  // rejection says nothing about any account.
  bool signature_verified = false;
  // Audit annotations the authentication added (a bound token used after
  // its warnafter gets authentication.k8s.io/stale-token, BV6).
  std::map<std::string, std::string> audit_annotations;
  // Warning headers for the client (an auto-generated legacy token, 1.26+).
  std::vector<std::string> warnings;
  // A legacy token's use the apiserver records by writing the Secret's
  // last-used label (1.26+), on success and on an invalid-since rejection.
  // Only requests write it: checks that merely look ignore it.
  std::optional<LastUsedPatch> last_used_patch;
};

// The reason the scenario format reports for a failed authentication: the
// validator's message once the signature has verified, otherwise (no
// authenticator took the token, or no key verified it) `invalid bearer
// token`. Empty when authenticated.
std::string client_visible_reason(const AuthResult& result);

}  // namespace sasim::model::auth
