// Which Secrets count as a ServiceAccount's token: upstream's
// IsServiceAccountToken (k8s.io/apiserver serviceaccount/util.go), the
// predicate the tokens controller, admission and invariants all rely on.
#pragma once

#include <string>

#include "model/objects/constants.h"
#include "model/objects/secret.h"
#include "model/objects/service_account.h"

namespace sasim::model {

// Type is service-account-token, the name annotation equals the account's
// name, and the uid annotation, when non-empty, equals its uid. The
// namespace is not compared: callers look within one namespace.
inline bool is_service_account_token(const Secret& secret, const std::string& sa_name, const std::string& sa_uid) {
  if (secret.type != kSecretTypeServiceAccountToken) return false;
  // The keys are built once: the tokens controller asks this of every
  // Secret in a namespace on every account sync, and a key string per call
  // was a heap allocation each.
  static const std::string kNameKey(kServiceAccountNameKey);
  static const std::string kUidKey(kServiceAccountUidKey);
  const std::string* name = secret.metadata.annotation(kNameKey);
  if (name == nullptr || *name != sa_name) return false;
  const std::string* uid = secret.metadata.annotation(kUidKey);
  return uid == nullptr || uid->empty() || *uid == sa_uid;
}

inline bool is_service_account_token(const Secret& secret, const ServiceAccount& sa) {
  return is_service_account_token(secret, sa.metadata.name, sa.metadata.uid);
}

}  // namespace sasim::model
