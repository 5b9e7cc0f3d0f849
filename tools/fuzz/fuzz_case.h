// A fuzz case as the generator draws it and the shrinker simplifies it:
// a small world created at time 0 and a timeline of user operations, with
// names from small pools so that objects collide (same name in two
// namespaces, an account deleted and recreated, a token Secret naming an
// account that comes and goes). to_scenario() turns it into an ordinary
// scenario; everything a case means is in that scenario.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/objects/object.h"
#include "scenarios/scenario.h"
#include "sim/time.h"

namespace sasim::tools::fuzz {

// One object as the user writes it. Which fields matter depends on `kind`.
struct FuzzObject {
  model::Kind kind = model::Kind::kServiceAccount;
  std::string namespace_ = "default";  // ignored for namespaces
  std::string name{};
  int label = 0;  // 0: no label; else metadata.labels.fuzz = "vN"
  // ServiceAccount and Pod
  std::optional<bool> automount{};
  std::vector<std::string> image_pull_secrets{};
  // ServiceAccount: names written into `secrets` (user-managed references)
  std::vector<std::string> secret_refs{};
  // Secret: a manual token Secret (type service-account-token) naming
  // `account`, with `account_uid` as its uid annotation when set; else Opaque.
  bool token = false;
  std::string account{};
  std::optional<std::string> account_uid{};
  // Pod: spec.serviceAccountName (empty: admission's default)
  std::string service_account{};
  // ServiceAccount: the kubernetes.io/enforce-mountable-secrets annotation,
  // as written ("true", "True", "1", "false", "yes": Go's ParseBool decides).
  std::optional<std::string> enforce_mountable{};
  // Token Secret: data the user brings (an empty string: the key present
  // but empty), which the tokens controller fills in or keeps (T6).
  std::optional<std::string> ca{}, namespace_value{}, token_value{};
  // Pod: an init container; Secrets named by a secret volume, an env
  // secretKeyRef and an envFrom secretRef (empty: none).
  bool init_container = false;
  std::string secret_volume{}, env_secret{}, env_from_secret{};
  bool operator==(const FuzzObject&) const = default;
};

// kAuthenticate: a token presented to the apiserver, as a scenario's
// `authenticate` step does.
struct FuzzAuth {
  // kAccountToken: the token of the Secret an account references first (a
  // `get` capturing {.secrets[0].name}), presented after `then`.
  // kSecret, kPod: `authenticate: {secret: NAME}` / `{pod: NAME}`.
  // kValue: a forged token (forged_tokens.h), as the value itself.
  enum class Source : std::uint8_t { kAccountToken, kSecret, kPod, kValue };
  // What happens between the capture and the presentation: nothing, the
  // Secret is deleted (a stale token), the account is deleted and created
  // again (a token of the old incarnation).
  // For kSecret (1.26+ tracking and 1.29+ invalidation): the op creates its
  // own manual token Secret (`object`) and waits until it is filled in; then
  // the Secret is labelled invalid-since first (kLabelInvalid), or the token
  // is presented twice a second apart, then a day and a bit later
  // (kAcrossMidnight: present, wait 1 s, present, wait 25 h, present).
  enum class Then : std::uint8_t { kNothing, kDeleteSecret, kRecreateAccount, kLabelInvalid, kAcrossMidnight };
  Source source = Source::kAccountToken;
  Then then = Then::kNothing;
  std::string name{};   // the account, Secret or pod
  std::string value{};  // kValue
  bool operator==(const FuzzAuth&) const = default;
};

// kAcrossMidnight's wait: more than a day, so that the second presentation
// is on another UTC day whenever the first was.
inline constexpr sim::Duration kAcrossMidnightWait = sim::Duration::hours(25);
// The token Secret (of default/default) those presentations create first.
inline constexpr std::string_view kLegacyTokenSecret = "legacy-token";

// kTokenRequest: POST serviceaccounts/ACCOUNT/token (the TokenRequest API),
// the token captured from the response; then something may happen to what
// the token names, and the token is presented (an `authenticate` step with
// the value), as a client holding it would.
struct FuzzTokenRequest {
  // What boundObjectRef names: nothing, a pod or a Secret of the pools (which
  // may not exist), a ConfigMap (a kind TokenRequest refuses to bind), or
  // (1.29+) a Node: the cluster's node-1, kFuzzNode (created just before,
  // never Ready, so that no pod runs on it and it may be deleted) or
  // kMissingNode.
  enum class Bound : std::uint8_t { kNone, kPod, kSecret, kConfigMap, kNode };
  // Between the request and the presentation: nothing, a wait (long ones
  // outlast the token's exp and the 60 s leeway), the bound object deleted,
  // or deleted and created again (a new uid), the account deleted and
  // created again.
  enum class Then : std::uint8_t { kNothing, kWait, kDeleteBound, kRecreateBound, kRecreateAccount };
  std::string account{};
  std::vector<std::string> audiences{};             // spec.audiences; empty: the apiserver's
  std::optional<std::int64_t> expiration_seconds{};  // nullopt: the API default (3600)
  Bound bound = Bound::kNone;
  std::string bound_name{};
  bool wrong_uid = false;  // boundObjectRef.uid names no object (409 for a Secret or pod that exists)
  // A pod of the account (or an Opaque Secret) of that name is created just
  // before the request, so that binding it can succeed.
  bool create_bound = false;
  Then then = Then::kNothing;
  // After `then`'s deletion (before any re-creation), or alone for kWait;
  // zero: none. Hours outlast exp and the leeway.
  sim::Duration wait{};
  bool present = true;   // authenticate with the token at the end
  std::vector<std::string> review_audiences{};  // the TokenReview's spec.audiences
  bool operator==(const FuzzTokenRequest&) const = default;
};

// The Nodes a node-bound TokenRequest names besides the cluster's node-1.
inline constexpr std::string_view kFuzzNode = "fuzz-node";
inline constexpr std::string_view kMissingNode = "node-9";

// kDeleteToken: delete the Secret an account references first, as a user
// does to revoke a token: a `get` of the account capturing
// {.secrets[0].name}, then a `delete` of that Secret (two steps).
enum class OpKind : std::uint8_t {
  kCreate,
  kDelete,
  kPatch,
  kReplace,
  kRecreate,
  kWait,
  kFault,
  kDeleteToken,
  kAuthenticate,
  kTokenRequest,
  kUpgrade,  // `upgrade` of upgrade_components (sasim fuzz --version A..B); its version: upgrades.h
};

struct FuzzOp {
  OpKind kind = OpKind::kWait;
  FuzzObject object{};  // the target (create, replace, recreate: the manifest)
  // kPatch: a JSON merge patch, as text (kept as text so that cases compare simply)
  std::string patch{};
  sim::Duration after{};  // wait before the step; zero: none
  sim::Duration wait{};   // kWait
  // kFault: one fault of §7, as scenario data
  scenarios::Fault fault{};
  // kAuthenticate (object: the account, Secret or pod named, for its namespace)
  FuzzAuth auth{};
  // kTokenRequest (object: the account, for its namespace)
  FuzzTokenRequest token_request{};
  std::vector<model::versions::Component> upgrade_components{};  // kUpgrade, in upstream's order
};

// The cluster's settings a case varies (everything else is the format's
// default).
struct FuzzCluster {
  std::string version = "1.20";                    // cluster.version (sasim fuzz --version)
  // The last release upgrade ops may reach (--version A..B: B); empty: no upgrades.
  std::string last_version{};
  bool service_account_lookup = true;              // cluster.serviceAccountLookup
  bool limit_secret_references = false;            // cluster.admission.limitSecretReferences
  sim::Duration admission_watch_lag{};             // actors.admission.watchLag
  std::optional<sim::Duration> max_token_expiration{};  // cluster.maxTokenExpiration
  bool extend_token_expiration = true;                  // cluster.extendTokenExpiration
  // cluster.featureGates: settings of gates the release does not lock
  // (generator.h says how they are drawn); they carry over upgrades, so
  // each holds in every release the case reaches (upgrades.h).
  std::map<std::string, bool> feature_gates{};
  bool operator==(const FuzzCluster&) const = default;
};

struct FuzzCase {
  std::uint64_t seed = 1;                   // the scenario's seed (the simulation's randomness)
  FuzzCluster cluster{};
  std::vector<FuzzObject> world{};          // created at time 0, in order
  std::vector<FuzzOp> ops{};                // the timeline
};

// The namespaces every generated cluster starts with. Fewer than the format's
// default three: each namespace costs an account and a signed token.
inline const std::vector<std::string>& fuzz_cluster_namespaces() {
  static const std::vector<std::string> kNamespaces{"default"};
  return kNamespaces;
}

// The manifest of `object` as kubectl would be given it.
nlohmann::json manifest_of(const FuzzObject& object, bool with_namespace);

// The case as a scenario: ES256 signing (fast and deterministic), the
// fuzz namespaces, world objects, steps with the namespace of their target,
// and no expectations on step outcomes (the driver judges invariants, the
// reference model and the settle; see campaign.h). Fails only if the
// generator produced something the parser would reject (a bug).
sim::Result<scenarios::Scenario> to_scenario(const FuzzCase& fuzz_case, const std::string& name);

// Whether a token request names a pod, Secret or kFuzzNode (which its
// `then` acts on).
bool bindable(const FuzzTokenRequest& t);
// The object a token request's bound pod, Secret or Node is created (again)
// as: a pod of the token's account, an Opaque Secret, a Node with no status.
FuzzObject bound_object_of(const FuzzOp& op);

// The audience generated clusters' apiservers have: the default issuer.
inline constexpr std::string_view kFuzzApiAudience = "https://kubernetes.default.svc.cluster.local";

// Number of steps to_scenario makes (a recreate and a token deletion are
// two, an authentication of an account's token two to four, a token
// request one to four).
std::size_t step_count(const FuzzCase& fuzz_case);
std::size_t step_count(const FuzzOp& op);

}  // namespace sasim::tools::fuzz
