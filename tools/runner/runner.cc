#include "tools/runner/runner.h"

#include <fmt/format.h>

#include <array>
#include <map>
#include <memory>

#include "model/auth/builtin_keys.h"
#include "model/cluster/broken_variants.h"
#include "model/cluster/cluster.h"
#include "model/objects/codec.h"
#include "model/objects/constants.h"
#include "model/objects/print.h"
#include "model/objects/token_request.h"
#include "model/versions/behaviour.h"
#include "model/versions/feature_gates.h"
#include "model/versions/kube_version.h"
#include "sim/duration_text.h"
#include "tools/runner/count_tallies.h"
#include "tools/runner/faults.h"
#include "tools/runner/invariant_hook.h"
#include "tools/runner/jsonpath.h"
#include "tools/runner/pattern.h"

namespace sasim::tools {
namespace {

using scenarios::Scenario;
using scenarios::Step;

// sasim's own key of the algorithm, for scenarios that name no key file.
std::string_view builtin_key_pem(scenarios::SigningAlgorithm algorithm) {
  return algorithm == scenarios::SigningAlgorithm::kES256 ? model::auth::builtin_ec_key_pem()
                                                          : model::auth::builtin_rsa_key_pem();
}

// Remembers each token Secret's last token, so that `{secret: NAME}` still
// names a token once the Secret is gone (the format's rule). Keeps the lazy
// value: remembering signs nothing.
class TokenMemory final : public model::ApiServerObserver {
 public:
  void on_commit(const model::StoreChange& change, sim::Time) override {
    const auto* secret = model::as<model::Secret>(change.object);
    if (secret == nullptr) return;
    const model::DataValue* token = secret->data_value(std::string(model::kServiceAccountTokenKey));
    if (token != nullptr && !token->empty()) tokens_[model::key_of(*change.object)] = *token;
  }
  const model::DataValue* last(const std::string& ns, const std::string& name) const {
    auto it = tokens_.find(model::ObjectKey{ns, name});
    return it == tokens_.end() ? nullptr : &it->second;
  }

 private:
  std::map<model::ObjectKey, model::DataValue> tokens_;
};

reports::StatusRecord status_record(const model::ApiStatus& status) {
  reports::StatusRecord out;
  out.code = status.code;
  out.reason = status.reason;
  out.message = status.message;
  out.name = status.details.name;
  out.group = status.details.group;
  out.kind = status.details.kind;
  for (const model::StatusCause& cause : status.details.causes) {
    out.causes.push_back({.type = cause.type, .message = cause.message, .field = cause.field});
  }
  out.retry_after_seconds = status.details.retry_after_seconds;
  return out;
}

// Whether a condition reads nothing but the apiserver's stored objects
// (exists, absent, object, count and their combinations).
bool reads_store_only(const scenarios::Condition& condition) {
  return std::visit(
      [](const auto& test) -> bool {
        using T = std::decay_t<decltype(test)>;
        if constexpr (std::is_same_v<T, scenarios::AllCondition> || std::is_same_v<T, scenarios::AnyCondition>) {
          for (const scenarios::Condition& c : test.conditions) {
            if (!reads_store_only(c)) return false;
          }
          return true;
        } else if constexpr (std::is_same_v<T, scenarios::NotCondition>) {
          return reads_store_only(*test.condition);
        } else {
          return std::is_same_v<T, scenarios::ExistsCondition> || std::is_same_v<T, scenarios::AbsentCondition> ||
                 std::is_same_v<T, scenarios::MatchesCondition> || std::is_same_v<T, scenarios::CountCondition>;
        }
      },
      condition.test);
}

// What kubectl delete sends for --grace-period and --force: without
// --force a grace period of 0 becomes 1 ("immediate" deletion needs
// --force), and --force alone means 0.
std::optional<std::int64_t> kubectl_grace_period(const scenarios::DeleteAction& action) {
  if (action.grace_period_seconds) {
    return *action.grace_period_seconds == 0 && !action.force ? 1 : *action.grace_period_seconds;
  }
  if (action.force) return 0;
  return std::nullopt;
}

std::string verb_of_action(const scenarios::Action& action) {
  static constexpr const char* kNames[] = {"create", "replace", "patch", "delete", "get", "list", "wait",
                                           "await", "check", "authenticate", "fault", "heal", "settle", "quiesce",
                                           "tokenRequest"};
  return kNames[action.index()];
}

}  // namespace

class Session::Run {
 public:
  Run(const Scenario& scenario, const RunOptions& options)
      : scenario_(scenario), options_(options), seed_(options.seed.value_or(scenario.seed)), simulator_(seed_) {
    simulator_.trace().set_recording(options.record_trace);
  }

  // Builds the world and creates the scenario's objects at time 0.
  std::optional<ScenarioError> start();
  // One step, from waiting for its start to its captures.
  reports::StepRecord execute_step(const Step& step);
  bool limits_reached() const { return simulator_.now() >= deadline() || events_left() == 0 || wall_expired_; }
  std::optional<ScenarioError> wall_limit_exceeded() const;
  std::optional<ScenarioError> limit_exceeded(bool steps_left) const;
  void advance_to(sim::Time until) { run_until(until); }
  // The implicit final settle, the eventually-invariants, the record.
  reports::RunRecord finish();

  model::Cluster& cluster() { return *cluster_; }
  sim::Simulator& simulator() { return simulator_; }
  const std::optional<model::ApiResponse>& last_response() const { return last_response_; }
  const std::optional<model::TokenReviewResult>& last_review() const { return last_review_; }

 private:
  // ---- world
  sim::Result<model::ClusterConfig, ScenarioError> cluster_config() const;
  sim::Time deadline() const { return sim::Time::from_start(scenario_.limits.time); }
  std::uint64_t events_left() const {
    const std::uint64_t used = simulator_.events_dispatched();
    return used >= scenario_.limits.events ? 0 : scenario_.limits.events - used;
  }
  void run_until(sim::Time until) {
    // A wait or a start time past limits.time: the limit, not the scenario,
    // ends it (limit_exceeded says so).
    if (until > deadline()) waited_past_deadline_ = true;
    run_simulator({.until = std::min(until, deadline()), .max_events = events_left()});
  }

  // simulator_.run with --max-wall folded into stop_when: the engine reads
  // no clock, so the harness asks it to stop between two events. The clock
  // is read every kWallCheckEvery events (stop_when runs after each), which
  // costs nothing measurable; without a limit the call is unchanged.
  sim::RunResult run_simulator(sim::RunLimits limits) {
    if (options_.wall_limit == nullptr) return simulator_.run(limits);
    if (wall_expired_) return {sim::StopReason::kCondition, 0};
    std::function<bool()> inner = std::move(limits.stop_when);
    std::uint64_t asked = 0;
    limits.stop_when = [&] {
      if (asked++ % kWallCheckEvery == 0 && options_.wall_limit->expired()) wall_expired_ = true;
      return wall_expired_ || (inner && inner());
    };
    return simulator_.run(limits);
  }
  static constexpr std::uint64_t kWallCheckEvery = 256;

