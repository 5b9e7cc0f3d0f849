#include "model/kubelet/kubelet.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model/api/wait_categories.h"
#include "model/coverage/probes.h"
#include "model/objects/constants.h"
#include "sim/prng.h"

namespace sasim::model::kubelet {
namespace {

const std::string kTokenKey(kServiceAccountTokenKey);

// The volume mounted at the token path in the pod's first container.
std::string token_volume_of(const Pod& pod) {
  for (const Container& container : pod.spec.containers) {
    for (const VolumeMount& mount : container.volume_mounts) {
      if (mount.mount_path == kDefaultApiTokenMountPath) return mount.name;
    }
    break;
  }
  return {};
}

// Same token, without signing a lazy one: two lazy tokens are the same
// only if they are the same mint.
bool same_token(const DataValue& a, const DataValue& b) {
  if (a.is_lazy() || b.is_lazy()) return a.lazy() == b.lazy() || (!a.is_lazy() && !b.is_lazy());
  return a.bytes() == b.bytes();
}

// "10.244.0.0/24" -> "10.244.0."
std::string network_prefix(const std::string& cidr) {
  const std::size_t dot = cidr.rfind('.', cidr.find('/'));
  return dot == std::string::npos ? cidr : cidr.substr(0, dot + 1);
}

}  // namespace

Kubelet::Kubelet(KubeletOptions options)
    : client::ClientActor(options.client),
      options_(std::move(options)),
      pods_(&add_informer(Kind::kPod, options_.watch_lag)),
      // Upstream's kubelet reads a volume's ConfigMaps through its
      // configMapManager, watch-based by default
      // (configMapAndSecretChangeDetectionStrategy: Watch): a reflector per
      // ConfigMap a registered pod references, started when the first such
      // pod registers, and no API request per sync. Here one informer of
      // every ConfigMap stands for those reflectors: started by the first
      // volume that needs a ConfigMap (so a cluster whose pods reference none,
      // 1.20 by default, watches none), it sees the same objects after the
      // same watch delivery.
      config_maps_(&add_on_demand_informer(Kind::kConfigMap, options_.watch_lag)) {
  // Each node's kubelet has its own client and so its own rate limits; a
  // pod's requests wait for its node's (limiter_of). The informers, which
  // stand for every node's watches, use the first node's.
  set_rate_limiter_count(options_.nodes.size());
  pods_->add_handlers({
      .on_add = [this](const ObjectPtr& o) { on_pod(o); },
      .on_update = [this](const ObjectPtr&, const ObjectPtr& o) { on_pod(o); },
      .on_delete =
          [this](const ObjectPtr& o, bool) {
            const ObjectKey key = key_of(*o);
            auto it = pods_running_.find(key);
            if (it == pods_running_.end() || it->second.uid != meta(*o).uid) return;
            remember_token(key);
            release_ip(key);
            account_idle_syncs();
            idle_syncs_.erase(key);
            // Read before the entry goes (AddressSanitizer found it read after).
            const bool had_projected_volume = !it->second.projected.empty();
            pods_running_.erase(it);
            // TearDownAt of the projected volume: the pod's tokens leave the cache.
            if (had_projected_volume) coverage::probe(ctx(), coverage::Probe::kK6PodTokensDropped);
            token_manager_.delete_service_account_token(meta(*o).uid);
            auto process = processes_.find(key);
            if (process != processes_.end() && process->second.uid == meta(*o).uid) {
              close_run(key, process->second, false);
              if (const DataValue* held = held_token(process->second, ctx().now())) last_process_tokens_[key] = *held;
              processes_.erase(process);
            }
          },
  });
  watch_config_maps();
  token_manager_.set_broken_never_refresh(options_.broken_never_refresh);
}

void Kubelet::start() { start_informers(); }

void Kubelet::watch_config_maps() {
  // A projected volume reads kube-root-ca.crt (and any ConfigMap) from
  // this cache: a change wakes the syncs of the namespace's pods.
  config_maps_->add_handlers({
      .on_add = [this](const ObjectPtr& o) { wake_syncs_in(meta(*o).namespace_); },
      .on_update = [this](const ObjectPtr&, const ObjectPtr& o) { wake_syncs_in(meta(*o).namespace_); },
      .on_delete = [this](const ObjectPtr& o, bool) { wake_syncs_in(meta(*o).namespace_); },
  });
}

void Kubelet::on_crash_reset() {
  // The process is gone, its pods' containers are not: the restarted
  // kubelet finds them again when it re-lists (on_pod adopts them). The
  // token manager's cache lived in its memory.
  for (auto& [key, process] : processes_) close_run(key, process, false);
  account_idle_syncs();
  idle_syncs_.clear();
  run_timers_.clear();
  pods_running_.clear();
  token_manager_ = TokenManager();
  token_manager_.set_broken_never_refresh(options_.broken_never_refresh);
  token_gc_running_ = false;
  config_map_waits_.clear();
  config_map_waiters_.clear();
}

auto Kubelet::config_maps_listed() {
  struct Awaiter {
    Kubelet& self;
    bool await_ready() const noexcept { return self.config_maps_->has_synced(); }
    void await_suspend(std::coroutine_handle<> handle) {
      const std::uint64_t token = self.config_map_waiters_.park(handle);
      const sim::TimerId timer = self.ctx().set_timer(kConfigMapPollInterval * kConfigMapPolls,
                                                      token | kConfigMapWaitTag, sim::Urgency::kPeriodic,
                                                      wait::kRetryBackoff);
      self.config_map_waits_[token] = ConfigMapWait{.polled_from = self.ctx().now(), .timer = timer};
    }
    void await_resume() noexcept {}
  };
  return Awaiter{*this};
}

sim::Task<void> Kubelet::token_gc() {
  // Upstream's GC runs every minute for ever; on an empty cache it does
  // nothing, so it runs here only while the cache holds entries (an idle
  // kubelet keeps no timer, and a run without pods can end).
  while (token_manager_.size() != 0) {
    co_await sleep(kTokenGcPeriod, sim::Urgency::kPeriodic, wait::kPeriodic);
    if (token_manager_.cleanup(ctx().now()) != 0) coverage::probe(ctx(), coverage::Probe::kK6ExpiredEntriesCollected);
  }
  token_gc_running_ = false;
}

std::uint64_t Kubelet::counter_draw(std::uint64_t base, std::uint64_t domain, std::uint64_t index) {
  sim::SplitMix64 mix(base ^ sim::SplitMix64(domain * 0x9E3779B97F4A7C15ULL + index).next());
  return mix.next();
}

namespace {
// Domains of a pod incarnation's counter-based draws.
constexpr std::uint64_t kSyncJitterDomain = 1;
constexpr std::uint64_t kSyncLookDomain = 2;
constexpr std::uint64_t kMountLookDomain = 3;
constexpr std::uint64_t kRefreshJitterDomain = 4;
}  // namespace

sim::Time Kubelet::next_sync_time(const SyncState& sync, std::uint64_t index, sim::Time at, bool failed) const {
  // wait.Jitter(period, 0.5): uniform in [period, 1.5 period); a failed sync
  // is retried after 10 s to 15 s, as the pod worker does.
  const sim::Duration period = failed ? sim::Duration::seconds(10) : options_.sync_period;
  const std::int64_t half = period.ns() / 2;
  if (half <= 0) return at + period;
  const std::uint64_t draw = counter_draw(sync.draw_base, kSyncJitterDomain, index + 1);
  return at + period + sim::Duration::nanoseconds(static_cast<std::int64_t>(draw % static_cast<std::uint64_t>(half)));
}

std::uint64_t Kubelet::volume_look(const SyncState& sync, std::uint64_t index, std::uint64_t volume) const {
  return counter_draw(counter_draw(sync.draw_base, kSyncLookDomain, index), kSyncLookDomain, volume);
}

sim::Duration Kubelet::refresh_jitter(std::uint64_t look, std::size_t source) const {
  // time.Duration(rand.Float64()*10) * time.Second, afresh at every look.
  const std::uint64_t draw = counter_draw(look, kRefreshJitterDomain, source);
  return token_refresh_jitter(static_cast<double>(draw >> 11) * 0x1.0p-53);
}

void Kubelet::on_synced() {
  // Addresses of pods deleted while the kubelet was down go back to the pool.
  std::vector<ObjectKey> gone;
  for (const auto& [node, ipam] : ipam_) {
    for (const auto& [octet, key] : ipam.used) {
      if (!pods_->get(key.namespace_, key.name)) gone.push_back(key);
    }
  }
  for (const ObjectKey& key : gone) release_ip(key);
}

const NodeInfo* Kubelet::node_named(const std::string& name) const {
  for (const NodeInfo& node : options_.nodes) {
    if (node.name == name) return &node;
  }
  return nullptr;
}

std::string Kubelet::presented_secret(const RunningPod& p) {
  auto mounted = p.mounted.find(p.token_volume);
  return mounted != p.mounted.end() ? mounted->second.first : std::string();
}

client::Limiter Kubelet::limiter_of(const RunningPod& p) const {
  return {p.node != nullptr ? static_cast<std::size_t>(p.node - options_.nodes.data()) : 0};
}

Kubelet::RunningPod* Kubelet::entry(const ObjectKey& key, const std::string& uid) {
  auto it = pods_running_.find(key);
  return it != pods_running_.end() && it->second.uid == uid ? &it->second : nullptr;
}

namespace {

// The token file of a running pod: the `token` of the volume mounted at the
// token path, a Secret volume's or a projected one's.
const DataValue* token_file(const std::map<std::string, std::pair<std::string, DataValue>>& mounted,
                            const std::map<std::string, Payload>& projected, const std::string& volume) {
  if (volume.empty()) return nullptr;
  if (auto it = mounted.find(volume); it != mounted.end()) {
    return it->second.second.empty() ? nullptr : &it->second.second;
  }
  if (auto it = projected.find(volume); it != projected.end()) {
    auto file = it->second.find(std::string(kServiceAccountTokenKey));
    return file != it->second.end() && !file->second.empty() ? &file->second : nullptr;
  }
  return nullptr;
}

}  // namespace

std::optional<DataValue> Kubelet::mounted_token(const std::string& ns, const std::string& name) const {
  const ObjectKey key{ns, name};
  auto it = pods_running_.find(key);
  if (it != pods_running_.end()) {
    if (const DataValue* token = token_file(it->second.mounted, it->second.projected, it->second.token_volume)) return *token;
  }
  auto last = last_tokens_.find(key);
  if (last != last_tokens_.end()) return last->second;
  return std::nullopt;
}

sim::Time Kubelet::last_reload(const Process& process, sim::Time now) const {
  // A whole number of minutes after the start.
  const std::int64_t minute = kReloadPeriod.ns();
  return process.started + sim::Duration::nanoseconds((now - process.started).ns() / minute * minute);
}

sim::Time Kubelet::next_reload(const Process& process, sim::Time now) const {
  return last_reload(process, now) + kReloadPeriod;
}

void Kubelet::end_run_before(const ObjectKey& key, Process& process, sim::Time at) {
  Process::IdleRun& run = *process.run;
  const sim::Time end = at - sim::Duration::nanoseconds(1);
  if (end >= run.verdict.horizon) return;
  run.verdict.horizon = end;
  ctx().set_timer(end - ctx().now(), kIdleRunTag | run.serial, sim::Urgency::kPeriodic, wait::kPeriodic);
  run_timers_[run.serial] = key;
}

const DataValue* Kubelet::held_token(const Process& process, sim::Time now) const {
  if (process.file.empty()) return nullptr;
  if (!options_.reload_token) return &process.file.front().second;
  const sim::Time read = last_reload(process, now);
  const DataValue* held = &process.file.front().second;
  for (const auto& [written, token] : process.file) {
    if (written > read) break;
    held = &token;
  }
  return held;
}

std::optional<DataValue> Kubelet::process_token(const std::string& ns, const std::string& name, sim::Time now) const {
  const ObjectKey key{ns, name};
  auto it = processes_.find(key);
  if (it != processes_.end()) {
    if (const DataValue* held = held_token(it->second, now)) return *held;
  }
  auto last = last_process_tokens_.find(key);
  if (last != last_process_tokens_.end()) return last->second;
  return std::nullopt;
}

bool Kubelet::is_running(const std::string& ns, const std::string& name) const {
  auto it = processes_.find(ObjectKey{ns, name});
  return it != processes_.end() && it->second.running;
}

void Kubelet::remember_token(const ObjectKey& key) {
  auto it = pods_running_.find(key);
  if (it == pods_running_.end()) return;
  if (const DataValue* token = token_file(it->second.mounted, it->second.projected, it->second.token_volume)) {
    last_tokens_[key] = *token;
  }
}

void Kubelet::token_file_touched(const ObjectKey& key) {
  auto it = pods_running_.find(key);
  if (it == pods_running_.end()) return;
  RunningPod& pod = it->second;
  const DataValue* token = token_file(pod.mounted, pod.projected, pod.token_volume);
  auto process = processes_.find(key);
  if (token == nullptr || process == processes_.end() || process->second.uid != pod.uid) return;
  Process& proc = process->second;
  if (!proc.file.empty() && same_token(proc.file.back().second, *token)) return;
  const sim::Time now = ctx().now();
  // A process re-reading its file right now takes the new token at once:
  // its run ends here. Otherwise it holds the old one until its next
  // re-read, just before which the run ends (below); a process that read
  // its file once never takes it.
  if (options_.reload_token && last_reload(proc, now) == now) close_run(key, proc, true);
  std::optional<sim::Time> minted;
  if (auto m = pod.projected_minted.find(pod.token_volume); m != pod.projected_minted.end()) minted = m->second;
  TokenFileChange change{.time = now, .namespace_ = key.namespace_, .pod = key.name, .pod_uid = pod.uid, .minted = minted};
  if (!proc.file.empty()) change.previous_minted = proc.minted;
  token_file_log_.push_back(std::move(change));
  proc.minted = minted;
  remember_token(key);
  // A process that reads once keeps its first token: nothing more to keep.
  if (!options_.reload_token && !proc.file.empty()) return;
  proc.file.emplace_back(now, *token);
  if (proc.run) end_run_before(key, proc, next_reload(proc, now));
  // Contents replaced by a write at least a minute old can no longer be the
  // last re-read's.
  const sim::Time horizon = now - std::min(now.since_start(), sim::Duration::minutes(1));
  std::size_t keep_from = 0;
  for (std::size_t i = 1; i < proc.file.size(); ++i) {
    if (proc.file[i].first <= horizon) keep_from = i;
  }
  if (keep_from > 0) proc.file.erase(proc.file.begin(), proc.file.begin() + static_cast<std::ptrdiff_t>(keep_from));
}

std::string Kubelet::container_id() {
  std::string id = "containerd://";
  for (int i = 0; i < 4; ++i) id += fmt::format("{:016x}", ctx().prng().next_u64());
  return id;
}

std::string Kubelet::allocate_ip(const NodeInfo& node, const ObjectKey& key, const std::string& wanted) {
  Ipam& ipam = ipam_[node.name];
  const std::string prefix = network_prefix(node.pod_cidr);
  if (!wanted.empty() && wanted.starts_with(prefix)) {
    const int octet = std::atoi(wanted.c_str() + prefix.size());
    auto it = ipam.used.find(octet);
    if (octet >= 2 && octet <= 254 && (it == ipam.used.end() || it->second == key)) {
      ipam.used[octet] = key;
      return wanted;
    }
  }
  // host-local: the next free address after the last one handed out, .2 to .254.
  for (int i = 1; i <= 253; ++i) {
    const int octet = (ipam.last - 2 + i) % 253 + 2;
    if (ipam.used.count(octet) != 0) continue;
    ipam.used[octet] = key;
    ipam.last = octet;
    return prefix + std::to_string(octet);
  }
  ctx().note("kubelet", "kubelet: no free address in " + node.pod_cidr);
  return {};
}

void Kubelet::release_ip(const ObjectKey& key) {
  for (auto& [node, ipam] : ipam_) std::erase_if(ipam.used, [&](const auto& entry) { return entry.second == key; });
}

void Kubelet::on_pod(const ObjectPtr& object) {
  const auto& pod = std::get<Pod>(*object);
  const NodeInfo* node = node_named(pod.spec.node_name);
  if (node == nullptr) return;  // not bound here (or not bound yet)
  const ObjectKey key = key_of(*object);
  const std::string& uid = pod.metadata.uid;
  auto it = pods_running_.find(key);
  if (it != pods_running_.end()) {
    if (it->second.uid != uid) return;  // the previous pod of that name is still being torn down
    const bool changed = meta(*it->second.object).resource_version != pod.metadata.resource_version;
    it->second.object = object;
    if (changed) wake_sync(key, it->second);
    if (pod.metadata.deletion_timestamp && !it->second.deleting) {
      it->second.deleting = true;
      spawn(terminate(key, uid));
    }
    return;
  }
  RunningPod& running = pods_running_[key];
  running.uid = uid;
  running.sync.generation = ++sync_generations_;
  {
    // This incarnation's draws: the pod's uid and when the kubelet took it up.
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char c : uid) h = (h ^ c) * 0x100000001b3ULL;
    running.sync.draw_base = counter_draw(options_.presentation_salt ^ h, 0, static_cast<std::uint64_t>(ctx().now().ns()));
  }
  running.object = object;
  running.node = node;
  running.run.host_ip = node->internal_ip;
  const bool adopt = pod.status.phase == PodPhase::kRunning && pod.status.extra && pod.status.extra->contains("podIP");
  if (adopt) {
    running.run = run_from_status(pod, options_.epoch_unix_seconds);
    running.run.host_ip = node->internal_ip;
    running.phase = Phase::kRunning;
  }
  if (pod.metadata.deletion_timestamp) {
    running.deleting = true;
    spawn(terminate(key, uid));
    return;
  }
  spawn(run_pod(object, adopt));
}

