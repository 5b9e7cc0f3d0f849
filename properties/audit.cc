#include "properties/audit.h"

namespace sasim::properties {

void DeletionAudit::on_commit(const model::StoreChange& change) {
  if (change.type != model::WatchEventType::kDeleted || !change.object) return;
  const model::ObjectMeta& m = model::meta(*change.object);
  deletions_[{model::kind_of(*change.object), model::ObjectKey{m.namespace_, m.name}}].push_back(
      Deletion{m.uid, change.user});
}

const std::string* DeletionAudit::deleted_by(model::Kind kind, const std::string& ns, const std::string& name,
                                             const std::string& uid) const {
  auto it = deletions_.find({kind, model::ObjectKey{model::is_namespaced(kind) ? ns : "", name}});
  if (it == deletions_.end()) return nullptr;
  for (auto d = it->second.rbegin(); d != it->second.rend(); ++d) {
    if (uid.empty() || d->uid == uid) return &d->user;
  }
  return nullptr;
}

}  // namespace sasim::properties
