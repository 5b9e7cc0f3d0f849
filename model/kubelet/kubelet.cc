#include "model/kubelet/kubelet.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "model/api/wait_categories.h"
#include "model/objects/constants.h"

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

// "10.244.0.0/24" -> "10.244.0."
std::string network_prefix(const std::string& cidr) {
  const std::size_t dot = cidr.rfind('.', cidr.find('/'));
  return dot == std::string::npos ? cidr : cidr.substr(0, dot + 1);
}

}  // namespace

Kubelet::Kubelet(KubeletOptions options)
    : client::ClientActor(options.client),
      options_(std::move(options)),
      pods_(&add_informer(Kind::kPod, options_.watch_lag)) {
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
            pods_running_.erase(it);
          },
  });
}

void Kubelet::start() { start_informers(); }

void Kubelet::on_crash_reset() {
  // The process is gone, its pods' containers are not: the restarted
  // kubelet finds them again when it re-lists (on_pod adopts them).
  pods_running_.clear();
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

Kubelet::RunningPod* Kubelet::entry(const ObjectKey& key, const std::string& uid) {
  auto it = pods_running_.find(key);
  return it != pods_running_.end() && it->second.uid == uid ? &it->second : nullptr;
}

std::optional<DataValue> Kubelet::mounted_token(const std::string& ns, const std::string& name) const {
  const ObjectKey key{ns, name};
  auto it = pods_running_.find(key);
  if (it != pods_running_.end() && !it->second.token_volume.empty()) {
    auto mounted = it->second.mounted.find(it->second.token_volume);
    if (mounted != it->second.mounted.end() && !mounted->second.second.empty()) return mounted->second.second;
  }
  auto last = last_tokens_.find(key);
  if (last != last_tokens_.end()) return last->second;
  return std::nullopt;
}

void Kubelet::remember_token(const ObjectKey& key) {
  auto it = pods_running_.find(key);
  if (it == pods_running_.end() || it->second.token_volume.empty()) return;
  auto mounted = it->second.mounted.find(it->second.token_volume);
  if (mounted != it->second.mounted.end() && !mounted->second.second.empty()) last_tokens_[key] = mounted->second.second;
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
    if (pod.metadata.deletion_timestamp && !it->second.deleting) {
      it->second.deleting = true;
      spawn(terminate(key, uid));
    }
    return;
  }
  RunningPod& running = pods_running_[key];
  running.uid = uid;
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
      ApiResponse response = co_await get(Kind::kSecret, key.namespace_, volume.secret->secret_name);
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
}

sim::Task<void> Kubelet::run_pod(ObjectPtr object, bool adopt) {
  const Pod pod = std::get<Pod>(*object);
  const ObjectKey key = key_of(*object);
  const std::string uid = pod.metadata.uid;
  if (adopt) {
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
    report_status(key);  // Running
  }
  RunningPod* p = entry(key, uid);
  if (p == nullptr || p->deleting) co_return;
  p->phase = Phase::kRunning;
  p->token_volume = token_volume_of(pod);
  remember_token(key);
  spawn(refresh(key, uid));
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
      ApiResponse current = co_await get(Kind::kPod, key.namespace_, key.name);
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
      ApiResponse updated = co_await call(std::move(request));
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
    ApiResponse response = co_await call(std::move(request));
    if (response.ok() || is_not_found(*response.error) || is_conflict(*response.error)) co_return;
    if (entry(key, uid) == nullptr) co_return;
    co_await sleep(backoff, wait::kRetryBackoff);
    backoff = std::min(backoff * 2, sim::Duration::seconds(10));
  }
}

sim::Task<void> Kubelet::refresh(ObjectKey key, std::string uid) {
  for (;;) {
    co_await sleep(options_.sync_period, sim::Urgency::kPeriodic, wait::kPeriodic);
    RunningPod* p = entry(key, uid);
    if (p == nullptr || p->deleting) co_return;
    std::vector<std::pair<std::string, std::string>> volumes;  // volume, secret
    for (const auto& [volume, mounted] : p->mounted) volumes.emplace_back(volume, mounted.first);
    for (const auto& [volume, secret_name] : volumes) {
      ApiResponse response = co_await get(Kind::kSecret, key.namespace_, secret_name);
      p = entry(key, uid);
      if (p == nullptr || p->deleting) co_return;
      if (!response.ok()) continue;  // the last contents stay mounted
      const DataValue* token = std::get<Secret>(*response.object).data_value(kTokenKey);
      p->mounted[volume] = {secret_name, token ? *token : DataValue()};
      remember_token(key);
    }
  }
}

sim::Task<void> Kubelet::process(ObjectKey key, std::string uid) {
  for (;;) {
    co_await sleep(options_.auth_every, sim::Urgency::kPeriodic, wait::kPeriodic);
    // The process runs until its container stops.
    const RunningPod* running = entry(key, uid);
    if (running == nullptr || running->phase == Phase::kStopped) co_return;
    if (running->token_volume.empty()) continue;  // automount off: nothing to present
    auto mounted = running->mounted.find(running->token_volume);
    if (mounted == running->mounted.end() || mounted->second.second.empty()) continue;
    const std::string secret_name = mounted->second.first;
    TokenReviewResult result = co_await review_token(mounted->second.second.bytes());
    running = entry(key, uid);
    if (running == nullptr || running->phase == Phase::kStopped) co_return;
    auth_log_.push_back(AuthRecord{.time = ctx().now(),
                                   .namespace_ = key.namespace_,
                                   .pod = key.name,
                                   .secret = secret_name,
                                   .authenticated = result.authenticated,
                                   .username = result.username,
                                   .error = result.error});
  }
}

}  // namespace sasim::model::kubelet