sim::Task<void> Kubelet::mount_volumes(ObjectKey key, std::string uid, Pod pod) {
  // Mount the Secret volumes; a missing Secret keeps the pod waiting.
  for (const Volume& volume : pod.spec.volumes) {
    if (!volume.secret) continue;
    sim::Duration backoff = sim::Duration::milliseconds(500);
    const sim::Duration max_backoff = sim::Duration::seconds(122);
    for (;;) {
      RunningPod* p = entry(key, uid);
      if (p == nullptr || p->deleting) co_return;
      ApiResponse response = co_await get(Kind::kSecret, key.namespace_, volume.secret->secret_name, limiter_of(*p));
      p = entry(key, uid);
      if (p == nullptr || p->deleting) co_return;
      if (response.ok()) {
        const auto& secret = std::get<Secret>(*response.object);
        const DataValue* token = secret.data_value(kTokenKey);
        p->mounted[volume.name] = {volume.secret->secret_name, token ? *token : DataValue()};
        break;
      }
      if (volume.secret->optional.value_or(false) && is_not_found(*response.error)) break;
      ctx().note("kubelet", "kubelet: MountVolume.SetUp failed for volume \"" + volume.name + "\": " + response.error->message);
      // Periodic, not work: a pod whose Secret never comes keeps the kubelet
      // retrying for ever, and the control plane must still count as settled.
      co_await sleep(backoff, sim::Urgency::kPeriodic, wait::kRetryBackoff);
      backoff = std::min(backoff * 2, max_backoff);
    }
  }
  // Then the projected volumes, each retried with the same backoff until
  // every one of its sources resolves (K10).
  for (const Volume& volume : pod.spec.volumes) {
    std::optional<ProjectedVolume> projected = projected_volume_of(volume);
    if (!projected) continue;
    sim::Duration backoff = sim::Duration::milliseconds(500);
    const sim::Duration max_backoff = sim::Duration::seconds(122);
    for (std::uint64_t attempt = 0;; ++attempt) {
      RunningPod* p = entry(key, uid);
      if (p == nullptr || p->deleting) co_return;
      const std::uint64_t look = counter_draw(p->sync.draw_base, kMountLookDomain, attempt);
      const std::string error = co_await set_up_projected(key, uid, *projected, look);
      if (error.empty()) break;
      co_await sleep(backoff, sim::Urgency::kPeriodic, wait::kRetryBackoff);
      backoff = std::min(backoff * 2, max_backoff);
    }
  }
}