  // ---- variables
  sim::Result<std::string> substitute(const std::string& text) const;
  sim::Result<nlohmann::json> substitute(const nlohmann::json& value) const;

  // ---- API
  std::optional<model::ApiResponse> call(const model::ApiRequest& request, bool retry);
  std::optional<model::TokenReviewResult> review(const std::string& token, const std::vector<std::string>& audiences);

  // ---- steps
  void run_step(const Step& step, reports::StepRecord& out);
  // The step's expectation with ${VAR} substituted in every string of it
  // (the contract's rule for every string of a step).
  sim::Result<scenarios::Expect> substituted(const scenarios::Expect& expect) const;
  std::string check_expect_api(const Step& step, const model::ApiResponse& response);
  // The response as `kubectl ... -o yaml` shows it: the object, a List for
  // list, the TokenRequest for tokenRequest; null for an error.
  nlohmann::json response_json(const model::ApiResponse& response) const;
  std::string check_expect_user(const scenarios::ExpectUser& want, const model::TokenReviewResult& got) const;
  sim::Result<model::Object> manifest_object(const scenarios::Manifest& manifest) const;
  sim::Result<std::string> token_of(const scenarios::TokenSource& source, const std::string& ns) const;
  // Empty when the condition holds; otherwise why not.
  std::string evaluate(const scenarios::Condition& condition, const std::string& ns) const;
  sim::Result<CountQuery> count_query(const scenarios::CountCondition& test, const std::string& ns) const;
  // Starts a tally for every count condition in `condition` (count_tallies.h).
  void start_count_tallies(const scenarios::Condition& condition, const std::string& ns);
  std::string render(const model::ObjectPtr& object, scenarios::PrintFormat format) const;
  bool settle(sim::Duration timeout);
  nlohmann::json dump_state() const;

  const Scenario& scenario_;
  RunOptions options_;
  std::uint64_t seed_;
  sim::Simulator simulator_;
  std::unique_ptr<model::Cluster> cluster_;
  TokenMemory tokens_;
  CountTallies count_tallies_;
  std::unique_ptr<InvariantHook> invariants_;
  std::map<std::string, std::string> vars_;
  // The --feature-gates each component runs with (cluster.featureGates
  // until an upgrade step gives it others).
  std::array<std::map<std::string, bool>, model::versions::kComponentCount> component_gates_{};
  // An upgrade step: its components one after another; "" or why it failed.
  std::string run_upgrade(const scenarios::UpgradeAction& action, std::string& output);
  model::EncodeOptions encode_{};
  reports::RunRecord record_{};
  sim::Time previous_end_{};
  // What the last API action or authentication answered.
  std::optional<model::ApiResponse> last_response_{};
  std::optional<model::TokenReviewResult> last_review_{};
  bool waited_past_deadline_ = false;
  bool wall_expired_ = false;  // --max-wall stopped the run
};

sim::Result<model::ClusterConfig, ScenarioError> Session::Run::cluster_config() const {
  const scenarios::ClusterSpec& spec = scenario_.cluster;
  model::ClusterConfig config = model::default_cluster_config();
  config.version = spec.version;
  // The release's behaviour, from the version table: every component reads
  // its release-dependent settings from it (complete_config).
  const std::optional<model::versions::KubeVersion> version = model::versions::KubeVersion::parse(spec.version);
  if (!version) return sim::unexpected(ScenarioError{spec.location, "unsupported Kubernetes version \"" + spec.version + "\""});
  auto gates = model::versions::resolve_feature_gates(*version, spec.feature_gates);
  if (!gates) return sim::unexpected(ScenarioError{spec.location, gates.error()});
  config.behaviour = model::versions::behaviour_of(gates.value());
  config.namespaces = spec.namespaces;
  config.nodes = spec.nodes;
  config.service_account_lookup = spec.service_account_lookup;
  config.apiserver.epoch_unix_seconds = spec.start_time_unix_seconds;
  config.apiserver.admission.require_api_token = spec.require_api_token;
  config.apiserver.admission.limit_secret_references = spec.limit_secret_references;
  const std::string algorithm = spec.signing_algorithm == scenarios::SigningAlgorithm::kES256 ? "ES256" : "RS256";
  std::string key_pem = spec.signing_key_pem;
  if (key_pem.empty() && options_.builtin_key && options_.builtin_key->algorithm() == algorithm) {
    config.signing_key = options_.builtin_key;
  } else if (key_pem.empty()) {
    key_pem = std::string(builtin_key_pem(spec.signing_algorithm));
  }
  if (!config.signing_key) {
    auto key = model::auth::SigningKey::from_pem(key_pem);
    if (!key) return sim::unexpected(ScenarioError{spec.location, "signing.key: " + key.error().message});
    config.signing_key = std::make_shared<const model::auth::SigningKey>(std::move(key).value());
  }
  if (!spec.root_ca_pem.empty()) config.root_ca = spec.root_ca_pem;
  config.service_account_issuers = spec.service_account_issuers;
  config.api_audiences = spec.api_audiences;
  config.max_token_expiration = spec.max_token_expiration;
  config.extend_token_expiration = spec.extend_token_expiration;
  config.legacy_token_clean_up_period = spec.legacy_token_clean_up_period;
  for (const std::string& pem : spec.verification_key_pems) {
    auto key = model::auth::PublicKey::from_pem(pem);
    if (!key) return sim::unexpected(ScenarioError{spec.location, "verificationKeys: " + key.error().message});
    config.verification_keys.push_back(std::move(key).value());
  }

  const scenarios::Actors& a = scenario_.actors;
  if (a.apiserver.latency) config.apiserver.latency = *a.apiserver.latency;
  if (a.apiserver.watch_latency) config.apiserver.watch_latency = *a.apiserver.watch_latency;
  if (a.admission.latency) config.apiserver.admission_latency = *a.admission.latency;
  if (a.admission.watch_lag) config.apiserver.admission_watch_lag = *a.admission.watch_lag;
  auto apply = [](const scenarios::ControllerKnobs& knobs, model::controllers::ControllerOptions& base) {
    if (knobs.workers) base.workers = static_cast<int>(*knobs.workers);
    if (knobs.qps) base.client.qps = *knobs.qps;
    if (knobs.burst) base.client.burst = *knobs.burst;
    if (knobs.sync_latency) base.sync_latency = *knobs.sync_latency;
    if (knobs.watch_lag) base.watch_lag = *knobs.watch_lag;
    if (knobs.restart_delay) base.restart_delay = *knobs.restart_delay;
  };
  apply(a.tokens_controller, config.tokens_controller.base);
  if (a.tokens_controller.max_retries) config.tokens_controller.max_retries = static_cast<int>(*a.tokens_controller.max_retries);
  apply(a.serviceaccounts_controller, config.serviceaccounts_controller.base);
  apply(a.namespace_controller, config.namespace_controller.base);
  apply(a.root_ca_publisher, config.root_ca_publisher.base);
  if (a.legacy_token_cleaner.location.line != 0 &&
      config.behaviour.legacy_token_cleanup == model::versions::LegacyTokenCleanup::kNone) {
    return sim::unexpected(ScenarioError{a.legacy_token_cleaner.location,
                                         "Kubernetes " + spec.version +
                                             " runs no legacy-token-cleaner (it arrives in 1.28 behind the "
                                             "LegacyServiceAccountTokenCleanUp gate and is on from 1.29)"});
  }
  apply(a.legacy_token_cleaner, config.legacy_token_cleaner.base);
  if (a.kubelet.sync_period) config.kubelet.sync_period = *a.kubelet.sync_period;
  if (a.kubelet.pod_start_latency) config.kubelet.pod_start_latency = *a.kubelet.pod_start_latency;
  if (a.kubelet.pod_stop_latency) config.kubelet.pod_stop_latency = *a.kubelet.pod_stop_latency;
  if (a.kubelet.watch_lag) config.kubelet.watch_lag = *a.kubelet.watch_lag;
  if (a.workload.auth_every) config.kubelet.auth_every = *a.workload.auth_every;
  if (a.workload.reload_token) config.kubelet.reload_token = *a.workload.reload_token;
  for (const std::string& name : options_.broken) {
    if (!model::enable_broken_variant(config, name)) {
      return sim::unexpected(ScenarioError{{scenario_.file, 1, 1},
                                           "unknown broken variant \"" + name + "\" (known: " +
                                               model::broken_variant_names() + ")"});
    }
  }
  return config;
}

sim::Result<std::string> Session::Run::substitute(const std::string& text) const {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t open = text.find("${", i);
    if (open == std::string::npos) {
      out += text.substr(i);
      break;
    }
    out += text.substr(i, open - i);
    const std::size_t close = text.find('}', open);
    if (close == std::string::npos) return sim::unexpected(sim::Error{"unclosed ${ in \"" + text + "\""});
    const std::string name = text.substr(open + 2, close - open - 2);
    auto it = vars_.find(name);
    if (it == vars_.end()) return sim::unexpected(sim::Error{"${" + name + "} was not captured by an earlier step"});
    out += it->second;
    i = close + 1;
  }
  return out;
}

