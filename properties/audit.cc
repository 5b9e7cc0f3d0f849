#include "properties/audit.h"

#include "model/objects/constants.h"

namespace sasim::properties {
namespace {

const model::DataValue* value_of(const model::Object* object, const std::string& key) {
  const auto* secret = object == nullptr ? nullptr : std::get_if<model::Secret>(object);
  return secret == nullptr ? nullptr : secret->data_value(key);
}

// Whether the value under `key` differs between the two versions. Lazy
// tokens compare by identity first (DataValue::same_bytes), so an update
// that carries the token along signs nothing.
bool changed(const model::Object* before, const model::Object& after, const std::string& key) {
  const model::DataValue* old_value = value_of(before, key);
  const model::DataValue* new_value = value_of(&after, key);
  const bool had = old_value != nullptr && !old_value->empty();
  const bool has = new_value != nullptr && !new_value->empty();
  if (had != has) return true;
  return has && !old_value->same_bytes(*new_value);
}

}  // namespace

void Audit::on_commit(const model::StoreChange& change) {
  if (!change.object) return;
  if (change.type == model::WatchEventType::kDeleted) {
    const model::ObjectMeta& m = model::meta(*change.object);
    deletions_[{model::kind_of(*change.object), model::ObjectKey{m.namespace_, m.name}}].push_back(
        Deletion{m.uid, change.user});
  }
  if (std::holds_alternative<model::Secret>(*change.object)) on_secret(change);
  if (std::holds_alternative<model::ServiceAccount>(*change.object)) on_account(change);
}

void Audit::on_secret(const model::StoreChange& change) {
  if (change.type == model::WatchEventType::kDeleted) return;
  const auto& secret = std::get<model::Secret>(*change.object);
  if (secret.type != model::kSecretTypeServiceAccountToken) return;
  const std::string& uid = secret.metadata.uid;
  const model::Object* before = change.type == model::WatchEventType::kAdded ? nullptr : change.previous.get();
  if (change.type == model::WatchEventType::kAdded && change.user == kTokensControllerUser) {
    created_by_controller_.insert(uid);
  }
  for (std::string_view key : {model::kServiceAccountTokenKey, model::kServiceAccountNamespaceKey}) {
    const std::string k(key);
    if (!changed(before, *change.object, k)) continue;
    const model::DataValue* v = secret.data_value(k);
    const Write w{.user = change.user,
                  .value = k == model::kServiceAccountNamespaceKey && v != nullptr ? v->bytes() : std::string()};
    writes_[{uid, k}] = w;
    if (change.user != kTokensControllerUser) user_writes_[{uid, k}] = w;
  }
}

void Audit::on_account(const model::StoreChange& change) {
  const auto& sa = std::get<model::ServiceAccount>(*change.object);
  const std::string& uid = sa.metadata.uid;
  std::set<std::string> now;
  if (change.type != model::WatchEventType::kDeleted) {
    for (const model::ObjectReference& ref : sa.secrets) now.insert(ref.name);
  }
  std::set<std::string> before;
  if (change.type == model::WatchEventType::kModified && change.previous) {
    if (const auto* old = std::get_if<model::ServiceAccount>(change.previous.get())) {
      for (const model::ObjectReference& ref : old->secrets) before.insert(ref.name);
    }
  }
  const bool by_controller = change.user == kTokensControllerUser;
  for (const std::string& name : now) {
    if (before.count(name) == 0 && by_controller && change.type == model::WatchEventType::kModified) {
      controller_references_.insert({uid, name});
    }
  }
  for (const std::string& name : before) {
    if (now.count(name) != 0) continue;
    controller_references_.erase({uid, name});
    if (!by_controller) removed_by_user_.insert({uid, name});
  }
  if (change.type == model::WatchEventType::kDeleted) {
    for (auto it = controller_references_.lower_bound({uid, ""}); it != controller_references_.end() && it->first == uid;) {
      it = controller_references_.erase(it);
    }
  }
}

const std::string* Audit::deleted_by(model::Kind kind, const std::string& ns, const std::string& name,
                                     const std::string& uid) const {
  auto it = deletions_.find({kind, model::ObjectKey{model::is_namespaced(kind) ? ns : "", name}});
  if (it == deletions_.end()) return nullptr;
  for (auto d = it->second.rbegin(); d != it->second.rend(); ++d) {
    if (uid.empty() || d->uid == uid) return &d->user;
  }
  return nullptr;
}

bool Audit::created_by_tokens_controller(const std::string& secret_uid) const {
  return created_by_controller_.count(secret_uid) != 0;
}

const Audit::Write* Audit::last_write(const std::string& secret_uid, std::string_view key) const {
  auto it = writes_.find({secret_uid, std::string(key)});
  return it == writes_.end() ? nullptr : &it->second;
}

const Audit::Write* Audit::last_user_write(const std::string& secret_uid, std::string_view key) const {
  auto it = user_writes_.find({secret_uid, std::string(key)});
  return it == user_writes_.end() ? nullptr : &it->second;
}

bool Audit::reference_added_by_tokens_controller(const std::string& account_uid, const std::string& secret_name) const {
  return controller_references_.count({account_uid, secret_name}) != 0;
}

bool Audit::reference_removed_by_user(const std::string& account_uid, const std::string& secret_name) const {
  return removed_by_user_.count({account_uid, secret_name}) != 0;
}

}  // namespace sasim::properties