SourceObject Kubelet::config_map_for_volume(const std::string& ns, const std::string& name) const {
  SourceObject found;
  if (!config_maps_->has_synced()) {
    // The watch-based manager's Get waits up to a second for its reflector
    // to sync (set_up_projected waited already), then gives up.
    found.error = "failed to sync configmap cache: timed out waiting for the condition";
    return found;
  }
  const ConfigMap* config_map = as<ConfigMap>(config_maps_->get(ns, name));
  if (config_map == nullptr) {
    // The watch-based object manager's NotFound names the resource in the singular.
    found.not_found = true;
    found.error = "configmap \"" + name + "\" not found";
    return found;
  }
  // configMapToPayload: data and binaryData alike.
  std::map<std::string, DataValue> data;
  for (const auto& [key, value] : config_map->data) data.emplace(key, DataValue(value));
  for (const auto& [key, value] : config_map->binary_data) data.emplace(key, DataValue(value));
  found.data = std::move(data);
  return found;
}

sim::Task<std::string> Kubelet::set_up_projected(ObjectKey key, std::string uid, ProjectedVolume volume,
                                                 std::uint64_t look_key) {
  RunningPod* p = entry(key, uid);
  if (p == nullptr) co_return "pod gone";
  const ObjectPtr object = p->object;
  const Pod& pod = std::get<Pod>(*object);
  ProjectedInputs inputs;
  std::optional<sim::Time> minted;
  std::size_t source_index = 0;
  for (const ProjectedSource& source : volume.sources) {
    if (source.type != ProjectedSource::Type::kServiceAccountToken) continue;
    const TokenRequest request = kubelet_token_request(source, pod);
    const std::string& account = pod.spec.service_account_name;
    const std::size_t this_source = source_index++;
    TokenManager::Lookup look = token_manager_.lookup(key.namespace_, account, request, ctx().now(), [&] {
      return refresh_jitter(look_key, this_source);
    });
    std::shared_ptr<const TokenRequest> answer = look.fresh;
    std::string error;
    if (answer) coverage::probe(ctx(), coverage::Probe::kK3CachedTokenUsed);
    if (!answer) {
      if (token_manager_.contains(look.key)) coverage::probe(ctx(), coverage::Probe::kK4RefreshDue);
      coverage::probe(ctx(), coverage::Probe::kK1TokenRequested);
      auto call_request = std::make_unique<ApiRequest>();
      call_request->verb = Verb::kCreate;
      call_request->kind = Kind::kServiceAccount;
      call_request->namespace_ = key.namespace_;
      call_request->name = account;
      call_request->subresource = "token";
      call_request->token_request = std::make_shared<const TokenRequest>(request);
      ApiResponse response = co_await call(std::move(call_request), limiter_of(*p));
      TokenFetch fetch;
      if (response.ok() && response.token_request) {
        fetch.token = response.token_request;
      } else {
        fetch.error = response.error ? response.error->message : "no TokenRequest in the answer";
      }
      TokenResult result = token_manager_.finish(look.key, ctx().now(), fetch);
      if (!token_gc_running_ && token_manager_.size() != 0) {
        token_gc_running_ = true;
        spawn(token_gc());
      }
      if (result.kept_old) coverage::probe(ctx(), coverage::Probe::kK5OldTokenKept);
      if (!result.token) coverage::probe(ctx(), coverage::Probe::kK5TokenUnavailable);
      if (result.kept_old) ctx().note("kubelet", "kubelet: Couldn't update token " + look.key + ": " + fetch.error);
      answer = result.token;
      error = result.error;
    }
    if (answer && answer->token) {
      inputs.tokens.emplace_back(*answer->token, "");
      if (answer->expiration_timestamp && answer->expiration_seconds) {
        minted = *answer->expiration_timestamp - sim::Duration::seconds(*answer->expiration_seconds);
      }
    } else {
      inputs.tokens.emplace_back(std::nullopt, error);
    }
  }
  bool needs_config_maps = false;
  for (const ProjectedSource& source : volume.sources) {
    needs_config_maps = needs_config_maps || source.type == ProjectedSource::Type::kConfigMap;
  }
  if (needs_config_maps && !config_maps_->has_synced()) {
    // The manager's reflector starts with the first pod that needs it; its
    // Get polls every 10 ms for up to a second for the first list.
    start_on_demand(*config_maps_);
    co_await config_maps_listed();
    p = entry(key, uid);
    if (p == nullptr) co_return "pod gone";
  }
  const std::string& pod_namespace = key.namespace_;
  inputs.config_map = [this, &pod_namespace](const std::string& name) {
    return config_map_for_volume(pod_namespace, name);
  };
  // Projected Secrets, like Secret volumes here, are read from the kubelet's
  // last view; none is kept yet, so they count as missing.
  inputs.secret = [](const std::string& name) {
    return SourceObject{.data = std::nullopt, .not_found = true, .error = "secret \"" + name + "\" not found"};
  };
  ProjectedPayload payload = collect_projected_payload(volume, pod, inputs);
  p = entry(key, uid);
  if (p == nullptr) co_return "pod gone";
  if (!payload.payload) {
    coverage::probe(ctx(), coverage::Probe::kK8PayloadWithheld);
    ctx().note("kubelet", "kubelet: MountVolume.SetUp failed for volume \"" + volume.name + "\" : " + payload.error);
    co_return payload.error;
  }
  coverage::probe(ctx(), coverage::Probe::kK9VolumeRewritten);
  p->projected[volume.name] = std::move(*payload.payload);
  if (minted) p->projected_minted[volume.name] = *minted;
  token_file_touched(key);
  co_return std::string();
}

