#include "properties/audit.h"

#include <algorithm>

#include "model/objects/constants.h"
#include "properties/secret_keys.h"

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

// The keys whose writes are kept, as SecretHistory indexes them; -1 for any other.
int written_key(std::string_view key) {
  if (key == model::kServiceAccountTokenKey) return 0;
  if (key == model::kServiceAccountNamespaceKey) return 1;
  return -1;
}

// `names` sorted and without duplicates, as views into `refs`.
std::vector<std::string_view> sorted_names(const std::vector<model::ObjectReference>& refs) {
  std::vector<std::string_view> names;
  names.reserve(refs.size());
  for (const model::ObjectReference& ref : refs) names.emplace_back(ref.name);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

bool contains(const std::vector<std::string_view>& sorted, std::string_view name) {
  return std::binary_search(sorted.begin(), sorted.end(), name);
}

void insert_sorted(std::vector<std::string>& sorted, std::string_view name) {
  auto it = std::lower_bound(sorted.begin(), sorted.end(), name);
  if (it == sorted.end() || *it != name) sorted.emplace(it, name);
}

void erase_sorted(std::vector<std::string>& sorted, std::string_view name) {
  auto it = std::lower_bound(sorted.begin(), sorted.end(), name);
  if (it != sorted.end() && *it == name) sorted.erase(it);
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
  const model::Object* before = change.type == model::WatchEventType::kAdded ? nullptr : change.previous.get();
  const bool by_controller = change.user == kTokensControllerUser;
  SecretHistory* history = nullptr;  // looked up once, when there is something to record
  auto record = [&]() -> SecretHistory& {
    if (history == nullptr) history = &secrets_.get_or_add(secret.metadata.uid);
    return *history;
  };
  if (change.type == model::WatchEventType::kAdded && by_controller) record().created_by_controller_ = true;
  for (const std::string* key : {&keys::kToken, &keys::kNamespace}) {
    if (!changed(before, *change.object, *key)) continue;
    const model::DataValue* v = secret.data_value(*key);
    const int index = written_key(*key);
    SecretHistory& h = record();
    h.last_[index] = Write{.user = intern_user(change.user),
                           .value = key == &keys::kNamespace && v != nullptr ? v->bytes() : std::string()};
    if (!by_controller) h.last_by_user_[index] = std::make_unique<Write>(*h.last_[index]);
  }
}

void Audit::on_account(const model::StoreChange& change) {
  const auto& sa = std::get<model::ServiceAccount>(*change.object);
  const std::string& uid = sa.metadata.uid;
  if (change.type == model::WatchEventType::kDeleted) {
    // Its controller references go with it; what users removed stays on
    // record (an emptied record answers as no record would).
    if (AccountHistory* history = accounts_.find(uid)) history->controller_references.clear();
    return;
  }
  // A creation adds no reference the controller made, nor removes one.
  if (change.type != model::WatchEventType::kModified) return;
  const std::vector<std::string_view> now = sorted_names(sa.secrets);
  std::vector<std::string_view> before;
  if (change.previous) {
    if (const auto* old = std::get_if<model::ServiceAccount>(change.previous.get())) before = sorted_names(old->secrets);
  }
  if (now == before) return;
  const bool by_controller = change.user == kTokensControllerUser;
  AccountHistory* history = nullptr;
  for (std::string_view name : now) {
    if (!by_controller || contains(before, name)) continue;
    if (history == nullptr) history = &accounts_.get_or_add(uid);
    insert_sorted(history->controller_references, name);
  }
  for (std::string_view name : before) {
    if (contains(now, name)) continue;
    if (history == nullptr) history = &accounts_.get_or_add(uid);
    erase_sorted(history->controller_references, name);
    if (!by_controller) insert_sorted(history->removed_by_user, name);
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

std::string_view Audit::intern_user(const std::string& user) {
  auto it = users_.find(user);
  if (it == users_.end()) it = users_.insert(user).first;
  return *it;
}

const Audit::SecretRecord* Audit::secret_record(const std::string& secret_uid) const {
  return secrets_.find(secret_uid);
}

const Audit::Write* Audit::SecretRecord::last_write(std::string_view key) const {
  const int index = written_key(key);
  return index < 0 || !last_[index] ? nullptr : &*last_[index];
}

const Audit::Write* Audit::SecretRecord::last_user_write(std::string_view key) const {
  const int index = written_key(key);
  return index < 0 ? nullptr : last_by_user_[index].get();
}

bool Audit::created_by_tokens_controller(const std::string& secret_uid) const {
  const SecretRecord* record = secret_record(secret_uid);
  return record != nullptr && record->created_by_tokens_controller();
}

const Audit::Write* Audit::last_write(const std::string& secret_uid, std::string_view key) const {
  const SecretRecord* record = written_key(key) < 0 ? nullptr : secret_record(secret_uid);
  return record == nullptr ? nullptr : record->last_write(key);
}

const Audit::Write* Audit::last_user_write(const std::string& secret_uid, std::string_view key) const {
  const SecretRecord* record = written_key(key) < 0 ? nullptr : secret_record(secret_uid);
  return record == nullptr ? nullptr : record->last_user_write(key);
}

namespace {

bool contains(const std::vector<std::string>& sorted, const std::string& name) {
  return std::binary_search(sorted.begin(), sorted.end(), name);
}

}  // namespace

bool Audit::reference_added_by_tokens_controller(const std::string& account_uid, const std::string& secret_name) const {
  const AccountHistory* history = accounts_.find(account_uid);
  return history != nullptr && contains(history->controller_references, secret_name);
}

bool Audit::reference_removed_by_user(const std::string& account_uid, const std::string& secret_name) const {
  const AccountHistory* history = accounts_.find(account_uid);
  return history != nullptr && contains(history->removed_by_user, secret_name);
}

}  // namespace sasim::properties