sim::Result<nlohmann::json> Session::Run::substitute(const nlohmann::json& value) const {
  if (value.is_string()) {
    auto text = substitute(value.get<std::string>());
    if (!text) return sim::unexpected(text.error());
    return nlohmann::json(text.value());
  }
  if (value.is_object() || value.is_array()) {
    nlohmann::json out = value;
    for (auto& [key, child] : out.items()) {
      auto replaced = substitute(child);
      if (!replaced) return sim::unexpected(replaced.error());
      child = std::move(replaced).value();
    }
    return out;
  }
  return value;
}

std::optional<model::ApiResponse> Session::Run::call(const model::ApiRequest& request, bool retry) {
  // `retry: true` is client-go's retry after 429s and 5xx answers with
  // Retry-After (admission's ServerTimeout), as every client of the model
  // does it (ClientActor::call); the model's kubectl retries, so the wait is
  // the client's in the trace.
  const sim::Time sent = simulator_.now();
  std::optional<model::ApiResponse> response;
  cluster_->submit(std::make_unique<model::ApiRequest>(request),
                   [&response](model::ApiResponse r) { response = std::move(r); },
                   retry ? model::client::ClientOptions{}.max_retries : 0);
  run_simulator({.until = deadline(), .max_events = events_left(), .stop_when = [&] { return response.has_value(); }});
  if (options_.observer != nullptr) {
    options_.observer->on_user_request(request, response ? &*response : nullptr, sent, simulator_.now(),
                                       response ? response->retries : 0);
  }
  last_response_ = response;
  return response;
}

std::optional<model::TokenReviewResult> Session::Run::review(const std::string& token,
                                                            const std::vector<std::string>& audiences) {
  std::optional<model::TokenReviewResult> result;
  cluster_->review_token(token, [&result](model::TokenReviewResult r) { result = std::move(r); }, audiences);
  run_simulator({.until = deadline(), .max_events = events_left(), .stop_when = [&] { return result.has_value(); }});
  last_review_ = result;
  return result;
}

sim::Result<model::Object> Session::Run::manifest_object(const scenarios::Manifest& manifest) const {
  if (manifest.object && !manifest.has_variables) return *manifest.object;
  auto json = substitute(manifest.json);
  if (!json) return sim::unexpected(json.error());
  auto decoded = model::decode_object(json.value(), encode_);
  if (!decoded) return sim::unexpected(sim::Error{decoded.error().message + " (at " + decoded.error().path + ")"});
  return std::move(decoded).value();
}

sim::Result<std::string> Session::Run::token_of(const scenarios::TokenSource& source, const std::string& ns) const {
  auto text = substitute(source.text);
  if (!text) return text;
  switch (source.from) {
    case scenarios::TokenSource::From::kValue:
      return text;
    case scenarios::TokenSource::From::kSecret: {
      const auto* secret = model::as<model::Secret>(cluster_->apiserver().store().get(model::Kind::kSecret, ns, text.value()));
      const model::DataValue* token =
          secret != nullptr ? secret->data_value(std::string(model::kServiceAccountTokenKey)) : nullptr;
      if (token == nullptr || token->empty()) token = tokens_.last(ns, text.value());
      if (token == nullptr) return sim::unexpected(sim::Error{"secret " + ns + "/" + text.value() + " holds no token"});
      return token->bytes();
    }
    case scenarios::TokenSource::From::kPod: {
      auto token = source.process ? cluster_->kubelet().process_token(ns, text.value(), cluster_->simulator().now())
                                  : cluster_->kubelet().mounted_token(ns, text.value());
      if (!token) return sim::unexpected(sim::Error{"pod " + ns + "/" + text.value() + " has no mounted token"});
      return token->bytes();
    }
  }
  return sim::unexpected(sim::Error{"unknown token source"});
}

sim::Result<CountQuery> Session::Run::count_query(const scenarios::CountCondition& test, const std::string& ns) const {
  CountQuery query{.kind = test.kind, .scope = model::is_namespaced(test.kind) && !test.all_namespaces ? ns : ""};
  if (test.where) {
    auto pattern = substitute(test.where->json);
    if (!pattern) return sim::unexpected(pattern.error());
    query.where = std::move(pattern).value();
  }
  return query;
}

void Session::Run::start_count_tallies(const scenarios::Condition& condition, const std::string& ns) {
  std::visit(
      [&](const auto& test) {
        using T = std::decay_t<decltype(test)>;
        if constexpr (std::is_same_v<T, scenarios::AllCondition> || std::is_same_v<T, scenarios::AnyCondition>) {
          for (const scenarios::Condition& c : test.conditions) start_count_tallies(c, ns);
        } else if constexpr (std::is_same_v<T, scenarios::NotCondition>) {
          start_count_tallies(*test.condition, ns);
        } else if constexpr (std::is_same_v<T, scenarios::CountCondition>) {
          // A pattern that does not substitute is reported by evaluate.
          if (auto query = count_query(test, ns)) {
            count_tallies_.start(&test, std::move(query).value(), cluster_->apiserver().store());
          }
        }
      },
      condition.test);
}