sim::Task<void> Kubelet::run_pod(ObjectPtr object, bool adopt) {
  const Pod pod = std::get<Pod>(*object);
  const ObjectKey key = key_of(*object);
  const std::string uid = pod.metadata.uid;
  if (RunningPod* p = entry(key, uid)) {
    p->object = object;
    p->token_volume = token_volume_of(pod);
  }
  if (adopt) {
    // Its process kept running through the kubelet's restart; one this
    // kubelet never saw start is taken as started now.
    auto process = processes_.find(key);
    if (process == processes_.end() || process->second.uid != uid) {
      start_process(key, uid);
    }
    // Its containers kept running; mount its volumes again.
    if (RunningPod* p = entry(key, uid)) p->run.pod_ip = allocate_ip(*p->node, key, p->run.pod_ip);
    co_await mount_volumes(key, uid, pod);
  } else {
    if (RunningPod* p = entry(key, uid)) {
      p->run.first_sync = ctx().now();
      report_status(key);  // Pending, ContainerCreating
    }
    co_await sleep(options_.pod_start_latency.sample(ctx().prng()), wait::kPodStart);
    co_await mount_volumes(key, uid, pod);
    RunningPod* p = entry(key, uid);
    if (p == nullptr || p->deleting) co_return;
    p->run.pod_ip = allocate_ip(*p->node, key, "");
    p->run.started = ctx().now();
    p->run.init_containers.clear();
    p->run.containers.clear();
    for (std::size_t i = 0; i < pod.spec.init_containers.size(); ++i) p->run.init_containers.push_back({container_id()});
    for (std::size_t i = 0; i < pod.spec.containers.size(); ++i) p->run.containers.push_back({container_id()});
    p->run.state = PodRun::State::kRunning;
    p->phase = Phase::kRunning;
    start_process(key, uid);
    report_status(key);  // Running
  }
  RunningPod* p = entry(key, uid);
  if (p == nullptr || p->deleting) co_return;
  p->phase = Phase::kRunning;
  remember_token(key);
  token_file_touched(key);
  p->sync.index = 0;
  p->sync.at = ctx().now();
  p->sync.accounted = 0;
  p->sync.accounted_at = p->sync.at;
  spawn(sync_loop(key, uid, p->sync.generation));
  spawn(process(key, uid));
}

