#include "tools/report/span_collector.h"

#include <fmt/format.h>

#include <iterator>


#include "model/auth/bound_token.h"
#include "model/auth/jwt.h"
#include "model/auth/legacy_claims.h"
#include "model/cluster/cluster.h"
#include "model/objects/constants.h"
#include "model/objects/service_account_token.h"
#include "sim/duration_text.h"

namespace sasim::tools {
namespace {

constexpr const char* kDefaultReady = "default-serviceaccount-ready";
constexpr const char* kTokenReady = "token-ready";
constexpr const char* kTokenReplaced = "token-replaced";
constexpr const char* kTokenPopulated = "token-populated";
constexpr const char* kPodAdmitted = "pod-admitted";
constexpr const char* kPodRunning = "pod-running";
constexpr const char* kRevocation = "revocation";
constexpr const char* kAuthOutage = "auth-outage";
constexpr const char* kTokenRefreshed = "token-refreshed";
constexpr const char* kBoundTokenRevocation = "bound-token-revocation";
constexpr const char* kLegacyTokenInvalidated = "legacy-token-invalidated";
constexpr const char* kLegacyTokenCleaned = "legacy-token-cleaned";
constexpr std::string_view kInvalidSinceLabel = "kubernetes.io/legacy-token-invalid-since";

const std::string* invalid_since(const model::Object* object) {
  const auto* secret = object ? std::get_if<model::Secret>(object) : nullptr;
  if (secret == nullptr) return nullptr;
  auto it = secret->metadata.labels.find(std::string(kInvalidSinceLabel));
  return it == secret->metadata.labels.end() ? nullptr : &it->second;
}

// A series longer than this is thinned to every second point: bounded
// memory on huge runs, and deterministic.
constexpr std::size_t kMaxPoints = 20000;

std::string subject_of(const model::Object& object) {
  const model::ObjectMeta& m = model::meta(object);
  return m.namespace_.empty() ? m.name : m.namespace_ + "/" + m.name;
}

const std::string kTokenKey(model::kServiceAccountTokenKey);

bool is_token_secret(const model::Secret& secret) { return secret.type == model::kSecretTypeServiceAccountToken; }

bool populated(const model::Secret& secret) {
  const model::DataValue* token = secret.data_value(kTokenKey);
  return token != nullptr && !token->empty();
}

// Does the account reference a populated token Secret of its own, other
// than `except`?
bool has_token(const model::Store& store, const model::ServiceAccount& sa, const std::string& except) {
  for (const model::ObjectReference& ref : sa.secrets) {
    if (ref.name == except) continue;
    const auto* secret = model::as<model::Secret>(store.get(model::Kind::kSecret, sa.metadata.namespace_, ref.name));
    if (secret != nullptr && model::is_service_account_token(*secret, sa) && populated(*secret)) return true;
  }
  return false;
}

}  // namespace

SpanCollector::SpanCollector(std::uint64_t seed, bool sample_series) : seed_(seed), sample_series_(sample_series) {}

void SpanCollector::on_world(model::Cluster& cluster, sim::Simulator& simulator) {
  cluster_ = &cluster;
  simulator_ = &simulator;
  cluster.apiserver().add_observer(this);
  apiserver_id_ = simulator.find_actor(model::Cluster::kApiServer);
  legacy_cleanup_ = cluster.legacy_token_cleaner() != nullptr;
  cluster.add_upgrade_observer(this);
  simulator.set_observer([this](const sim::EventView& event) { after_event(event); });

  const model::ClusterConfig& c = cluster.config();
  parameters_ = {
      {"cluster.version", c.version},
      {"apiserver.latency", c.apiserver.latency.describe()},
      {"apiserver.watchLatency", c.apiserver.watch_latency.describe()},
      {"admission.latency", c.apiserver.admission_latency.describe()},
      {"admission.watchLag", sim::format_duration(c.apiserver.admission_watch_lag)},
      {"admission.requireAPIToken", c.apiserver.admission.require_api_token ? "true" : "false"},
      {"serviceAccountLookup", c.service_account_lookup ? "true" : "false"},
  };
  auto controller = [&](const std::string& name, const model::controllers::ControllerOptions& o) {
    parameters_.emplace_back(name + ".workers", std::to_string(o.workers));
    parameters_.emplace_back(name + ".qps", std::to_string(o.client.qps));
    parameters_.emplace_back(name + ".burst", std::to_string(o.client.burst));
    parameters_.emplace_back(name + ".syncLatency", sim::format_duration(o.sync_latency));
    parameters_.emplace_back(name + ".watchLag", sim::format_duration(o.watch_lag));
  };
  controller(model::Cluster::kTokensController, c.tokens_controller.base);
  controller(model::Cluster::kServiceAccountsController, c.serviceaccounts_controller.base);
  controller(model::Cluster::kNamespaceController, c.namespace_controller.base);
  parameters_.emplace_back("kubelet.syncPeriod", sim::format_duration(c.kubelet.sync_period));
  parameters_.emplace_back("kubelet.podStartLatency", c.kubelet.pod_start_latency.describe());
  parameters_.emplace_back("workload.authEvery", sim::format_duration(c.kubelet.auth_every));

  if (sample_series_) {
    for (model::Kind kind : model::kAllKinds) {
      counts_.push_back({std::string(model::resource_name(kind)), {}});
      sample(counts_.back(), simulator.now(), static_cast<std::int64_t>(cluster.apiserver().store().count(kind)));
    }
    for (const char* name : {model::Cluster::kTokensController, model::Cluster::kServiceAccountsController,
                             model::Cluster::kNamespaceController}) {
      depths_.push_back({name, {}});
      sample(depths_.back(), simulator.now(), 0);
    }
  }
}

void SpanCollector::open(const std::string& span, const std::string& subject, sim::Time now, std::string replaced) {
  open_.try_emplace({span, subject}, Open{now, std::move(replaced)});
}

void SpanCollector::close(const std::string& span, const std::string& subject, sim::Time now, int retries) {
  auto it = open_.find({span, subject});
  if (it == open_.end()) return;
  done_.push_back(reports::SpanInstance{.span = span,
                                        .subject = subject,
                                        .seed = seed_,
                                        .start = it->second.start,
                                        .end = now,
                                        .end_seq = simulator_->current_seq(),
                                        .retries = retries});
  open_.erase(it);
}

void SpanCollector::check_accounts(const std::string& ns, sim::Time now) {
  const model::Store& store = cluster_->apiserver().store();
  for (const char* span : {kTokenReady, kTokenReplaced}) {
    const std::string prefix = ns + "/";
    std::vector<std::pair<std::string, std::string>> ready;  // subject, -
    for (auto it = open_.lower_bound({span, prefix}); it != open_.end() && it->first.first == span &&
                                                      it->first.second.compare(0, prefix.size(), prefix) == 0;
         ++it) {
      const std::string name = it->first.second.substr(prefix.size());
      const auto* sa = model::as<model::ServiceAccount>(store.get(model::Kind::kServiceAccount, ns, name));
      if (sa != nullptr && has_token(store, *sa, it->second.replaced)) ready.emplace_back(it->first.second, "");
    }
    for (const auto& [subject, unused] : ready) close(span, subject, now);
  }
}

void SpanCollector::on_upgrade(const model::UpgradeRecord& /*record*/) {
  legacy_cleanup_ = cluster_->legacy_token_cleaner() != nullptr;
}

void SpanCollector::legacy_token_spans(const model::StoreChange& change, const std::string& subject, sim::Time now) {
  if (change.type == model::WatchEventType::kAdded) legacy_last_use_[subject] = now;
  if (!legacy_cleanup_) {
    // No cleaner yet: nothing is labelled or cleaned by one; uses still count.
    if (change.type == model::WatchEventType::kDeleted) legacy_last_use_.erase(subject);
    return;
  }
  const std::string* was = invalid_since(change.previous.get());
  const std::string* is = change.type == model::WatchEventType::kDeleted ? was : invalid_since(change.object.get());
  if (is != nullptr && was == nullptr) {
    // Labelled: the token is refused from now on.
    auto last = legacy_last_use_.find(subject);
    if (last != legacy_last_use_.end()) {
      done_.push_back(reports::SpanInstance{.span = kLegacyTokenInvalidated,
                                            .subject = subject,
                                            .seed = seed_,
                                            .start = last->second,
                                            .end = now,
                                            .end_seq = simulator_->current_seq()});
    }
    open(kLegacyTokenCleaned, subject, now);
  }
  // The label removed by hand: the token works again, nothing is cleaned.
  if (is == nullptr && was != nullptr) drop(kLegacyTokenCleaned, subject);
  if (change.type == model::WatchEventType::kDeleted) {
    close(kLegacyTokenCleaned, subject, now);
    legacy_last_use_.erase(subject);
  }
}

void SpanCollector::on_token_review(const model::DataValue& presented, const model::TokenReviewResult& /*result*/,
                                    sim::Time now, const std::vector<std::string>& /*audiences*/) {
  // A bound token nobody read is no legacy token: not signed to find out.
  if (dynamic_cast<const model::auth::BoundToken*>(presented.lazy()) != nullptr) return;
  const std::string& token = presented.bytes();
  auto [it, fresh] = legacy_token_subjects_.try_emplace(token);
  if (fresh) {
    // Which Secret a legacy token names, from its claims; its signature
    // is the authenticator's concern, not this measurement's.
    auto jwt = model::auth::parse_jwt(token, model::auth::JwsParsing::kCompactOnly);
    if (jwt.ok() && jwt.value().claims.value("iss", "") == "kubernetes/serviceaccount") {
      const nlohmann::json& claims = jwt.value().claims;
      const std::string ns = claims.value(std::string(model::auth::kNamespaceClaim), "");
      const std::string name = claims.value(std::string(model::auth::kSecretNameClaim), "");
      if (!ns.empty() && !name.empty()) it->second = ns + "/" + name;
    }
  }
  if (it->second.empty()) return;
  // A presentation counts as a use (the apiserver updates last-used even
  // when it refuses the token) while the Secret exists.
  auto last = legacy_last_use_.find(it->second);
  if (last != legacy_last_use_.end()) last->second = now;
}

void SpanCollector::on_commit(const model::StoreChange& change, sim::Time now) {
  const model::Object& object = *change.object;
  const std::string subject = subject_of(object);
  const model::Kind kind = model::kind_of(object);
  const bool added = change.type == model::WatchEventType::kAdded;
  const bool deleted = change.type == model::WatchEventType::kDeleted;

  if (sample_series_ && (added || deleted)) {
    for (std::size_t i = 0; i < std::size(model::kAllKinds); ++i) {
      if (model::kAllKinds[i] == kind) {
        sample(counts_[i], now, static_cast<std::int64_t>(cluster_->apiserver().store().count(kind)));
      }
    }
  }

  switch (kind) {
    case model::Kind::kNamespace:
      if (added) open(kDefaultReady, subject, now);
      if (deleted) drop(kDefaultReady, subject);
      break;
    case model::Kind::kServiceAccount: {
      const auto& sa = std::get<model::ServiceAccount>(object);
      if (added) {
        if (sa.metadata.name == "default") close(kDefaultReady, sa.metadata.namespace_, now);
        open(kTokenReady, subject, now);
      }
      if (deleted) {
        // An account that is gone never gets its token: nothing to measure.
        drop(kTokenReady, subject);
        drop(kTokenReplaced, subject);
        break;
      }
      check_accounts(sa.metadata.namespace_, now);
      break;
    }
    case model::Kind::kSecret: {
      const auto& secret = std::get<model::Secret>(object);
      if (!is_token_secret(secret)) break;
      const std::string& ns = secret.metadata.namespace_;
      legacy_token_spans(change, subject, now);
      if (added && !populated(secret)) open(kTokenPopulated, subject, now);
      if (!added && !deleted && populated(secret)) close(kTokenPopulated, subject, now);
      // A deletion is committed by the DELETE's first write: the removal, or
      // the deletionTimestamp a finalizer holds the Secret with (from then
      // on the authenticator rejects its token).
      const bool deletion_committed =
          secret.metadata.deletion_timestamp
              ? (change.previous == nullptr || !model::meta(*change.previous).deletion_timestamp)
              : deleted;
      if (deletion_committed && populated(secret)) {
        const std::string* account = secret.metadata.annotation(std::string(model::kServiceAccountNameKey));
        revocations_.try_emplace(subject, Revocation{.start = now,
                                                     .token = *secret.data_value(kTokenKey),
                                                     .namespace_ = ns,
                                                     .secret = secret.metadata.name,
                                                     .service_account = account != nullptr ? *account : ""});
      }
      if (deleted) {
        drop(kTokenPopulated, subject);
        // token-replaced: only if its account referenced it.
        const std::string* sa_name = secret.metadata.annotation(std::string(model::kServiceAccountNameKey));
        if (sa_name != nullptr) {
          const auto* sa = model::as<model::ServiceAccount>(
              cluster_->apiserver().store().get(model::Kind::kServiceAccount, ns, *sa_name));
          if (sa != nullptr && model::is_service_account_token(secret, *sa)) {
            for (const model::ObjectReference& ref : sa->secrets) {
              if (ref.name == secret.metadata.name) open(kTokenReplaced, ns + "/" + *sa_name, now, secret.metadata.name);
            }
          }
        }
      }
      check_accounts(ns, now);
      break;
    }
    case model::Kind::kPod: {
      const auto& pod = std::get<model::Pod>(object);
      // The deletion is committed by the DELETE's first write: the
      // deletionTimestamp of a graceful deletion, or the removal.
      const bool pod_deletion_committed =
          pod.metadata.deletion_timestamp
              ? (change.previous == nullptr || !model::meta(*change.previous).deletion_timestamp)
              : deleted;
      if (pod_deletion_committed) {
        auto token = cluster_->kubelet().mounted_token(pod.metadata.namespace_, pod.metadata.name);
        // Only the pod's projected (bound) token: a legacy Secret token
        // outlives the pod by design.
        const auto* bound = token ? dynamic_cast<const model::auth::BoundToken*>(token->lazy()) : nullptr;
        if (bound != nullptr && bound->claims().pod && bound->claims().pod->uid == pod.metadata.uid) {
          bound_revocations_.try_emplace(subject, BoundRevocation{.start = now,
                                                                  .token = *token,
                                                                  .namespace_ = pod.metadata.namespace_,
                                                                  .pod = pod.metadata.name});
        }
      }
      if (added) open(kPodRunning, subject, now);
      // A pod being deleted before it ran never runs.
      if (deleted || pod.metadata.deletion_timestamp) drop(kPodRunning, subject);
      if (!added && !deleted && pod.status.phase == model::PodPhase::kRunning) close(kPodRunning, subject, now);
      break;
    }
    case model::Kind::kNode:
    case model::Kind::kConfigMap:
      break;
  }
}

void SpanCollector::on_user_request(const model::ApiRequest& request, const model::ApiResponse* response,
                                    sim::Time sent, sim::Time answered, int retries) {
  if (request.kind != model::Kind::kPod || request.verb != model::Verb::kCreate) return;
  if (response != nullptr && !response->ok()) return;  // refused: it was never admitted
  std::string subject = request.namespace_ + "/" + request.name;
  if (response != nullptr && response->object) subject = subject_of(*response->object);
  if (response == nullptr) {
    open(kPodAdmitted, subject, sent);  // the run's limits ended it: open
    return;
  }
  open(kPodAdmitted, subject, sent);
  close(kPodAdmitted, subject, answered, retries);
}

void SpanCollector::check_revocations() {
  model::ApiServer& apiserver = cluster_->apiserver();
  // While the apiserver is down there is no authenticator to ask; it
  // rebuilds its caches when it comes back.
  if (revocations_.empty() || !simulator_->is_up(apiserver_id_)) return;
  const model::Store& store = apiserver.store();
  // What the authenticator's lookup reads: its cache, or storage on a miss.
  auto seen = [&](model::Kind kind, const std::string& ns, const std::string& name) {
    model::ObjectPtr cached = apiserver.auth_cache(kind).get(ns, name);
    return cached ? cached : store.get(kind, ns, name);
  };
  std::vector<std::string> revoked;
  for (auto& [subject, r] : revocations_) {
    model::ObjectPtr secret = seen(model::Kind::kSecret, r.namespace_, r.secret);
    model::ObjectPtr account =
        r.service_account.empty() ? nullptr : seen(model::Kind::kServiceAccount, r.namespace_, r.service_account);
    if (r.asked && secret == r.secret_seen && account == r.account_seen) continue;
    r.asked = true;
    r.secret_seen = std::move(secret);
    r.account_seen = std::move(account);
    const model::auth::AuthResult result = apiserver.authenticate(r.token.bytes());
    if (result.outcome != model::auth::AuthResult::kAuthenticated) revoked.push_back(subject);
  }
  for (const std::string& subject : revoked) {
    const Revocation& r = revocations_.at(subject);
    done_.push_back(reports::SpanInstance{.span = kRevocation,
                                          .subject = subject,
                                          .seed = seed_,
                                          .start = r.start,
                                          .end = simulator_->now(),
                                          .end_seq = simulator_->current_seq()});
    revocations_.erase(subject);
  }
}

void SpanCollector::end_bound_revocation(const std::string& subject, sim::Time end) {
  const BoundRevocation& r = bound_revocations_.at(subject);
  done_.push_back(reports::SpanInstance{.span = kBoundTokenRevocation,
                                        .subject = subject,
                                        .seed = seed_,
                                        .start = r.start,
                                        .end = end,
                                        .end_seq = simulator_->current_seq()});
  bound_revocations_.erase(subject);
}

void SpanCollector::check_bound_revocations(bool apiserver_event) {
  if (bound_revocations_.empty()) return;
  const sim::Time now = simulator_->now();
  // The clock's part: a deadline passed since the last look.
  if (now >= next_bound_deadline_) {
    std::vector<std::pair<std::string, sim::Time>> ended;
    for (const auto& [subject, r] : bound_revocations_) {
      if (now >= r.deadline) ended.emplace_back(subject, r.deadline);
    }
    for (const auto& [subject, end] : ended) end_bound_revocation(subject, end);
  }
  if (apiserver_event && simulator_->is_up(apiserver_id_)) {
    model::ApiServer& apiserver = cluster_->apiserver();
    std::vector<std::string> revoked;
    for (auto& [subject, r] : bound_revocations_) {
      model::ObjectPtr pod = apiserver.auth_cache(model::Kind::kPod).get(r.namespace_, r.pod);
      if (!pod) pod = apiserver.store().get(model::Kind::kPod, r.namespace_, r.pod);
      if (r.asked && pod == r.pod_seen) continue;
      r.asked = true;
      r.pod_seen = pod;
      const model::auth::AuthResult result = apiserver.authenticate(r.token.bytes());
      if (result.outcome != model::auth::AuthResult::kAuthenticated) {
        revoked.push_back(subject);
        continue;
      }
      // Still accepted: the view's deletionTimestamp bounds it (BV4: deleted
      // means more than 60 s before now).
      r.deadline = sim::Time::never();
      if (pod && model::meta(*pod).deletion_timestamp) {
        r.deadline = *model::meta(*pod).deletion_timestamp + sim::Duration::seconds(60) + sim::Duration::nanoseconds(1);
      }
    }
    for (const std::string& subject : revoked) end_bound_revocation(subject, now);
  }
  next_bound_deadline_ = sim::Time::never();
  for (const auto& [subject, r] : bound_revocations_) next_bound_deadline_ = std::min(next_bound_deadline_, r.deadline);
}

void SpanCollector::after_event(const sim::EventView& event) {
  if (event.actor == apiserver_id_) check_revocations();
  check_bound_revocations(event.actor == apiserver_id_);
  const auto& files = cluster_->kubelet().token_file_log();
  for (; token_files_seen_ < files.size(); ++token_files_seen_) {
    const model::kubelet::TokenFileChange& change = files[token_files_seen_];
    if (!change.previous_minted) continue;
    // token-refreshed: a projected token, from its mint until the kubelet
    // replaced it in the pod.
    done_.push_back(reports::SpanInstance{.span = kTokenRefreshed,
                                          .subject = change.namespace_ + "/" + change.pod,
                                          .seed = seed_,
                                          .start = *change.previous_minted,
                                          .end = change.time,
                                          .end_seq = simulator_->current_seq()});
  }
  const auto& log = cluster_->kubelet().auth_log();
  for (; auth_seen_ < log.size(); ++auth_seen_) {
    const model::kubelet::AuthRecord& record = log[auth_seen_];
    const std::string subject = record.namespace_ + "/" + record.pod;
    if (!record.authenticated) {
      open(kAuthOutage, subject, record.time);
    } else {
      close(kAuthOutage, subject, record.time);
    }
  }
  if (!sample_series_) return;
  const sim::Time now = simulator_->now();
  const std::size_t depths[] = {cluster_->tokens_controller().queue_depth(),
                                cluster_->serviceaccounts_controller().queue_depth(),
                                cluster_->namespace_controller().queue_depth()};
  for (std::size_t i = 0; i < depths_.size(); ++i) {
    const auto value = static_cast<std::int64_t>(depths[i]);
    if (depths_[i].points.empty() || depths_[i].points.back().second != value) sample(depths_[i], now, value);
  }
}

void SpanCollector::sample(reports::Series& series, sim::Time now, std::int64_t value) {
  auto& points = series.points;
  if (!points.empty() && points.back().first == now) {
    points.back().second = value;
    return;
  }
  points.emplace_back(now, value);
  if (points.size() > kMaxPoints) {
    std::vector<std::pair<sim::Time, std::int64_t>> thinned;
    thinned.reserve(points.size() / 2 + 1);
    for (std::size_t i = 0; i < points.size(); i += 2) thinned.push_back(points[i]);
    if (thinned.back() != points.back()) thinned.push_back(points.back());
    points = std::move(thinned);
  }
}

void SpanCollector::on_end(const model::Cluster& /*cluster*/, sim::Simulator& simulator) {
  simulator.set_observer(nullptr);
  // The series run to the end of the run, so the plots cover it.
  if (sample_series_) {
    for (auto* all : {&counts_, &depths_}) {
      for (reports::Series& series : *all) {
        if (!series.points.empty()) sample(series, simulator.now(), series.points.back().second);
      }
    }
  }
  for (const auto& [subject, r] : revocations_) {
    reports::SpanInstance instance{.span = kRevocation, .subject = subject, .seed = seed_, .start = r.start};
    instance.open = true;
    done_.push_back(std::move(instance));
  }
  revocations_.clear();
  for (const auto& [subject, r] : bound_revocations_) {
    reports::SpanInstance instance{.span = kBoundTokenRevocation, .subject = subject, .seed = seed_, .start = r.start};
    instance.open = true;
    done_.push_back(std::move(instance));
  }
  bound_revocations_.clear();
  for (const auto& [key, still_open] : open_) {
    reports::SpanInstance instance{.span = key.first, .subject = key.second, .seed = seed_, .start = still_open.start};
    instance.open = true;
    // §10: an outage lasts until the pod authenticates again "or the run ends".
    if (key.first == kAuthOutage) {
      instance.end = simulator.now();
      instance.end_seq = simulator.current_seq();
    }
    done_.push_back(std::move(instance));
  }
  open_.clear();
}

reports::SeedTiming SpanCollector::take() {
  reports::SeedTiming out;
  out.seed = seed_;
  out.spans = std::move(done_);
  out.object_counts = std::move(counts_);
  out.queue_depths = std::move(depths_);
  return out;
}

}  // namespace sasim::tools