std::string Session::Run::evaluate(const scenarios::Condition& condition, const std::string& ns) const {
  const model::Store& store = cluster_->apiserver().store();
  auto lookup = [&](const scenarios::ObjectRef& ref, std::string& label) -> model::ObjectPtr {
    auto name = substitute(ref.name);
    label = fmt::format("{}/{}", model::singular_name(ref.kind), name ? name.value() : ref.name);
    return name ? store.get(ref.kind, ns, name.value()) : nullptr;
  };
  return std::visit(
      [&](const auto& test) -> std::string {
        using T = std::decay_t<decltype(test)>;
        std::string label;
        if constexpr (std::is_same_v<T, scenarios::ExistsCondition>) {
          return lookup(test.object, label) ? "" : label + " does not exist";
        } else if constexpr (std::is_same_v<T, scenarios::AbsentCondition>) {
          return lookup(test.object, label) ? label + " exists" : "";
        } else if constexpr (std::is_same_v<T, scenarios::MatchesCondition>) {
          model::ObjectPtr object = lookup(test.object, label);
          if (!object) return label + " does not exist";
          auto pattern = substitute(test.pattern.json);
          if (!pattern) return pattern.error().message;
          std::string why = pattern_mismatch(pattern.value(), model::encode_object(*object, encode_));
          return why.empty() ? "" : label + ": " + why;
        } else if constexpr (std::is_same_v<T, scenarios::CountCondition>) {
          // An await's tally needs no substitution at every store revision.
          std::int64_t count = 0;
          if (auto tallied = count_tallies_.count(&test)) {
            count = *tallied;
          } else {
            auto query = count_query(test, ns);
            if (!query) return query.error().message;
            for (const model::ObjectPtr& object : store.list(query.value().kind, query.value().scope)) {
              if (counts(query.value(), *object, encode_)) ++count;
            }
          }
          const bool ok = test.comparison == scenarios::CountCondition::Comparison::kEquals    ? count == test.count
                          : test.comparison == scenarios::CountCondition::Comparison::kAtLeast ? count >= test.count
                                                                                              : count <= test.count;
          return ok ? "" : fmt::format("found {} {}{} where {} {} expected", count, model::resource_name(test.kind),
                                       test.all_namespaces ? " in all namespaces" : "",
                                       test.comparison == scenarios::CountCondition::Comparison::kEquals    ? "exactly"
                                       : test.comparison == scenarios::CountCondition::Comparison::kAtLeast ? "at least"
                                                                                                            : "at most",
                                       test.count);
        } else if constexpr (std::is_same_v<T, scenarios::TokenValidCondition>) {
          auto token = token_of(test.token, ns);
          if (!token) return token.error().message;
          std::vector<std::string> audiences;
          for (const std::string& audience : test.token.audiences) {
            auto text = substitute(audience);
            if (!text) return text.error().message;
            audiences.push_back(text.value());
          }
          model::auth::AuthResult result = cluster_->apiserver().authenticate_request(token.value(), audiences);
          if (result.outcome == model::auth::AuthResult::kAuthenticated) return "";
          return "the token does not authenticate: " + model::auth::client_visible_reason(result);
        } else if constexpr (std::is_same_v<T, scenarios::InvariantCondition>) {
          if (!invariants_) return "invariant " + test.name + " is not checked in this run";
          return invariants_->check_now(test.name, simulator_.now());
        } else if constexpr (std::is_same_v<T, scenarios::AllCondition>) {
          for (const scenarios::Condition& c : test.conditions) {
            std::string why = evaluate(c, ns);
            if (!why.empty()) return why;
          }
          return "";
        } else if constexpr (std::is_same_v<T, scenarios::AnyCondition>) {
          std::string reasons;
          for (const scenarios::Condition& c : test.conditions) {
            std::string why = evaluate(c, ns);
            if (why.empty()) return "";
            reasons += (reasons.empty() ? "" : "; ") + why;
          }
          return "none holds: " + reasons;
        } else if constexpr (std::is_same_v<T, scenarios::NotCondition>) {
          return evaluate(*test.condition, ns).empty() ? "the negated condition holds" : "";
        }
      },
      condition.test);
}

std::string Session::Run::render(const model::ObjectPtr& object, scenarios::PrintFormat format) const {
  switch (format) {
    case scenarios::PrintFormat::kYaml:
      return model::to_yaml(model::encode_object(*object, encode_));
    case scenarios::PrintFormat::kJson:
      return model::to_json_text(model::encode_object(*object, encode_));
    case scenarios::PrintFormat::kDescribe: {
      model::DescribeContext context;
      context.now = simulator_.now();
      context.secrets = cluster_->apiserver().store().list(model::Kind::kSecret, model::meta(*object).namespace_);
      return model::describe(*object, encode_, context);
    }
    default:
      return "";
  }
}

sim::Result<scenarios::Expect> Session::Run::substituted(const scenarios::Expect& expect) const {
  scenarios::Expect out = expect;
  std::optional<sim::Error> error;
  auto text = [&](std::string& value) {
    if (error) return;
    auto replaced = substitute(value);
    if (replaced) {
      value = std::move(replaced).value();
    } else {
      error = replaced.error();
    }
  };
  std::visit(
      [&](auto& what) {
        using T = std::decay_t<decltype(what)>;
        if constexpr (std::is_same_v<T, scenarios::ExpectError>) {
          if (what.reason) text(*what.reason);
          if (what.message) text(*what.message);
        } else if constexpr (std::is_same_v<T, scenarios::ExpectObject>) {
          auto pattern = substitute(what.pattern.json);
          if (pattern) {
            what.pattern.json = std::move(pattern).value();
          } else {
            error = pattern.error();
          }
        } else if constexpr (std::is_same_v<T, scenarios::ExpectResponse>) {
          auto pattern = substitute(what.pattern.json);
          if (pattern) {
            what.pattern.json = std::move(pattern).value();
          } else {
            error = pattern.error();
          }
        } else if constexpr (std::is_same_v<T, scenarios::ExpectUser>) {
          text(what.name);
          if (what.uid) text(*what.uid);
          if (what.groups) {
            for (std::string& group : *what.groups) text(group);
          }
          if (what.extra) {
            auto pattern = substitute(what.extra->json);
            if (pattern) {
              what.extra->json = std::move(pattern).value();
            } else {
              error = pattern.error();
            }
          }
        } else if constexpr (std::is_same_v<T, scenarios::ExpectRejected>) {
          text(what.substring);
        }
      },
      out.what);
  if (error) return sim::unexpected(*error);
  return out;
}