sim::Task<void> Kubelet::terminate(ObjectKey key, std::string uid) {
  RunningPod* p = entry(key, uid);
  if (p == nullptr) co_return;
  if (p->phase == Phase::kRunning) {
    p->phase = Phase::kStopping;
    // SIGTERM: the processes exit after the stop latency, at the latest
    // when the grace period runs out.
    const ObjectPtr current = pods_->get(key.namespace_, key.name);
    const std::int64_t grace = current ? meta(*current).deletion_grace_period_seconds.value_or(0) : 0;
    const sim::Duration stop = std::min(options_.pod_stop_latency.sample(ctx().prng()),
                                        sim::Duration::seconds(std::clamp<std::int64_t>(grace, 0, 3600)));
    co_await sleep(stop, wait::kPodStop);
    p = entry(key, uid);
    if (p == nullptr) co_return;
    p->phase = Phase::kStopped;
    if (auto process = processes_.find(key); process != processes_.end() && process->second.uid == uid) {
      close_run(key, process->second, true);
      process->second.running = false;
    }
    p->run.state = PodRun::State::kStopped;
    p->run.stopped = ctx().now();
    report_status(key);  // containers terminated
  } else {
    p->phase = Phase::kStopped;  // nothing was started
  }
  p->confirm_deletion = true;
  if (!p->status_writer) spawn(write_status(key, uid));
}

void Kubelet::report_status(const ObjectKey& key) {
  auto it = pods_running_.find(key);
  if (it == pods_running_.end()) return;
  it->second.status_dirty = true;
  if (!it->second.status_writer) spawn(write_status(key, it->second.uid));
}

sim::Task<void> Kubelet::write_status(ObjectKey key, std::string uid) {
  RunningPod* p = entry(key, uid);
  if (p == nullptr || p->status_writer) co_return;
  p->status_writer = true;
  sim::Duration backoff = sim::Duration::seconds(1);
  while ((p = entry(key, uid)) != nullptr && p->status_dirty) {
    p->status_dirty = false;
    // GET, then PUT pods/status with the kubelet's view; again on a conflict.
    bool retry_later = false;
    for (int attempt = 0; attempt < 5; ++attempt) {
      ApiResponse current = co_await get(Kind::kPod, key.namespace_, key.name, limiter_of(*p));
      if ((p = entry(key, uid)) == nullptr) co_return;
      if (!current.ok()) {
        retry_later = !is_not_found(*current.error);
        break;
      }
      if (meta(*current.object).uid != uid) break;
      Pod body = std::get<Pod>(*current.object);
      body.status = kubelet_pod_status(body, p->run, options_.epoch_unix_seconds);
      auto request = std::make_unique<ApiRequest>();
      request->verb = Verb::kUpdate;
      request->kind = Kind::kPod;
      request->namespace_ = key.namespace_;
      request->name = key.name;
      request->subresource = "status";
      request->body = std::make_shared<const Object>(Object(std::move(body)));
      ApiResponse updated = co_await call(std::move(request), limiter_of(*p));
      if ((p = entry(key, uid)) == nullptr) co_return;
      if (updated.ok() || is_not_found(*updated.error)) break;
      if (!is_conflict(*updated.error)) {
        retry_later = true;
        break;
      }
    }
    if (retry_later) {
      // The status manager tries again on its next sync.
      p->status_dirty = true;
      co_await sleep(backoff, wait::kRetryBackoff);
      backoff = std::min(backoff * 2, sim::Duration::seconds(10));
    }
  }
  if (p == nullptr) co_return;
  p->status_writer = false;
  if (!p->confirm_deletion) co_return;
  const client::Limiter limiter = limiter_of(*p);
  // canBeDeleted: the containers are stopped and reported; confirm with a
  // DELETE of grace 0, only for this pod (its uid).
  backoff = sim::Duration::seconds(1);
  for (;;) {
    auto request = std::make_unique<ApiRequest>();
    request->verb = Verb::kDelete;
    request->kind = Kind::kPod;
    request->namespace_ = key.namespace_;
    request->name = key.name;
    request->grace_period_seconds = 0;
    request->preconditions.uid = uid;
    ApiResponse response = co_await call(std::move(request), limiter);
    if (response.ok() || is_not_found(*response.error) || is_conflict(*response.error)) co_return;
    if (entry(key, uid) == nullptr) co_return;
    co_await sleep(backoff, wait::kRetryBackoff);
    backoff = std::min(backoff * 2, sim::Duration::seconds(10));
  }
}

sim::Task<void> Kubelet::sync_loop(ObjectKey key, std::string uid, std::uint64_t generation) {
  for (;;) {
    RunningPod* p = entry(key, uid);
    if (p == nullptr || p->sync.generation != generation) co_return;
    std::uint64_t n = p->sync.index + 1;
    sim::Time t = next_sync_time(p->sync, p->sync.index, p->sync.at, p->sync.failed);
    p->sync.idle = false;
    if (!p->sync.dirty && !p->sync.failed) {
      if (auto acting = first_acting_sync(*p, n, t); acting && acting->first != n) {
        p->sync.idle = true;
        n = acting->first;
        t = acting->second;
        idle_syncs_.insert(key);
      }
    }
    p->sync.dirty = false;
    p->sync.pending = n;
    // Nothing will ever be due: the loop ends; a change spawns it again.
    if (t == sim::Time::never()) co_return;
    co_await sleep(t - ctx().now(), sim::Urgency::kPeriodic, wait::kPeriodic);
    p = entry(key, uid);
    if (p == nullptr || p->sync.generation != generation) co_return;
    account_syncs(*p, n - 1);
    idle_syncs_.erase(key);
    p->sync.idle = false;
    p->sync.index = p->sync.accounted = n;
    p->sync.at = p->sync.accounted_at = t;
    // K13: a terminating pod is no longer synced; its token stays as it is.
    if (p->deleting && !p->projected.empty()) coverage::probe(ctx(), coverage::Probe::kK13TerminatingNotRotated);
    if (p->deleting) co_return;
    std::vector<std::pair<std::string, std::string>> volumes;  // volume, secret
    for (const auto& [volume, mounted] : p->mounted) volumes.emplace_back(volume, mounted.first);
    for (const auto& [volume, secret_name] : volumes) {
      ApiResponse response = co_await get(Kind::kSecret, key.namespace_, secret_name, limiter_of(*p));
      p = entry(key, uid);
      if (p == nullptr || p->deleting) co_return;
      if (!response.ok()) continue;  // the last contents stay mounted
      const DataValue* token = std::get<Secret>(*response.object).data_value(kTokenKey);
      p->mounted[volume] = {secret_name, token ? *token : DataValue()};
      token_file_touched(key);
    }
    bool failed = false;
    const Pod pod = std::get<Pod>(*p->object);
    std::uint64_t ordinal = 0;
    for (const Volume& volume : pod.spec.volumes) {
      std::optional<ProjectedVolume> projected = projected_volume_of(volume);
      if (!projected) continue;
      const std::uint64_t look = volume_look(p->sync, n, ordinal++);
      const std::string error = co_await set_up_projected(key, uid, *projected, look);
      p = entry(key, uid);
      if (p == nullptr || p->deleting) co_return;
      failed = failed || !error.empty();
    }
    p->sync.failed = failed;
    // The pod worker requeues the pod a period after the sync completed
    // (completeWork), not after it was due: a sync that waited minutes
    // for its TokenRequest behind the kubelet's 5 qps client is followed
    // by the next a period later, not at once.
    p->sync.at = p->sync.accounted_at = ctx().now();
  }
}

