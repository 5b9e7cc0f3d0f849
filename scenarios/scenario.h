// Scenario: a parsed scenario file (the format: docs/scenarios.md)
// as plain data. The parser (parser.h) fills it in and validates everything
// that can be checked without running; the runner (tools/) turns it into a
// world and a timeline. Nothing here has behaviour beyond printing a location.
//
// Strings that a user may write `${VAR}` into (names, namespaces, token
// values, manifests, patterns, messages) are kept raw: captures are only
// known at run time, so substitution is the runner's job.
//
// Every optional knob is a std::optional override: nullopt means "the
// format's default", which the runner takes from the model's defaults
// (model::default_cluster_config()), so that a default lives in one place.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/api/request.h"
#include "model/objects/object.h"
#include "model/versions/version_skew.h"
#include "sim/distribution.h"
#include "sim/ratio.h"
#include "sim/time.h"

namespace sasim::scenarios {

// Where something was written: 1-based line and column in `file` (the path
// as given on the command line, or as resolved relative to the scenario
// file for `{file: F}` manifests).
struct Location {
  std::string file{};
  int line = 0;
  int column = 0;

  // "FILE:LINE:COL", the prefix of every diagnostic.
  std::string describe() const { return file + ":" + std::to_string(line) + ":" + std::to_string(column); }
  bool operator==(const Location&) const = default;
};

// ---------------------------------------------------------------- cluster (§3)

enum class SigningAlgorithm : std::uint8_t { kRS256, kES256 };

struct ClusterSpec {
  Location location{};
  std::string version = "1.20";
  // cluster.startTime as seconds since the Unix epoch (2020-01-01T00:00:00Z).
  std::int64_t start_time_unix_seconds = 1577836800;
  std::vector<std::string> namespaces{"default", "kube-node-lease", "kube-public", "kube-system"};
  std::vector<std::string> nodes{"node-1"};
  SigningAlgorithm signing_algorithm = SigningAlgorithm::kRS256;
  // The PEM text of signing.key, read from the path relative to the scenario
  // file and checked to hold a key of `signing_algorithm`; empty: sasim's
  // built-in test key of that algorithm.
  std::string signing_key_pem{};
  std::string signing_key_path{};  // as resolved, for messages; empty with the built-in key
  // The bytes of rootCA (ca.crt in token Secrets); empty: the built-in test CA.
  std::string root_ca_pem{};
  std::string root_ca_path{};
  bool service_account_lookup = true;
  bool require_api_token = true;        // admission.requireAPIToken
  bool limit_secret_references = false;  // admission.limitSecretReferences
  // featureGates: gate name -> setting, checked against the release's table.
  std::map<std::string, bool> feature_gates{};
  // kube-apiserver's service-account flags (§11). serviceAccountIssuer: one
  // issuer, or a list from 1.22 (the first signs).
  std::vector<std::string> service_account_issuers{"https://kubernetes.default.svc.cluster.local"};
  std::vector<std::string> api_audiences{};  // empty: the issuers
  std::optional<sim::Duration> max_token_expiration{};
  bool extend_token_expiration = true;
  sim::Duration legacy_token_clean_up_period = sim::Duration::hours(8760);
  // verificationKeys: the PEM texts of public keys the authenticator also
  // accepts, with their paths as resolved (for the writer).
  std::vector<std::string> verification_key_pems{};
  std::vector<std::string> verification_key_paths{};
};

// ---------------------------------------------------------------- actors (§4)

// The actor names of §4, as scenarios, faults and traces spell them.
inline constexpr std::array<std::string_view, 9> kActorNames{
    "apiserver", "admission", "tokens-controller", "serviceaccounts-controller", "namespace-controller",
    "root-ca-cert-publisher", "kubelet", "workload", "legacy-token-cleaner"};

struct ApiServerKnobs {
  Location location{};
  std::optional<sim::DurationDistribution> latency{};        // {lognormal: {median: 2ms, p99: 20ms}}
  std::optional<sim::DurationDistribution> watch_latency{};  // 1ms
};

struct AdmissionKnobs {
  Location location{};
  std::optional<sim::DurationDistribution> latency{};  // 500us
  std::optional<sim::Duration> watch_lag{};            // 0s
};

// The three controllers share their knobs; max_retries is accepted for the
// tokens controller only (the others retry without a cap upstream).
struct ControllerKnobs {
  Location location{};
  std::optional<std::int64_t> workers{};
  std::optional<std::int64_t> qps{};
  std::optional<std::int64_t> burst{};
  std::optional<std::int64_t> max_retries{};
  std::optional<sim::Duration> sync_latency{};   // 100us
  std::optional<sim::Duration> restart_delay{};  // 10s
  std::optional<sim::Duration> watch_lag{};      // 0s
};

struct KubeletKnobs {
  Location location{};
  std::optional<sim::Duration> sync_period{};                    // 1m
  std::optional<sim::DurationDistribution> pod_start_latency{};  // {lognormal: {median: 1s, p99: 5s}}
  std::optional<sim::DurationDistribution> pod_stop_latency{};   // {lognormal: {median: 500ms, p99: 2s}}
  std::optional<sim::Duration> watch_lag{};                      // 0s
};

struct WorkloadKnobs {
  Location location{};
  std::optional<sim::Duration> auth_every{};  // 10s
  // true: the process re-reads its token file every minute (client-go >=
  // 0.15); false: it reads it once at start, as old clients do.
  std::optional<bool> reload_token{};  // true
};

struct Actors {
  ApiServerKnobs apiserver{};
  AdmissionKnobs admission{};
  ControllerKnobs tokens_controller{};
  ControllerKnobs serviceaccounts_controller{};
  ControllerKnobs namespace_controller{};
  ControllerKnobs root_ca_publisher{};
  // 1.28+ (where the release runs it; knobs for a release without it are an error).
  ControllerKnobs legacy_token_cleaner{};
  KubeletKnobs kubelet{};
  WorkloadKnobs workload{};
};

// ---------------------------------------------------------------- manifests (§5)

// One Kubernetes manifest as written (YAML converted to JSON as kubectl
// reads it), with where each of its values was written, so that an error
// found later (a decode failure after `${VAR}` substitution, a rejection by
// validation) can point at the field.
struct Manifest {
  Location location{};
  nlohmann::json json{};
  // JSON pointer ("/spec/containers/0/name", "" for the manifest) to the
  // location of that value. scenarios/locate.h looks pointers up, falling
  // back to the nearest enclosing value.
  std::map<std::string, Location> locations{};
  // The decoded object. Always set for top-level `objects:`. For a step's
  // manifest it is unset when the manifest holds a `${VAR}` and did not
  // decode as written: the runner substitutes, then decodes `json`.
  std::optional<model::Object> object{};
  bool has_variables = false;  // some string in `json` contains "${"
};

// ---------------------------------------------------------------- references

// `kind/name` (§1). The kind is resolved when parsing (kubectl's spellings);
// the name is raw and may hold `${VAR}`.
struct ObjectRef {
  Location location{};
  model::Kind kind = model::Kind::kNamespace;
  std::string name{};
};

// authenticate / tokenValid: where the token comes from.
struct TokenSource {
  enum class From : std::uint8_t { kSecret, kPod, kValue };
  Location location{};
  From from = From::kSecret;
  std::string text{};  // the Secret's or pod's name, or the token itself (raw)
  // The audiences a TokenReview would carry (spec.audiences); empty: the
  // apiserver's own (--api-audiences). Raw.
  std::vector<std::string> audiences{};
  // {pod: NAME, process: true}: the token the pod's process holds (re-read
  // every minute, or once at start), not the file's current one.
  bool process = false;
};

// A pattern as written: YAML as JSON, with the conventions kept as written:
// the string "<any>" and the single-key map {"<length>": N}.
struct Pattern {
  Location location{};
  nlohmann::json json{};
  std::map<std::string, Location> locations{};  // as in Manifest
};

// ---------------------------------------------------------------- conditions (§6)

struct Condition;

struct ExistsCondition {
  ObjectRef object{};
};
struct AbsentCondition {
  ObjectRef object{};
};
struct MatchesCondition {  // {object: KIND/NAME, matches: PATTERN}
  ObjectRef object{};
  Pattern pattern{};
};
struct CountCondition {
  enum class Comparison : std::uint8_t { kEquals, kAtLeast, kAtMost };
  model::Kind kind = model::Kind::kNamespace;
  bool all_namespaces = false;  // allNamespaces: true: across every namespace, not the step's
  std::optional<Pattern> where{};  // nullopt: every object of the kind
  Comparison comparison = Comparison::kEquals;
  std::int64_t count = 0;
};
struct TokenValidCondition {
  TokenSource token{};
};
struct InvariantCondition {
  std::string name{};  // one of kInvariantNames
};
// (No `{}` initializer on these vectors of a still incomplete type: clang
// before 16 instantiates their destructor there and fails.)
struct AllCondition {
  std::vector<Condition> conditions;
};
struct AnyCondition {
  std::vector<Condition> conditions;
};
struct NotCondition {
  // Shared and immutable: a Condition is a value, and the tree is never edited.
  std::shared_ptr<const Condition> condition{};
};

struct Condition {
  Location location{};
  std::variant<ExistsCondition, AbsentCondition, MatchesCondition, CountCondition, TokenValidCondition,
               InvariantCondition, AllCondition, AnyCondition, NotCondition>
      test{};
};

// ---------------------------------------------------------------- faults (§7)

struct CrashFault {
  std::string actor{};
  std::optional<sim::Duration> restart_after{};  // nullopt: the actor's restartDelay
};
struct CrashAfterFault {
  std::string actor{};
  std::string request{};  // as written: "create secrets"
  model::Verb verb = model::Verb::kCreate;
  model::Kind resource = model::Kind::kSecret;
};
struct PartitionFault {
  std::string actor{};
};
struct DelayFault {
  std::string actor{};  // "apiserver": every request
  sim::DurationDistribution extra{};
};
struct ErrorsFault {
  enum class Phase : std::uint8_t { kBefore, kAfter };
  std::string actor{};                   // "apiserver": every request
  std::vector<model::Verb> verbs{};      // empty: every verb
  std::vector<model::Kind> resources{};  // empty: every resource
  // Exactly one of rate and count; with neither, every matching request fails (rate 1).
  std::optional<sim::Ratio> rate{};
  std::optional<std::int64_t> count{};
  int code = 500;
  Phase phase = Phase::kBefore;
};
struct StaleFault {
  std::string actor{};
  sim::Duration lag{};
};
struct DropEventsFault {
  std::string actor{};
  std::vector<model::Kind> resources{};  // empty: every resource
  std::int64_t count = 1;
};
struct ApiserverRestartFault {};

struct Fault {
  Location location{};
  std::optional<std::string> name{};
  std::optional<sim::Duration> for_{};  // nullopt: until healed
  std::variant<CrashFault, CrashAfterFault, PartitionFault, DelayFault, ErrorsFault, StaleFault, DropEventsFault,
               ApiserverRestartFault>
      spec{};
};

// ---------------------------------------------------------------- actions (§6)

enum class PrintFormat : std::uint8_t { kNone, kYaml, kJson, kDescribe, kTable };

struct CreateAction {
  std::vector<Manifest> objects{};  // one inline manifest, or every object of the file
  std::string file{};               // `create: {file: F}`: the path as resolved; else empty
};
struct ReplaceAction {
  Manifest object{};
};
struct PatchAction {
  enum class Type : std::uint8_t { kMerge, kStrategic, kJson };
  ObjectRef object{};
  Type type = Type::kMerge;
  Pattern patch{};  // the patch document (a map; for kJson a list of operations), raw
};
struct DeleteAction {
  ObjectRef object{};
  std::optional<std::string> uid{};               // preconditions.uid (raw)
  std::optional<std::string> resource_version{};  // preconditions.resourceVersion (raw)
  // As kubectl delete's --grace-period and --force: N >= 0, and force.
  std::optional<std::int64_t> grace_period_seconds{};
  bool force = false;
};
struct GetAction {
  ObjectRef object{};
  PrintFormat print = PrintFormat::kNone;  // kNone, kYaml, kJson or kDescribe
};
struct ListAction {
  Location location{};
  model::Kind kind = model::Kind::kNamespace;
  PrintFormat print = PrintFormat::kNone;  // kNone, kTable, kYaml or kJson
  bool all_namespaces = false;             // `allNamespaces: true`: every namespace, as `kubectl get -A`
};
struct WaitAction {
  sim::Duration duration{};
};
struct AwaitAction {
  Condition condition{};
  sim::Duration timeout = sim::Duration::minutes(1);
};
struct CheckAction {
  Condition condition{};
};
struct AuthenticateAction {
  TokenSource token{};
};
// tokenRequest: POST serviceaccounts/NAME/token (§12). Strings are raw.
struct TokenRequestAction {
  std::string service_account{};
  std::vector<std::string> audiences{};
  std::optional<std::int64_t> expiration_seconds{};  // nullopt: the API default (3600)
  struct BoundObject {
    std::string kind{};
    std::string api_version = "v1";
    std::string name{};
    std::string uid{};
  };
  std::optional<BoundObject> bound_object_ref{};
};
struct FaultAction {
  Fault fault{};
};
struct HealAction {
  bool all = false;
  std::string name{};  // when !all
};
struct SettleAction {
  std::optional<sim::Duration> timeout{};  // nullopt: limits.settle
};
// Runs until only periodic work remains, at most the timeout; faults stay,
// nothing is checked, and not quiescing is no failure. What `sasim serve`
// does after each request in its settle clock, so its recordings use it.
struct QuiesceAction {
  std::optional<sim::Duration> timeout{};  // nullopt: limits.settle
};
// upgrade: {version: "1.24", components: [...], featureGates: {...}}: each
// listed component stops and comes back at `version`, one after another in
// upstream's order; the skews were checked against the whole timeline
// before the run (parser).
struct UpgradeAction {
  std::string version{};  // "1.24": a simulated release
  std::vector<model::versions::Component> components{};  // upstream's order; all when not given
  // The --feature-gates the upgraded components restart with; nullopt:
  // those they ran with (cluster.featureGates, or an earlier upgrade's).
  std::optional<std::map<std::string, bool>> feature_gates{};
  Location version_location{};
  Location feature_gates_location{};  // where featureGates is written, else the version's
};

using Action = std::variant<CreateAction, ReplaceAction, PatchAction, DeleteAction, GetAction, ListAction, WaitAction,
                            AwaitAction, CheckAction, AuthenticateAction, FaultAction, HealAction, SettleAction,
                            QuiesceAction, TokenRequestAction, UpgradeAction>;

// ---------------------------------------------------------------- expect (§6)

struct ExpectError {
  std::optional<int> code{};
  std::optional<std::string> reason{};   // NotFound, AlreadyExists, ...
  std::optional<std::string> message{};  // a substring
};
struct ExpectObject {  // get only
  Pattern pattern{};
};
// Any API action: the response object as `kubectl ... -o yaml` shows it
// (a List for list, the TokenRequest with its status for tokenRequest).
struct ExpectResponse {
  Pattern pattern{};
};
struct ExpectUser {  // authenticate only
  std::string name{};  // system:serviceaccount:NS:NAME (raw); empty: any user (only extra given)
  std::optional<std::string> uid{};
  std::optional<std::vector<std::string>> groups{};  // must equal exactly
  // user.extra as a pattern: listed keys must match, others may be present.
  std::optional<Pattern> extra{};
};
struct ExpectRejected {  // authenticate only
  std::string substring{};
};

struct Expect {
  Location location{};
  std::variant<ExpectError, ExpectObject, ExpectUser, ExpectRejected, ExpectResponse> what{};
};

// capture: {VAR: {object: KIND/NAME, jsonpath: "{...}"}} or
// {VAR: {response: "{...}"}} (the step's response object, §14).
struct Capture {
  Location location{};
  ObjectRef object{};
  std::string jsonpath{};
  bool from_response = false;  // then `object` is unused
};

// ---------------------------------------------------------------- steps

struct Step {
  Location location{};
  std::size_t index = 0;  // 0-based position in `steps`
  std::optional<sim::Duration> at{};
  std::optional<sim::Duration> after{};  // at most one of at and after
  std::optional<std::string> name{};
  std::string namespace_ = "default";  // raw
  std::string action_key{};            // "create", "await", ...: the key as written
  Location action_location{};
  Action action{};
  std::optional<Expect> expect{};  // nullopt: success (API actions)
  bool retry = false;
  std::map<std::string, Capture> captures{};
};

// ---------------------------------------------------------------- top level

// The ten invariants of §8 and the two of §12 (bound tokens), in the spec's order.
inline constexpr std::array<std::string_view, 12> kInvariantNames{
    "every-namespace-has-default-serviceaccount",
    "every-serviceaccount-has-valid-token",
    "token-secrets-belong-to-live-serviceaccounts",
    "token-secrets-are-populated",
    "admitted-pods-use-existing-serviceaccount",
    "admitted-pods-follow-automount",
    "admitted-pods-inherit-image-pull-secrets",
    "deleted-tokens-do-not-authenticate",
    "resource-versions-increase",
    "uids-are-unique",
    "running-pods-hold-valid-tokens",
    "bound-tokens-respect-their-objects",
};

struct InvariantSelection {
  enum class Mode : std::uint8_t { kAll, kNone, kList };
  Location location{};
  Mode mode = Mode::kAll;
  std::vector<std::string> names{};  // kList: distinct names of kInvariantNames, as written
};

struct Limits {
  Location location{};
  sim::Duration time = sim::Duration::hours(24);
  std::uint64_t events = 50'000'000;
  sim::Duration settle = sim::Duration::minutes(10);
};

struct Scenario {
  std::string file{};  // the path as given
  // The command line's overrides applied to the file (`--set`), as given:
  // a replay command needs them to run the same scenario.
  std::vector<std::string> overrides{};
  std::string name{};  // defaults to the file name without directories
  std::string description{};
  std::uint64_t seed = 1;
  ClusterSpec cluster{};
  Actors actors{};
  std::vector<Manifest> objects{};  // every `object` set
  std::vector<Step> steps{};
  InvariantSelection invariants{};
  Limits limits{};
};

}  // namespace sasim::scenarios
