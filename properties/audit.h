// Audit: who changed what, from the apiserver's committed changes
// (StoreChange::user), kept for the evidence some invariants and known
// weaknesses need: who deleted a Secret, which token Secrets the tokens
// controller created, who last changed a token Secret's `token` and
// `namespace`, which references the tokens controller added to an account,
// and which a user's write removed.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/apiserver/store.h"
#include "properties/uid_table.h"

namespace sasim::properties {

// The tokens controller's user name, as its requests carry it.
inline constexpr std::string_view kTokensControllerUser = "tokens-controller";

class Audit {
 public:
  Audit() = default;
  // Write::user views a name kept in users_: a copy would view the
  // original's. Moving keeps them valid (a set's nodes stay put).
  Audit(const Audit&) = delete;
  Audit& operator=(const Audit&) = delete;
  Audit(Audit&&) = default;
  Audit& operator=(Audit&&) = default;

  void on_commit(const model::StoreChange& change);

  // The user whose request deleted that incarnation of the object (by uid;
  // an empty uid: the latest incarnation deleted), or nullptr if storage
  // never deleted it.
  const std::string* deleted_by(model::Kind kind, const std::string& ns, const std::string& name,
                                const std::string& uid) const;

  // Whether the tokens controller created the Secret of that uid.
  bool created_by_tokens_controller(const std::string& secret_uid) const;

  // Who last changed a Secret's value under `key` ("token", "namespace"),
  // creation included, and what they left there; nullptr if nobody ever
  // wrote one.
  struct Write {
    std::string_view user;  // one of users_: a handful of names, kept once each
    std::string value;      // for "namespace" only; tokens are not kept
  };
  const Write* last_write(const std::string& secret_uid, std::string_view key) const;
  // The same, among the writes of users other than the tokens controller.
  const Write* last_user_write(const std::string& secret_uid, std::string_view key) const;

  // What is kept about one token Secret, for a caller that asks several of
  // the questions above about it: one lookup by uid instead of one each.
  class SecretRecord {
   public:
    bool created_by_tokens_controller() const { return created_by_controller_; }
    const Write* last_write(std::string_view key) const;
    const Write* last_user_write(std::string_view key) const;

   private:
    friend class Audit;
    bool created_by_controller_ = false;
    std::optional<Write> last_[2];            // by written_key: token, namespace
    std::unique_ptr<Write> last_by_user_[2];  // the same, users other than the controller (rare)
  };
  // nullptr: nothing was kept about that uid (the answers above are all no).
  const SecretRecord* secret_record(const std::string& secret_uid) const;

  // Whether the tokens controller added a reference to `secret_name` to the
  // account of that uid, and no write has removed it since.
  bool reference_added_by_tokens_controller(const std::string& account_uid, const std::string& secret_name) const;
  // Whether some write other than the tokens controller's removed a
  // reference to `secret_name` from the account of that uid.
  bool reference_removed_by_user(const std::string& account_uid, const std::string& secret_name) const;

 private:
  void on_secret(const model::StoreChange& change);
  void on_account(const model::StoreChange& change);

  struct Deletion {
    std::string uid;
    std::string user;
  };
  // What one token Secret went through, by its uid: one record and one
  // lookup per commit, not one per fact.
  using SecretHistory = SecretRecord;
  // The name of a user, kept once: every write would otherwise copy it
  // ("tokens-controller" is too long for the short-string buffer).
  std::string_view intern_user(const std::string& user);
  // One account's references, by its uid; small sorted vectors (an account
  // references one or two Secrets).
  struct AccountHistory {
    std::vector<std::string> controller_references;  // added by the tokens controller, not removed since
    std::vector<std::string> removed_by_user;        // removed by a write of someone else
  };

  std::map<std::pair<model::Kind, model::ObjectKey>, std::vector<Deletion>> deletions_;
  // Hashed by uid: these are only ever looked up, never iterated, so their
  // order cannot reach a result. With a hundred thousand Secrets the ordered
  // maps' string comparisons were most of the checker's time, then the
  // unordered maps' node chains (uid_table.h).
  UidTable<SecretHistory> secrets_;
  UidTable<AccountHistory> accounts_;
  std::set<std::string, std::less<>> users_;  // node-based: the views into it stay valid
};

}  // namespace sasim::properties