std::optional<std::pair<std::uint64_t, sim::Time>> Kubelet::first_acting_sync(RunningPod& p, std::uint64_t n,
                                                                             sim::Time t) {
  if (!options_.idle_elision || elision_stopped_ || p.deleting || !p.mounted.empty()) return std::nullopt;
  // Every projected token source's cached answer, with the volume and the
  // source's place in it, as a sync looks them up (one jitter per look).
  struct Source {
    std::shared_ptr<const TokenRequest> cached;
    std::uint64_t volume;
    std::size_t index;
  };
  const Pod& pod = std::get<Pod>(*p.object);
  std::vector<Source> sources;
  std::uint64_t volumes = 0;
  for (const Volume& volume : pod.spec.volumes) {
    std::optional<ProjectedVolume> projected = projected_volume_of(volume);
    if (!projected) continue;
    bool needs_config_maps = false;
    std::size_t index = 0;
    for (const ProjectedSource& source : projected->sources) {
      needs_config_maps = needs_config_maps || source.type == ProjectedSource::Type::kConfigMap;
      if (source.type != ProjectedSource::Type::kServiceAccountToken) continue;
      std::shared_ptr<const TokenRequest> answer = token_manager_.cached(
          token_cache_key(pod.spec.service_account_name, pod.metadata.namespace_, kubelet_token_request(source, pod)));
      if (!answer) return std::nullopt;  // the next sync fetches
      sources.push_back(Source{.cached = std::move(answer), .volume = volumes, .index = index++});
    }
    // The ConfigMap manager is still starting: the sync waits for it.
    if (needs_config_maps && !config_maps_->has_synced()) return std::nullopt;
    ++volumes;
  }
  p.sync.token_sources = static_cast<std::uint32_t>(sources.size());
  p.sync.projected_volumes = static_cast<std::uint32_t>(volumes);
  bool can_expire = false;
  for (const Source& source : sources) {
    if (token_manager_.broken_never_refresh()) break;
    can_expire = can_expire || (source.cached->expiration_seconds && source.cached->expiration_timestamp);
  }
  if (!can_expire) return std::pair{std::uint64_t{0}, sim::Time::never()};
  std::uint64_t k = n;
  sim::Time at = t;
  for (;;) {
    for (const Source& source : sources) {
      const std::uint64_t look = volume_look(p.sync, k, source.volume);
      if (token_requires_refresh(*source.cached, at, refresh_jitter(look, source.index))) return std::pair{k, at};
    }
    at = next_sync_time(p.sync, k, at, false);
    ++k;
  }
}

void Kubelet::account_syncs(RunningPod& p, std::uint64_t through) {
  if (through <= p.sync.accounted) return;
  const std::uint64_t count = through - p.sync.accounted;
  elided_syncs_ += count;
  // What each would have hit: a cached token per source, a rewrite per volume.
  const std::uint32_t k3 = coverage::index_of(coverage::Probe::kK3CachedTokenUsed);
  const std::uint32_t k9 = coverage::index_of(coverage::Probe::kK9VolumeRewritten);
  std::vector<std::uint64_t> hits(std::max(k3, k9) + 1, 0);
  hits[k3] = count * p.sync.token_sources;
  hits[k9] = count * p.sync.projected_volumes;
  ctx().coverage().add(hits);
  p.sync.accounted = through;
}

void Kubelet::wake_sync(const ObjectKey& key, RunningPod& p) {
  p.sync.dirty = true;
  if (!p.sync.idle) return;
  // The first sync at or after now runs; the ones before it did nothing.
  const sim::Time now = ctx().now();
  std::uint64_t k = p.sync.accounted;
  sim::Time at = p.sync.accounted_at;
  for (;;) {
    const sim::Time next = next_sync_time(p.sync, k, at, false);
    if (next >= now) break;
    at = next;
    ++k;
  }
  if (k + 1 == p.sync.pending) return;  // the loop wakes for that one anyway
  account_syncs(p, k);
  p.sync.accounted_at = at;
  p.sync.index = k;
  p.sync.at = at;
  p.sync.idle = false;
  ++p.sync.generation;
  idle_syncs_.erase(key);
  spawn(sync_loop(key, p.uid, p.sync.generation));
}

void Kubelet::wake_syncs_in(const std::string& ns) {
  for (auto it = pods_running_.lower_bound(ObjectKey{ns, ""}); it != pods_running_.end() && it->first.namespace_ == ns; ++it) {
    wake_sync(it->first, it->second);
  }
}

std::uint64_t Kubelet::first_tick_after(sim::Time started, sim::Time now) const {
  if (now < started) return 1;
  const std::int64_t every = options_.auth_every.ns();
  return static_cast<std::uint64_t>((now - started).ns() / every) + 1;
}

sim::Time Kubelet::tick_time(sim::Time started, std::uint64_t tick) const {
  return started + sim::Duration::nanoseconds(options_.auth_every.ns() * static_cast<std::int64_t>(tick));
}

std::uint64_t Kubelet::draw_key(const std::string& uid, std::uint64_t tick) const {
  // FNV-1a of the uid, mixed with the salt and the tick: a key per
  // presentation, the same whichever presentations ran before it.
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (const unsigned char c : uid) h = (h ^ c) * 0x100000001b3ULL;
  sim::SplitMix64 mix(options_.presentation_salt ^ h);
  const std::uint64_t key = mix.next() ^ sim::SplitMix64(tick).next();
  return key == 0 ? 1 : key;
}

sim::Duration Kubelet::presentation_latency_cap() const {
  const sim::Duration timeout = client_options().request_timeout;
  const sim::Duration shorter =
      timeout > sim::Duration::zero() ? std::min(options_.auth_every, timeout) : options_.auth_every;
  return sim::Duration::nanoseconds(std::max<std::int64_t>(shorter.ns() / 2, 1));
}