std::string Session::Run::check_expect_api(const Step& step, const model::ApiResponse& response) {
  if (!step.expect) {
    if (response.ok()) return "";
    return fmt::format("expected success, got {} {}: {}", response.error->code, response.error->reason,
                       response.error->message);
  }
  auto expect = substituted(*step.expect);
  if (!expect) return expect.error().message;
  if (const auto* want = std::get_if<scenarios::ExpectError>(&expect.value().what)) {
    if (response.ok()) return "expected an error, but the request succeeded";
    const model::ApiStatus& got = *response.error;
    if (want->code && *want->code != got.code) return fmt::format("expected code {}, got {}: {}", *want->code, got.code, got.message);
    if (want->reason && *want->reason != got.reason) return fmt::format("expected reason {}, got {}: {}", *want->reason, got.reason, got.message);
    if (want->message && got.message.find(*want->message) == std::string::npos) {
      return fmt::format("expected a message containing \"{}\", got \"{}\"", *want->message, got.message);
    }
    return "";
  }
  if (const auto* want = std::get_if<scenarios::ExpectObject>(&expect.value().what)) {
    if (!response.ok()) return fmt::format("expected an object, got {} {}: {}", response.error->code, response.error->reason, response.error->message);
    return pattern_mismatch(want->pattern.json, model::encode_object(*response.object, encode_));
  }
  if (const auto* want = std::get_if<scenarios::ExpectResponse>(&expect.value().what)) {
    if (!response.ok()) {
      return fmt::format("expected a response, got {} {}: {}", response.error->code, response.error->reason,
                         response.error->message);
    }
    return pattern_mismatch(want->pattern.json, response_json(response));
  }
  return "this expectation does not apply to " + step.action_key;
}

nlohmann::json Session::Run::response_json(const model::ApiResponse& response) const {
  if (!response.ok()) return nullptr;
  if (response.token_request) return model::encode_token_request(*response.token_request, encode_);
  if (response.object) return model::encode_object(*response.object, encode_);
  nlohmann::json list = {{"apiVersion", "v1"}, {"kind", "List"}, {"items", nlohmann::json::array()}};
  for (const model::ObjectPtr& item : response.items) list["items"].push_back(model::encode_object(*item, encode_));
  return list;
}

std::string Session::Run::check_expect_user(const scenarios::ExpectUser& want, const model::TokenReviewResult& got) const {
  // `want` has its ${VAR}s substituted already (substituted()).
  const std::string who = want.name.empty() ? "an authenticated user" : "user " + want.name;
  if (!got.authenticated) return "expected " + who + ", the token was rejected: " + got.error;
  if (!want.name.empty() && got.username != want.name) return "expected user " + want.name + ", got " + got.username;
  if (want.uid && got.uid != *want.uid) return "expected uid " + *want.uid + ", got " + got.uid;
  if (want.groups && *want.groups != got.groups) return "the groups differ from those expected";
  if (want.extra) {
    nlohmann::json extra = nlohmann::json::object();
    for (const auto& [key, values] : got.extra) extra[key] = values;
    std::string why = pattern_mismatch(want.extra->json, extra);
    if (!why.empty()) return "user extra: " + why;
  }
  return "";
}

bool Session::Run::settle(sim::Duration timeout) {
  // §6: settle heals every fault first.
  cluster_->fault_controller().heal_all();
  const sim::RunResult result = run_simulator(
      {.until = std::min(simulator_.now() + timeout, deadline()), .max_events = events_left(), .until_quiescent = true});
  return result.reason == sim::StopReason::kQuiescent;
}

