// The tokens controller (kube-controller-manager `serviceaccount-token`),
// Kubernetes 1.20 (era E2 of the behaviour reference, rules S1-S8, T1-T7).
//
// It keeps, for every ServiceAccount, a referenced token Secret holding a
// signed legacy JWT; fills in token Secrets that users create; deletes
// token Secrets whose account is gone; and removes references to deleted
// Secrets (which, through the account's update event, makes it create a
// replacement). Two queues (accounts, Secrets) with `workers` workers each;
// a 10-retry cap per key; a mutation cache over the Secret informer.
//
// The code follows upstream's functions one for one (syncServiceAccount,
// ensureReferencedToken, syncSecret, generateTokenIfNeeded, ...), with API
// calls as co_awaited requests that take simulated time.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model/controllers/controller_actor.h"
#include "model/controllers/mutation_cache.h"
#include "model/faults/weakness_log.h"
#include "model/objects/lazy_value.h"
#include "model/objects/secret.h"
#include "model/objects/service_account.h"
#include "sim/prng.h"

namespace sasim::model::controllers {

struct ServiceAccountKey {
  std::string namespace_, name, uid;
  auto operator<=>(const ServiceAccountKey&) const = default;
};

struct SecretKey {
  std::string namespace_, name, uid, sa_name, sa_uid;
  auto operator<=>(const SecretKey&) const = default;
};

// Signs the legacy token of (account, Secret name): LegacyClaims through
// the controller's key. `nonce_seed` is drawn fresh for every token from the
// controller's signing stream: what an ES256 signature draws its nonce from
// (model/auth/lazy_token.h). May return null to model a generation failure.
using TokenGenerator = std::function<std::shared_ptr<const LazyValue>(
    const ServiceAccount& sa, const std::string& secret_name, std::uint64_t nonce_seed)>;

struct TokensControllerOptions {
  ControllerOptions base{.client = {.user = "tokens-controller"}, .workers = 5};
  int max_retries = 10;
  std::string root_ca;  // ca.crt bytes; empty: none
  TokenGenerator token_generator;
  // 1.20 auto-generates tokens; 1.24+ (LegacyServiceAccountTokenNoAutoGeneration) does not.
  bool auto_generate = true;
  // Deliberately broken variants, for showing that the fuzzer and the
  // invariants can fail (model/cluster/broken_variants.h). Never on in a
  // faithful run.
  struct Broken {
    bool skip_uid_check = false;           // getServiceAccount matches by name only
    bool never_remove_references = false;  // T5 leaves references to deleted Secrets
    bool keep_orphan_tokens = false;       // T2 leaves a deleted account's tokens
    bool overwrite_custom_namespace = false;  // T6 replaces any `namespace` but the Secret's own
    bool keep_unreferenced_tokens = false;    // T3.8 does not delete a token it could not reference
    bool reference_failed_creates = false;    // T3.5's error is not checked: a token that was not created is referenced
  } broken{};
  // Where the controller records the known upstream weaknesses it walks
  // into (ignored tombstones, keys dropped after max_retries). Not owned.
  faults::WeaknessLog* weaknesses = nullptr;
};

class TokensController final : public ControllerActor {
 public:
  explicit TokensController(TokensControllerOptions options);
  // Gives the controller other options (another release's, in an upgrade)
  // while its process is down; the queues keep their workers and retry cap.
  void reconfigure(TokensControllerOptions options) {
    options_ = std::move(options);
    root_ca_ = shared_root_ca(options_.root_ca);
  }
  const TokensControllerOptions& tokens_options() const { return options_; }

  // The stream each new token's nonce seed is drawn from. A stream of its
  // own, not the actor's: signing draws nothing from the stream that names
  // Secrets and jitters retries. The cluster forks it from the run's seed;
  // until then (unit tests) it is a fixed stream.
  void set_signing_stream(sim::Prng stream) { signing_ = stream; }

  const client::Informer& service_accounts() const { return *service_accounts_; }
  const client::Informer& secrets() const { return *secrets_; }
  // The mutation cache (upstream tests put "local" Secrets only there).
  MutationCache& mutation_cache() { return updated_secrets_; }

 protected:
  void on_crash_reset() override;
  void on_synced() override;

 private:
  struct Outcome {
    bool retry = false;
    std::optional<ApiStatus> error;
  };

  sim::Task<bool> sync_service_account(ServiceAccountKey key);
  sim::Task<bool> sync_secret(SecretKey key);

  // The objects come as the cache's shared versions, not copies: a
  // coroutine's frame holds its arguments for the whole sync, and a copy of
  // each account and Secret per sync was most of the controller's cost at
  // scale. What is written is copied just before the write.
  sim::Task<Outcome> ensure_referenced_token(ObjectPtr account);
  sim::Task<Outcome> delete_tokens(ServiceAccount sa);
  sim::Task<Outcome> delete_token(std::string ns, std::string name, std::string uid);
  sim::Task<std::optional<ApiStatus>> remove_secret_reference(std::string ns, std::string sa_name, std::string sa_uid,
                                                              std::string secret_name);
  sim::Task<Outcome> generate_token_if_needed(ObjectPtr account, ObjectPtr cached_secret);

  // getServiceAccount / getSecret (S7): cache, then a live GET only when
  // fetch_on_cache_miss. Null: not found (or a different uid).
  struct Lookup {
    ObjectPtr object;
    std::optional<ApiStatus> error;
  };
  sim::Task<Lookup> get_service_account(std::string ns, std::string name, std::string uid, bool fetch_on_cache_miss);
  sim::Task<Lookup> get_secret(std::string ns, std::string name, std::string uid, bool fetch_on_cache_miss);
  std::vector<ObjectPtr> list_token_secrets(const ServiceAccount& sa);
  bool has_referenced_token(const ServiceAccount& sa);
  // Whether the account the Secret's key names (of its uid, if any) is
  // cached and references the Secret (for recording a hidden deletion).
  bool cached_account_references(const SecretKey& key) const;
  struct Needs {
    bool ca = false, token = false, ns = false;
    bool any() const { return ca || token || ns; }
  };
  Needs secret_update_needed(const Secret& secret) const;

  void enqueue_service_account(const ObjectPtr& object);
  void enqueue_secret(const ObjectPtr& object);
  // Records a known-bad path in the cluster's WeaknessLog, and notes it in
  // the trace unless `trace_note` is false (the two paths recorded in sets
  // before the log was the one channel were silent; their runs' digests
  // stay as they were).
  void record_weakness(const char* weakness, faults::ObjectRef object, faults::ObjectRef account,
                       bool trace_note = true);
  // The reannotated-token-reference-kept record, when a referenced token
  // Secret is updated to belong to another account (rule S3).
  void note_reannotated_token(const ObjectPtr& old_object, const ObjectPtr& object);

  // options_.root_ca as one string that every token Secret's ca.crt shares
  // (null when there is none).
  static std::shared_ptr<const std::string> shared_root_ca(const std::string& root_ca);

  TokensControllerOptions options_;
  std::shared_ptr<const std::string> root_ca_;
  client::Informer* service_accounts_;
  client::Informer* secrets_;
  MutationCache updated_secrets_;
  // Tokens this process created and has neither referenced nor cleaned up
  // yet (T3.6-T3.8), with their account: recorded if the process dies.
  std::map<faults::ObjectRef, faults::ObjectRef> unreferenced_;
  Queue<ServiceAccountKey>* sa_queue_;
  Queue<SecretKey>* secret_queue_;
  sim::Prng signing_{0};
};

}  // namespace sasim::model::controllers