sim::Task<void> Kubelet::process(ObjectKey key, std::string uid) {
  for (;;) {
    auto found = processes_.find(key);
    // Gone, or an idle run accounts for the ticks now (close_run spawns
    // the loop again).
    if (found == processes_.end() || found->second.uid != uid || found->second.run) co_return;
    const std::uint64_t tick = first_tick_after(found->second.started, ctx().now());
    co_await sleep(tick_time(found->second.started, tick) - ctx().now(), sim::Urgency::kPeriodic, wait::kPeriodic);
    if (!co_await present(key, uid, tick, std::nullopt)) co_return;
  }
}

sim::Task<bool> Kubelet::present(ObjectKey key, std::string uid, std::uint64_t tick, std::optional<sim::Time> sent_at) {
  // The process runs until its container stops.
  const RunningPod* running = entry(key, uid);
  if (running == nullptr || running->phase == Phase::kStopped) co_return false;
  if (running->token_volume.empty()) co_return true;  // automount off: nothing to present
  auto process = processes_.find(key);
  if (process == processes_.end() || process->second.uid != uid) co_return true;
  const DataValue* held = held_token(process->second, sent_at.value_or(ctx().now()));
  if (held == nullptr) co_return true;
  const std::string secret_name = presented_secret(*running);
  // What the file holds, as it is: a bound token nobody read is presented
  // without being signed (TokenReview::token).
  DataValue token = *held;
  TokenReviewResult result =
      co_await review_token_periodic(token, draw_key(uid, tick), presentation_latency_cap(), sent_at);
  running = entry(key, uid);
  if (running == nullptr || running->phase == Phase::kStopped) co_return false;
  process = processes_.find(key);
  if (process == processes_.end() || process->second.uid != uid) co_return false;
  record_presentation(key, process->second, ctx().now(), ctx().now(), 1, secret_name, result);
  if (!sent_at && maybe_start_run(key, process->second, tick, token, secret_name, result)) co_return false;
  co_return true;
}

sim::Task<void> Kubelet::present_again(ObjectKey key, std::string uid, std::uint64_t tick, sim::Time sent_at) {
  co_await present(std::move(key), std::move(uid), tick, sent_at);
}

bool Kubelet::maybe_start_run(const ObjectKey& key, Process& process, std::uint64_t tick, const DataValue& token,
                              const std::string& secret, const TokenReviewResult& result) {
  if (!options_.idle_elision || elision_stopped_ || !options_.verdict_horizon || process.run) return false;
  const sim::Time now = ctx().now();
  // The process holds what it presented; it keeps holding it until a
  // re-read finds a newer token in the file.
  const DataValue* held = held_token(process, now);
  if (held == nullptr || !same_token(*held, token)) return false;
  std::optional<IdleVerdict> verdict = run_verdict(key, process, token, now, tick);
  if (!verdict) return false;
  begin_run(key, process, tick + 1, token, secret, result, std::move(*verdict));
  return true;
}

std::optional<IdleVerdict> Kubelet::run_verdict(const ObjectKey& key, const Process& process, const DataValue& token,
                                                sim::Time answered, std::uint64_t tick) const {
  IdleVerdict verdict = options_.verdict_horizon(key.namespace_, key.name, token, answered);
  // The file has a newer one already: the run ends just before the re-read
  // that takes it (the tick at that instant presents the new token).
  if (options_.reload_token && !same_token(process.file.back().second, token)) {
    verdict.horizon = std::min(verdict.horizon, next_reload(process, answered) - sim::Duration::nanoseconds(1));
  }
  // Worth a run only if it spans two ticks at least.
  if (verdict.horizon <= tick_time(process.started, tick + 2)) return std::nullopt;
  return verdict;
}

void Kubelet::begin_run(const ObjectKey& key, Process& process, std::uint64_t next_tick, const DataValue& token,
                        const std::string& secret, const TokenReviewResult& result, IdleVerdict verdict) {
  Process::IdleRun run;
  run.next_tick = next_tick;
  run.token = token;
  run.secret = secret;
  run.result = result;
  run.serial = next_run_serial_++;
  if (verdict.horizon != sim::Time::never()) {
    ctx().set_timer(verdict.horizon - ctx().now(), kIdleRunTag | run.serial, sim::Urgency::kPeriodic, wait::kPeriodic);
    run_timers_[run.serial] = key;
  }
  index_run(key, verdict, true);
  run.verdict = std::move(verdict);
  process.run = std::move(run);
  idle_.insert(key);
}

void Kubelet::retire_run(const ObjectKey& key, Process& process) {
  run_timers_.erase(process.run->serial);
  index_run(key, process.run->verdict, false);
  process.run.reset();
  idle_.erase(key);
  ++idle_runs_closed_;
}

std::optional<std::uint64_t> Kubelet::account_run(const ObjectKey& key, Process& process) {
  Process::IdleRun& run = *process.run;
  const sim::Time now = ctx().now();
  // Ticks sent by now: next_tick .. sent (inclusive). Every one but the
  // last was answered before the next tick (latencies are capped below
  // half a period); the last may still be on its way.
  const std::uint64_t sent = first_tick_after(process.started, now) - 1;
  if (sent < run.next_tick) return std::nullopt;
  std::uint64_t answered = sent;
  std::optional<std::uint64_t> on_the_way;
  auto answer_time = [this, &process](std::uint64_t tick) {
    return tick_time(process.started, tick) +
           review_latency(options_.review_latency, draw_key(process.uid, tick), presentation_latency_cap());
  };
  if (answer_time(sent) >= now) {
    on_the_way = sent;
    answered = sent - 1;
  }
  if (answered + 1 > run.next_tick) {
    const std::uint64_t first = run.next_tick;
    const std::uint64_t count = answered + 1 - first;
    record_presentation(key, process, answer_time(first), answer_time(answered), count, run.secret, run.result);
    elided_presentations_ += count;
    if (options_.reviews_repeated) {
      options_.reviews_repeated(run.token, run.result, count,
                                [&answer_time, first](std::uint64_t i) { return answer_time(first + i); });
    }
    run.next_tick = answered + 1;
  }
  return on_the_way;
}

void Kubelet::close_run(const ObjectKey& key, Process& process, bool resume) {
  if (!process.run) return;
  const std::optional<std::uint64_t> on_the_way = account_run(key, process);
  retire_run(key, process);
  if (!resume) return;
  if (on_the_way) spawn(present_again(key, process.uid, *on_the_way, tick_time(process.started, *on_the_way)));
  spawn(this->process(key, process.uid));
}

void Kubelet::account_idle_runs() {
  account_idle_syncs();
  for (const ObjectKey& key : idle_) {
    auto it = processes_.find(key);
    if (it != processes_.end() && it->second.run) account_run(key, it->second);
  }
}

void Kubelet::close_idle_runs() {
  while (!idle_.empty()) {
    const ObjectKey key = *idle_.begin();
    auto it = processes_.find(key);
    if (it == processes_.end()) {
      idle_.erase(key);
      continue;
    }
    close_run(key, it->second, true);
  }
}