void Session::Run::run_step(const Step& step, reports::StepRecord& out) {
  auto ns_text = substitute(step.namespace_);
  if (!ns_text) {
    out.ok = false;
    out.message = ns_text.error().message;
    return;
  }
  const std::string ns = ns_text.value();
  std::string failure;
  std::visit(
      [&](const auto& action) {
        using T = std::decay_t<decltype(action)>;
        auto api = [&](model::Verb verb, model::Kind kind, std::string name) {
          auto request = std::make_unique<model::ApiRequest>();
          request->verb = verb;
          request->kind = kind;
          request->namespace_ = model::is_namespaced(kind) ? ns : "";
          request->name = std::move(name);
          return request;
        };
        auto finish = [&](const std::optional<model::ApiResponse>& response) -> const model::ApiResponse* {
          if (!response) {
            failure = "no response before the time or event limit";
            return nullptr;
          }
          out.status = response->error ? std::optional(status_record(*response->error)) : std::nullopt;
          failure = check_expect_api(step, *response);
          return &*response;
        };
        auto resolve_name = [&](const scenarios::ObjectRef& ref) -> std::optional<std::string> {
          auto name = substitute(ref.name);
          if (!name) {
            failure = name.error().message;
            return std::nullopt;
          }
          return name.value();
        };
        if constexpr (std::is_same_v<T, scenarios::CreateAction> || std::is_same_v<T, scenarios::ReplaceAction>) {
          std::vector<const scenarios::Manifest*> manifests;
          if constexpr (std::is_same_v<T, scenarios::CreateAction>) {
            for (const auto& m : action.objects) manifests.push_back(&m);
          } else {
            manifests.push_back(&action.object);
          }
          for (const scenarios::Manifest* manifest : manifests) {
            auto object = manifest_object(*manifest);
            if (!object) {
              failure = object.error().message;
              return;
            }
            model::Object body = std::move(object).value();
            const model::Kind kind = model::kind_of(body);
            auto request = api(std::is_same_v<T, scenarios::CreateAction> ? model::Verb::kCreate : model::Verb::kUpdate,
                               kind, model::meta(body).name);
            if (model::is_namespaced(kind) && !model::meta(body).namespace_.empty()) {
              request->namespace_ = model::meta(body).namespace_;
            }
            request->body = std::make_shared<const model::Object>(std::move(body));
            auto response = call(*request, step.retry);
            finish(response);
            if (!failure.empty()) return;
          }
        } else if constexpr (std::is_same_v<T, scenarios::PatchAction>) {
          auto name = resolve_name(action.object);
          if (!name) return;
          auto patch = substitute(action.patch.json);
          if (!patch) {
            failure = patch.error().message;
            return;
          }
          auto request = api(model::Verb::kPatch, action.object.kind, *name);
          request->merge_patch = std::make_shared<const nlohmann::json>(std::move(patch).value());
          request->patch_type = action.type == scenarios::PatchAction::Type::kStrategic ? model::PatchType::kStrategic
                                : action.type == scenarios::PatchAction::Type::kJson    ? model::PatchType::kJson
                                                                                         : model::PatchType::kMerge;
          finish(call(*request, step.retry));
        } else if constexpr (std::is_same_v<T, scenarios::DeleteAction>) {
          auto name = resolve_name(action.object);
          if (!name) return;
          auto request = api(model::Verb::kDelete, action.object.kind, *name);
          if (action.uid) {
            auto uid = substitute(*action.uid);
            if (!uid) {
              failure = uid.error().message;
              return;
            }
            request->preconditions.uid = uid.value();
          }
          if (action.resource_version) {
            auto rv = substitute(*action.resource_version);
            if (!rv) {
              failure = rv.error().message;
              return;
            }
            request->preconditions.resource_version = std::strtoull(rv.value().c_str(), nullptr, 10);
          }
          request->grace_period_seconds = kubectl_grace_period(action);
          finish(call(*request, step.retry));
        } else if constexpr (std::is_same_v<T, scenarios::GetAction>) {
          auto name = resolve_name(action.object);
          if (!name) return;
          auto response = call(*api(model::Verb::kGet, action.object.kind, *name), step.retry);
          const model::ApiResponse* got = finish(response);
          if (got != nullptr && got->ok()) out.output = render(got->object, action.print);
        } else if constexpr (std::is_same_v<T, scenarios::ListAction>) {
          auto request = api(model::Verb::kList, action.kind, "");
          if (action.all_namespaces) request->namespace_.clear();
          auto response = call(*request, step.retry);
          const model::ApiResponse* got = finish(response);
          if (got == nullptr || !got->ok()) return;
          if (action.print == scenarios::PrintFormat::kTable) {
            out.output = model::print_table(action.kind, got->items, simulator_.now(), ns);
          } else if (action.print == scenarios::PrintFormat::kYaml || action.print == scenarios::PrintFormat::kJson) {
            nlohmann::json list = {{"apiVersion", "v1"}, {"kind", "List"}, {"items", nlohmann::json::array()}};
            for (const model::ObjectPtr& item : got->items) list["items"].push_back(model::encode_object(*item, encode_));
            out.output = action.print == scenarios::PrintFormat::kYaml ? model::to_yaml(list) : model::to_json_text(list);
          }
        } else if constexpr (std::is_same_v<T, scenarios::WaitAction>) {
          run_until(simulator_.now() + action.duration);
        } else if constexpr (std::is_same_v<T, scenarios::AwaitAction>) {
          const sim::Time until = std::min(simulator_.now() + action.timeout, deadline());
          if (evaluate(action.condition, ns).empty()) return;
          // A condition on stored objects alone can only change with a
          // commit: asked again only when the store's revision moved (a
          // count over hundreds of objects after every event would cost
          // more than the run).
          const model::Store& store = cluster_->apiserver().store();
          const bool on_store = reads_store_only(action.condition);
          std::uint64_t asked_at = store.resource_version();
          if (on_store && options_.check_invariants == properties::EvaluationMode::kIncremental) {
            start_count_tallies(action.condition, ns);
          }
          run_simulator({.until = until, .max_events = events_left(), .stop_when = [&] {
                            if (on_store && store.resource_version() == asked_at) return false;
                            asked_at = store.resource_version();
                            return evaluate(action.condition, ns).empty();
                          }});
          std::string why = evaluate(action.condition, ns);
          count_tallies_.stop_all();
          if (!why.empty()) failure = "timed out after " + sim::format_duration(action.timeout) + ": " + why;
        } else if constexpr (std::is_same_v<T, scenarios::CheckAction>) {
          failure = evaluate(action.condition, ns);
        } else if constexpr (std::is_same_v<T, scenarios::AuthenticateAction>) {
          auto token = token_of(action.token, ns);
          if (!token) {
            failure = token.error().message;
            return;
          }
          std::vector<std::string> audiences;
          for (const std::string& audience : action.token.audiences) {
            auto text = substitute(audience);
            if (!text) {
              failure = text.error().message;
              return;
            }
            audiences.push_back(text.value());
          }
          auto result = review(token.value(), audiences);
          if (!result) {
            failure = "no answer before the time or event limit";
            return;
          }
          // What the client and the audit log would show of this use.
          for (const std::string& warning : result->warnings) out.output += "Warning: " + warning + "\n";
          for (const auto& [key, value] : result->audit_annotations) {
            out.output += "Audit annotation: " + key + "=" + value + "\n";
          }
          if (!step.expect) {
            if (!result->authenticated) failure = "expected the token to authenticate, it was rejected: " + result->error;
            return;
          }
          auto expect = substituted(*step.expect);
          if (!expect) {
            failure = expect.error().message;
            return;
          }
          if (const auto* user = std::get_if<scenarios::ExpectUser>(&expect.value().what)) {
            failure = check_expect_user(*user, *result);
          } else if (const auto* rejected = std::get_if<scenarios::ExpectRejected>(&expect.value().what)) {
            if (result->authenticated) {
              failure = "expected a rejection containing \"" + rejected->substring + "\", the token authenticated as " + result->username;
            } else if (result->error.find(rejected->substring) == std::string::npos) {
              failure = "expected a rejection containing \"" + rejected->substring + "\", got \"" + result->error + "\"";
            }
          } else {
            failure = "this expectation does not apply to authenticate";
          }
        } else if constexpr (std::is_same_v<T, scenarios::FaultAction>) {
          cluster_->fault_controller().start(to_model_fault(action.fault), action.fault.name.value_or(""),
                                             action.fault.for_);
        } else if constexpr (std::is_same_v<T, scenarios::HealAction>) {
          // Healing what is not (or no longer) active is not an error: a
          // `for:` may have healed it already.
          if (action.all) {
            cluster_->fault_controller().heal_all();
          } else if (!cluster_->fault_controller().heal(action.name)) {
            simulator_.note("heal", "heal " + action.name + ": no active fault of that name");
          }
        } else if constexpr (std::is_same_v<T, scenarios::TokenRequestAction>) {
          // POST serviceaccounts/NAME/token, as `kubectl create token` sends it.
          auto name = substitute(action.service_account);
          if (!name) {
            failure = name.error().message;
            return;
          }
          auto body = std::make_shared<model::TokenRequest>();
          body->expiration_seconds = action.expiration_seconds.value_or(model::kDefaultTokenRequestExpirationSeconds);
          for (const std::string& audience : action.audiences) {
            auto text = substitute(audience);
            if (!text) {
              failure = text.error().message;
              return;
            }
            body->audiences.push_back(text.value());
          }
          if (action.bound_object_ref) {
            model::BoundObjectReference ref;
            for (auto [from, to] : {std::pair{&action.bound_object_ref->kind, &ref.kind},
                                    std::pair{&action.bound_object_ref->api_version, &ref.api_version},
                                    std::pair{&action.bound_object_ref->name, &ref.name},
                                    std::pair{&action.bound_object_ref->uid, &ref.uid}}) {
              auto text = substitute(*from);
              if (!text) {
                failure = text.error().message;
                return;
              }
              *to = text.value();
            }
            body->bound_object_ref = std::move(ref);
          }
          auto request = api(model::Verb::kCreate, model::Kind::kServiceAccount, name.value());
          request->subresource = "token";
          request->token_request = std::move(body);
          auto response = call(*request, step.retry);
          const model::ApiResponse* got = finish(response);
          // kubectl prints the apiserver's warnings on stderr.
          if (got != nullptr) {
            for (const std::string& warning : got->warnings) out.output += "Warning: " + warning + "\n";
          }
        } else if constexpr (std::is_same_v<T, scenarios::UpgradeAction>) {
          failure = run_upgrade(action, out.output);
        } else if constexpr (std::is_same_v<T, scenarios::SettleAction>) {
          const sim::Duration timeout = action.timeout.value_or(scenario_.limits.settle);
          if (!settle(timeout)) failure = "the control plane did not quiesce within " + sim::format_duration(timeout);
          cluster_->kubelet().account_idle_runs();
          if (invariants_) invariants_->check_eventually(simulator_.now());
        } else if constexpr (std::is_same_v<T, scenarios::QuiesceAction>) {
          const sim::Duration timeout = action.timeout.value_or(scenario_.limits.settle);
          run_simulator({.until = std::min(simulator_.now() + timeout, deadline()),
                          .max_events = events_left(),
                          .until_quiescent = true});
        }
      },
      step.action);
  if (failure.empty()) {
    for (const auto& [var, capture] : step.captures) {
      if (capture.from_response) {
        if (!last_response_ || !last_response_->ok()) {
          failure = fmt::format("capture {}: the step has no response object", var);
          break;
        }
        auto value = evaluate_jsonpath(capture.jsonpath, response_json(*last_response_));
        if (!value) {
          failure = fmt::format("capture {}: error executing jsonpath \"{}\": {}", var, capture.jsonpath,
                                value.error().message);
          break;
        }
        vars_[var] = value.value();
        continue;
      }
      auto name = substitute(capture.object.name);
      model::ObjectPtr object =
          name ? cluster_->apiserver().store().get(capture.object.kind, ns, name.value()) : nullptr;
      if (!object) {
        failure = fmt::format("capture {}: {}/{} does not exist", var, model::singular_name(capture.object.kind), capture.object.name);
        break;
      }
      auto value = evaluate_jsonpath(capture.jsonpath, model::encode_object(*object, encode_));
      if (!value) {
        failure = fmt::format("capture {}: error executing jsonpath \"{}\": {}", var, capture.jsonpath, value.error().message);
        break;
      }
      vars_[var] = value.value();
    }
  }
  out.ok = failure.empty();
  out.message = failure;
}

