// Audit: who changed what, from the apiserver's committed changes
// (StoreChange::user), kept for the evidence some invariants and known
// weaknesses need: who deleted a Secret, whether the tokens controller
// created a token, whether a user's write removed a reference.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "model/apiserver/store.h"

namespace sasim::properties {

// The tokens controller's user name, as its requests carry it.
inline constexpr std::string_view kTokensControllerUser = "tokens-controller";

class DeletionAudit {
 public:
  void on_commit(const model::StoreChange& change);
  // The user whose request deleted that incarnation of the object (by uid;
  // an empty uid: the latest incarnation deleted), or nullptr if storage
  // never deleted it.
  const std::string* deleted_by(model::Kind kind, const std::string& ns, const std::string& name,
                                const std::string& uid) const;

 private:
  struct Deletion {
    std::string uid;
    std::string user;
  };
  std::map<std::pair<model::Kind, model::ObjectKey>, std::vector<Deletion>> deletions_;
};

}  // namespace sasim::properties