void Kubelet::start_process(const ObjectKey& key, const std::string& uid) {
  // An earlier incarnation's idle run ends with it (unindexed, not resumed).
  if (auto earlier = processes_.find(key); earlier != processes_.end()) close_run(key, earlier->second, false);
  processes_[key] = Process{.uid = uid, .running = true, .started = ctx().now(), .file = {}, .minted = {}, .last_record = {}, .run = {}};
}

void Kubelet::close_idle_runs_reading(const ObjectId& changed) {
  if (idle_.empty()) return;
  // Closed in the pods' order, as close_idle_runs would among them.
  std::set<ObjectKey> closing = runs_reading_anything_;
  if (auto readers = run_readers_.find(changed); readers != run_readers_.end()) {
    closing.insert(readers->second.begin(), readers->second.end());
  }
  for (const ObjectKey& key : closing) {
    auto it = processes_.find(key);
    if (it == processes_.end() || !it->second.run) continue;
    close_run(key, it->second, true);
  }
}

void Kubelet::index_run(const ObjectKey& key, const IdleVerdict& verdict, bool add) {
  if (verdict.reads_anything) {
    if (add) {
      runs_reading_anything_.insert(key);
    } else {
      runs_reading_anything_.erase(key);
    }
  }
  for (const ObjectId& read : verdict.reads) {
    if (add) {
      run_readers_[read].insert(key);
      continue;
    }
    auto readers = run_readers_.find(read);
    if (readers == run_readers_.end()) continue;
    readers->second.erase(key);
    if (readers->second.empty()) run_readers_.erase(readers);
  }
}

void Kubelet::stop_idle_elision() {
  elision_stopped_ = true;
  close_idle_runs();
  // The syncs slept over run again from the first at or after now.
  while (!idle_syncs_.empty()) {
    const ObjectKey key = *idle_syncs_.begin();
    idle_syncs_.erase(idle_syncs_.begin());
    auto it = pods_running_.find(key);
    if (it != pods_running_.end()) wake_sync(key, it->second);
  }
}

void Kubelet::account_idle_syncs() {
  if (idle_syncs_.empty()) return;  // (and before the kubelet started, no context to ask)
  const sim::Time now = ctx().now();
  for (const ObjectKey& key : idle_syncs_) {
    auto it = pods_running_.find(key);
    if (it == pods_running_.end() || !it->second.sync.idle) continue;
    SyncState& sync = it->second.sync;
    // Syncs up to now, short of the one the loop wakes for.
    for (;;) {
      if (sync.accounted + 1 >= sync.pending && sync.pending != 0) break;
      const sim::Time next = next_sync_time(sync, sync.accounted, sync.accounted_at, false);
      if (next > now) break;
      account_syncs(it->second, sync.accounted + 1);
      sync.accounted_at = next;
    }
  }
}

void Kubelet::on_informer_listed(client::Informer& informer) {
  if (&informer != config_maps_) return;
  const sim::Time now = ctx().now();
  const std::int64_t interval = kConfigMapPollInterval.ns();
  for (auto& [token, waiting] : config_map_waits_) {
    if (waiting.listed) continue;
    // The first poll at or after the list, after the first interval.
    const std::int64_t waited = (now - waiting.polled_from).ns();
    const std::int64_t polls = std::max<std::int64_t>(1, (waited + interval - 1) / interval);
    if (polls >= kConfigMapPolls) continue;  // the last poll ends the wait anyway
    ctx().cancel_timer(waiting.timer);
    waiting.listed = true;
    waiting.timer = ctx().set_timer(waiting.polled_from + sim::Duration::nanoseconds(polls * interval) - now,
                                    token | kConfigMapWaitTag, sim::Urgency::kPeriodic, wait::kRetryBackoff);
  }
}

void Kubelet::handle_client_timer(std::uint64_t tag) {
  if ((tag & kConfigMapWaitTag) != 0) {
    const std::uint64_t token = tag & ~kConfigMapWaitTag;
    config_map_waits_.erase(token);
    config_map_waiters_.complete(token, true);
    return;
  }
  if ((tag & kIdleRunTag) == 0) return;
  auto timer = run_timers_.find(tag & ~kIdleRunTag);
  if (timer == run_timers_.end()) return;  // the run closed before its horizon
  const ObjectKey key = timer->second;
  auto it = processes_.find(key);
  if (it == processes_.end()) return;
  if (!hand_over_run(key, it->second)) close_run(key, it->second, true);
}

bool Kubelet::hand_over_run(const ObjectKey& key, Process& process) {
  if (!process.run || !options_.answer_review || !options_.reload_token || elision_stopped_) return false;
  const sim::Time now = ctx().now();
  const Process::IdleRun& old_run = *process.run;
  // Only a run that ends at a re-read taking a newer token (end_run_before).
  const sim::Time read_at = now + sim::Duration::nanoseconds(1);
  if (last_reload(process, read_at) != read_at) return false;
  const DataValue* held = held_token(process, read_at);
  if (held == nullptr || same_token(*held, old_run.token)) return false;
  // The next tick presents the new token; its answer time, as account_run
  // computes it.
  const std::uint64_t tick = first_tick_after(process.started, now);
  const sim::Time sent = tick_time(process.started, tick);
  if (held_token(process, sent) != held) return false;
  const sim::Time answered =
      sent + review_latency(options_.review_latency, draw_key(process.uid, tick), presentation_latency_cap());
  // The old run's ticks are all answered: the one before this re-read was
  // sent at least a period ago and latencies are capped below half of one.
  if (account_run(key, process)) return false;
  std::optional<TokenReviewResult> result = options_.answer_review(*held, answered);
  if (!result) return false;
  std::optional<IdleVerdict> verdict = run_verdict(key, process, *held, answered, tick);
  if (!verdict) return false;
  const RunningPod* running = entry(key, process.uid);
  if (running == nullptr || running->phase == Phase::kStopped || running->token_volume.empty()) return false;
  // The old run ends here, as close_run would end it, without resuming;
  // the next one takes over from the new token's first tick.
  const DataValue token = *held;
  retire_run(key, process);
  begin_run(key, process, tick, token, presented_secret(*running), *result, std::move(*verdict));
  return true;
}

void Kubelet::record_presentation(const ObjectKey& key, Process& process, sim::Time first, sim::Time at,
                                  std::uint64_t count, const std::string& secret, const TokenReviewResult& result) {
  if (process.last_record) {
    AuthRecord& last = auth_log_[*process.last_record];
    if (last.secret == secret && last.authenticated == result.authenticated && last.username == result.username &&
        last.error == result.error) {
      last.last = at;
      last.count += count;
      return;
    }
  }
  process.last_record = auth_log_.size();
  auth_log_.push_back(AuthRecord{.time = first,
                                 .last = at,
                                 .count = count,
                                 .namespace_ = key.namespace_,
                                 .pod = key.name,
                                 .secret = secret,
                                 .authenticated = result.authenticated,
                                 .username = result.username,
                                 .error = result.error});
}

}  // namespace sasim::model::kubelet