std::string Session::Run::run_upgrade(const scenarios::UpgradeAction& action, std::string& output) {
  namespace v = model::versions;
  const std::optional<v::KubeVersion> to = v::KubeVersion::parse(action.version);
  if (!to) return "unsupported Kubernetes version " + action.version;  // refused by the parser already
  // Each component is down for its restart delay: the controller-manager's
  // is the tokens controller's restartDelay, the kubelet's its own, the
  // apiserver's 10 s (as a crashed apiserver's supervisor restarts it).
  const model::ClusterConfig& config = cluster_->config();
  auto downtime = [&](v::Component c) {
    switch (c) {
      case v::Component::kControllerManager: return config.tokens_controller.base.restart_delay;
      case v::Component::kKubelet: return config.kubelet.restart_delay;
      case v::Component::kApiServer: break;
    }
    return sim::Duration::seconds(10);
  };
  for (v::Component component : action.components) {
    std::map<std::string, bool>& gates = component_gates_[static_cast<std::size_t>(component)];
    if (action.feature_gates) gates = *action.feature_gates;
    auto resolved = v::resolve_feature_gates(*to, gates);
    if (!resolved) return resolved.error();  // refused by the parser already
    const sim::Time stopped = simulator_.now();
    const std::string from = cluster_->release(component).version.to_string();
    bool serving = false;
    cluster_->upgrade(component, v::behaviour_of(resolved.value()), downtime(component), [&serving] { serving = true; });
    run_simulator({.until = deadline(), .max_events = events_left(), .stop_when = [&] { return serving; }});
    if (!serving) return fmt::format("{} was not serving again before the time or event limit", v::component_name(component));
    output += fmt::format("{} {} -> {}: stopped at {}, serving at {}\n", v::component_name(component), from,
                          action.version, sim::format_duration(stopped.since_start()),
                          sim::format_duration(simulator_.now().since_start()));
  }
  return "";
}

nlohmann::json Session::Run::dump_state() const {
  nlohmann::json items = nlohmann::json::array();
  for (model::Kind kind : model::kAllKinds) {
    for (const model::ObjectPtr& object : cluster_->apiserver().store().list(kind)) {
      items.push_back(model::encode_object(*object, encode_));
    }
  }
  return items;
}

std::optional<ScenarioError> Session::Run::start() {
  auto config = cluster_config();
  if (!config) return config.error();
  encode_.epoch_unix_seconds = config.value().apiserver.epoch_unix_seconds;
  cluster_ = std::make_unique<model::Cluster>(simulator_, std::move(config).value());
  component_gates_.fill(scenario_.cluster.feature_gates);
  cluster_->apiserver().add_observer(&tokens_);
  count_tallies_.set_encode(encode_);
  cluster_->apiserver().add_observer(&count_tallies_);
  const bool builtin = options_.builtin_key && cluster_->config().signing_key == options_.builtin_key;
  invariants_ =
      make_invariant_hook(*cluster_, scenario_, builtin ? options_.builtin_verifying_key : nullptr,
                          options_.check_invariants);
  if (options_.observer != nullptr) options_.observer->on_world(*cluster_, simulator_);

  record_.scenario = scenario_.name;
  record_.file = scenario_.file;
  record_.seed = seed_;
  record_.version = scenario_.cluster.version;
  record_.replay_command = fmt::format("sasim run {} --seed {}", scenario_.file, seed_);
  for (const std::string& set : scenario_.overrides) record_.replay_command += " --set '" + set + "'";
  for (const std::string& name : options_.broken) record_.replay_command += " --broken " + name;

  // objects: created through the API at time 0, before the first step.
  run_simulator({.until = sim::Time::zero()});
  // Stopped before the actors have started: nothing can be asked of them.
  if (auto wall = wall_limit_exceeded()) return wall;
  for (const scenarios::Manifest& manifest : scenario_.objects) {
    auto object = manifest_object(manifest);
    if (!object) return ScenarioError{manifest.location, object.error().message};
    model::Object body = std::move(object).value();
    auto request = std::make_unique<model::ApiRequest>();
    request->verb = model::Verb::kCreate;
    request->kind = model::kind_of(body);
    request->namespace_ = model::is_namespaced(request->kind)
                              ? (model::meta(body).namespace_.empty() ? "default" : model::meta(body).namespace_)
                              : "";
    request->body = std::make_shared<const model::Object>(std::move(body));
    auto response = call(*request, /*retry=*/true);
    if (!response) {
      if (auto wall = wall_limit_exceeded()) return wall;
      return ScenarioError{manifest.location, "the object was not created before the time limit"};
    }
    if (!response->ok()) {
      return ScenarioError{manifest.location, "the apiserver rejected this object: " + response->error->message};
    }
  }
  previous_end_ = simulator_.now();
  return std::nullopt;
}

