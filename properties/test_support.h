// Test support for the invariant tests: object builders and the cluster
// operations the tests share. Not part of the library.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/cluster/test_harness.h"
#include "model/objects/constants.h"
#include "properties/checker.h"

namespace sasim::properties::testing {

using model::testing::Harness;

inline std::vector<std::string> only(std::string_view name) { return {std::string(name)}; }

// A token Secret as a user would write it: type and name annotation.
inline model::Secret token_secret(std::string ns, std::string name, std::string account) {
  model::Secret s;
  s.metadata.namespace_ = std::move(ns);
  s.metadata.name = std::move(name);
  s.type = std::string(model::kSecretTypeServiceAccountToken);
  s.metadata.annotations[std::string(model::kServiceAccountNameKey)] = std::move(account);
  return s;
}

inline model::Object namespace_named(std::string name) {
  model::Namespace ns;
  ns.metadata.name = std::move(name);
  return ns;
}

// A committed change as storage would announce it.
inline model::StoreChange change(model::WatchEventType type, model::ObjectPtr object, model::ObjectPtr previous = {}) {
  model::StoreChange c;
  c.type = type;
  c.object = std::move(object);
  c.previous = std::move(previous);
  return c;
}

inline model::Secret opaque_secret(std::string ns, std::string name) {
  model::Secret s;
  s.metadata.namespace_ = std::move(ns);
  s.metadata.name = std::move(name);
  return s;
}

inline model::Pod pod(std::string ns, std::string name, std::string account = "") {
  return std::get<model::Pod>(model::testing::pod(std::move(ns), std::move(name), std::move(account)));
}

inline model::ObjectPtr ptr(model::Object object) { return std::make_shared<const model::Object>(std::move(object)); }

// An admission that found `account` in its cache, which storage still holds.
inline model::PodAdmission admission(model::ObjectPtr account) {
  model::PodAdmission a;
  a.reads.push_back(model::AccountRead{.account = account, .from_cache = true});
  a.stored_account = std::move(account);
  return a;
}

inline const model::ServiceAccount* account(const Harness& h, const std::string& ns, const std::string& name) {
  return model::as<model::ServiceAccount>(h.store().get(model::Kind::kServiceAccount, ns, name));
}

// The name of the first Secret the account references.
inline std::string first_token_name(const Harness& h, const std::string& ns, const std::string& name) {
  const model::ServiceAccount* sa = account(h, ns, name);
  SIM_CHECK(sa != nullptr && !sa->secrets.empty(), "the account has no token reference");
  return sa->secrets.front().name;
}

inline void crash(Harness& h, const char* actor) {
  h.simulator.crash_at(h.simulator.now(), h.simulator.find_actor(actor));
  h.run_for(sim::Duration::milliseconds(1));
}

inline void restart(Harness& h, const char* actor) {
  h.simulator.restart_at(h.simulator.now(), h.simulator.find_actor(actor));
}

}  // namespace sasim::properties::testing