reports::StepRecord Session::Run::execute_step(const Step& step) {
  sim::Time start = previous_end_;
  if (step.at) start = std::max(start, sim::Time::from_start(*step.at));
  if (step.after) start = start + *step.after;
  run_until(start);
  last_response_.reset();
  last_review_.reset();
  reports::StepRecord out;
  out.index = step.index;
  out.name = step.name ? substitute(*step.name).ok() ? substitute(*step.name).value() : *step.name : "";
  out.action = step.action_key.empty() ? verb_of_action(step.action) : step.action_key;
  out.start = simulator_.now();
  run_step(step, out);
  out.end = simulator_.now();
  if (!out.ok) record_.passed = false;
  previous_end_ = out.end;
  record_.steps.push_back(out);
  return out;
}

// A run that a limit cut short is an error at `limits:` (or the file's
// start when the defaults apply): what it checked says nothing about the
// scenario, and a failed settle would blame the control plane. A limit cuts
// a run short when steps were left, when work was still pending at the end,
// or when a wait was to end past limits.time; a run that ends exactly at a
// limit is within it.
std::optional<ScenarioError> Session::Run::limit_exceeded(bool steps_left) const {
  const scenarios::Limits& limits = scenario_.limits;
  const bool events_out = events_left() == 0;
  const bool time_out = simulator_.now() >= deadline();
  if (!events_out && !time_out) return std::nullopt;
  if (!steps_left && simulator_.quiescent() && !(time_out && waited_past_deadline_)) return std::nullopt;
  const scenarios::Location at =
      limits.location.file.empty() ? scenarios::Location{scenario_.file, 1, 1} : limits.location;
  const char* what = steps_left ? "steps still to run" : simulator_.quiescent() ? "a wait still to end" : "work still pending";
  if (events_out) {
    return ScenarioError{at, fmt::format("the run reached its event limit (limits.events: {}) with {}; raise the limit",
                                         limits.events, what)};
  }
  return ScenarioError{at, fmt::format("the run reached its simulated-time limit (limits.time: {}) with {}; raise the limit",
                                       sim::format_duration(limits.time), what)};
}

std::optional<ScenarioError> Session::Run::wall_limit_exceeded() const {
  if (!wall_expired_) return std::nullopt;
  return ScenarioError{scenarios::Location{scenario_.file, 0, 0}, options_.wall_limit->message(), /*wall_limit=*/true};
}

reports::RunRecord Session::Run::finish() {
  reports::RunRecord record = std::move(record_);
  // The implicit final settle.
  if (!settle(scenario_.limits.settle)) {
    reports::StepRecord out;
    // After the last step: the scenario's, or one a caller of run_step added.
    out.index = std::max(scenario_.steps.size(), record.steps.empty() ? 0 : record.steps.back().index + 1);
    out.name = "final settle";
    out.action = "settle";
    out.start = out.end = simulator_.now();
    out.ok = false;
    out.message = "the control plane did not quiesce within " + sim::format_duration(scenario_.limits.settle);
    record.passed = false;
    record.steps.push_back(std::move(out));
  }
  // The presentations idle runs accounted for so far reach the records and
  // the review invariants (model/kubelet/kubelet.h).
  cluster_->kubelet().account_idle_runs();
  if (invariants_) {
    invariants_->check_eventually(simulator_.now());
    record.invariants = invariants_->records();
    for (const reports::InvariantRecord& inv : record.invariants) {
      for (const reports::ViolationRecord& v : inv.violations) {
        if (!v.known_weakness || options_.strict) record.passed = false;
      }
    }
  }
  if (options_.observer != nullptr) options_.observer->on_end(*cluster_, simulator_);
  record.events = simulator_.events_dispatched();
  record.simulated_time = simulator_.now();
  record.trace_digest = simulator_.trace().digest();
  record.coverage = simulator_.coverage().counts();
  if (options_.dump_state) record.state = dump_state();
  if (options_.record_trace) {
    reports::RecordedTrace trace;
    trace.entries = simulator_.trace().take_entries();
    for (std::uint32_t id = 0; id < simulator_.actor_count(); ++id) {
      trace.actor_names.push_back(simulator_.actor_name(sim::ActorId{id}));
    }
    record.trace = std::move(trace);
  }
  return record;
}

Session::Session(std::unique_ptr<Run> run) : run_(std::move(run)) {}
Session::~Session() = default;

sim::Result<std::unique_ptr<Session>, ScenarioError> Session::start(const scenarios::Scenario& scenario,
                                                                   const RunOptions& options) {
  auto run = std::make_unique<Run>(scenario, options);
  if (auto error = run->start()) return sim::unexpected(std::move(*error));
  return std::unique_ptr<Session>(new Session(std::move(run)));
}

reports::StepRecord Session::run_step(const scenarios::Step& step) { return run_->execute_step(step); }
bool Session::limits_reached() const { return run_->limits_reached(); }
std::optional<ScenarioError> Session::limit_exceeded(bool steps_left) const {
  return run_->limit_exceeded(steps_left);
}
std::optional<ScenarioError> Session::wall_limit_exceeded() const { return run_->wall_limit_exceeded(); }
void Session::advance_to(sim::Time until) { run_->advance_to(until); }
reports::RunRecord Session::finish() { return run_->finish(); }
model::Cluster& Session::cluster() { return run_->cluster(); }
sim::Simulator& Session::simulator() { return run_->simulator(); }
const std::optional<model::ApiResponse>& Session::last_response() const { return run_->last_response(); }
const std::optional<model::TokenReviewResult>& Session::last_review() const { return run_->last_review(); }


BuiltinKeys load_builtin_keys(scenarios::SigningAlgorithm algorithm) {
  BuiltinKeys keys;
  auto key = model::auth::SigningKey::from_pem(builtin_key_pem(algorithm));
  if (!key) return keys;
  keys.key = std::make_shared<const model::auth::SigningKey>(std::move(key).value());
  keys.verifying_key = properties::VerifyingKey::from_der(keys.key->public_key_der());
  return keys;
}

sim::Result<reports::RunRecord, ScenarioError> run_scenario(const scenarios::Scenario& scenario,
                                                            const RunOptions& options) {
  auto session = Session::start(scenario, options);
  if (!session) return sim::unexpected(session.error());
  bool steps_left = false;
  for (std::size_t i = 0; i < scenario.steps.size(); ++i) {
    if (session.value()->wall_limit_exceeded()) break;
    session.value()->run_step(scenario.steps[i]);
    if (session.value()->limits_reached()) {
      steps_left = i + 1 < scenario.steps.size();
      break;
    }
  }
  // Stopped by --max-wall: what it checked so far says nothing, and the
  // final settle and the eventually-invariants would only spend more time.
  if (auto wall = session.value()->wall_limit_exceeded()) return sim::unexpected(std::move(*wall));
  reports::RunRecord record = session.value()->finish();
  // Stopped in the final settle: the settle's verdict would be the limit's.
  if (auto wall = session.value()->wall_limit_exceeded()) return sim::unexpected(std::move(*wall));
  if (auto exceeded = session.value()->limit_exceeded(steps_left)) {
    return sim::unexpected(std::move(*exceeded));
  }
  return record;
}

}  // namespace sasim::tools
