#include "model/kubelet/kubelet.h"

#include <algorithm>

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

}  // namespace

Kubelet::Kubelet(KubeletOptions options)
    : client::ClientActor(options.client),
      options_(std::move(options)),
      pods_(&add_informer(Kind::kPod, options_.watch_lag)) {
  pods_->add_handlers({
      .on_add =
          [this](const ObjectPtr& o) {
            const ObjectKey key = key_of(*o);
            if (pods_running_.count(key) != 0) return;
            pods_running_[key].uid = meta(*o).uid;
            spawn(run_pod(o));
          },
      .on_update = nullptr,
      .on_delete = [this](const ObjectPtr& o, bool) {
        auto it = pods_running_.find(key_of(*o));
        if (it != pods_running_.end() && it->second.uid == meta(*o).uid) pods_running_.erase(it);
      },
  });
}

void Kubelet::start() { start_informers(); }

void Kubelet::on_crash_reset() {
  // Containers keep running across a kubelet restart in reality; here the
  // restarted kubelet re-lists and restarts them, which is conservative.
  pods_running_.clear();
}

const Kubelet::RunningPod* Kubelet::pod(const std::string& ns, const std::string& name) const {
  auto it = pods_running_.find(ObjectKey{ns, name});
  return it == pods_running_.end() ? nullptr : &it->second;
}

std::optional<DataValue> Kubelet::mounted_token(const std::string& ns, const std::string& name) const {
  const RunningPod* running = pod(ns, name);
  if (running == nullptr || running->token_volume.empty()) return std::nullopt;
  auto it = running->mounted.find(running->token_volume);
  if (it == running->mounted.end() || it->second.second.empty()) return std::nullopt;
  return it->second.second;
}

bool Kubelet::still_running(const ObjectKey& key, const std::string& uid) const {
  auto it = pods_running_.find(key);
  return it != pods_running_.end() && it->second.uid == uid;
}

sim::Task<void> Kubelet::run_pod(ObjectPtr object) {
  const Pod pod = std::get<Pod>(*object);
  const ObjectKey key = key_of(*object);
  const std::string uid = pod.metadata.uid;
  co_await sleep(options_.pod_start_latency.sample(ctx().prng()), wait::kPodStart);

  // Mount the Secret volumes; a missing Secret keeps the pod waiting.
  for (const Volume& volume : pod.spec.volumes) {
    if (!volume.secret) continue;
    sim::Duration backoff = sim::Duration::milliseconds(500);
    const sim::Duration max_backoff = sim::Duration::seconds(122);
    for (;;) {
      if (!still_running(key, uid)) co_return;
      ApiResponse response = co_await get(Kind::kSecret, key.namespace_, volume.secret->secret_name);
      if (!still_running(key, uid)) co_return;
      if (response.ok()) {
        const auto& secret = std::get<Secret>(*response.object);
        const DataValue* token = secret.data_value(kTokenKey);
        pods_running_[key].mounted[volume.name] = {volume.secret->secret_name, token ? *token : DataValue()};
        break;
      }
      if (volume.secret->optional.value_or(false) && is_not_found(*response.error)) break;
      ctx().note("kubelet: MountVolume.SetUp failed for volume \"" + volume.name + "\": " + response.error->message);
      // Periodic, not work: a pod whose Secret never comes keeps the kubelet
      // retrying for ever, and the control plane must still count as settled.
      co_await sleep(backoff, sim::Urgency::kPeriodic, wait::kRetryBackoff);
      backoff = std::min(backoff * 2, max_backoff);
    }
  }
  if (!still_running(key, uid)) co_return;
  RunningPod& running = pods_running_[key];
  running.running = true;
  running.started = ctx().now();
  running.token_volume = token_volume_of(pod);

  // Report Running (PUT pods/status), retrying on conflicts with a fresh copy.
  for (int attempt = 0; attempt < 5; ++attempt) {
    ApiResponse current = co_await get(Kind::kPod, key.namespace_, key.name);
    if (!current.ok() || meta(*current.object).uid != uid) break;
    Pod status = std::get<Pod>(*current.object);
    status.status.phase = PodPhase::kRunning;
    status.status.start_time = ctx().now();
    auto request = std::make_unique<ApiRequest>();
    request->verb = Verb::kUpdate;
    request->kind = Kind::kPod;
    request->namespace_ = key.namespace_;
    request->name = key.name;
    request->subresource = "status";
    request->body = std::make_shared<const Object>(Object(std::move(status)));
    ApiResponse updated = co_await call(std::move(request));
    if (updated.ok() || !is_conflict(*updated.error)) break;
  }
  if (!still_running(key, uid)) co_return;
  spawn(refresh(key, uid));
  spawn(process(key, uid));
}

sim::Task<void> Kubelet::refresh(ObjectKey key, std::string uid) {
  for (;;) {
    co_await sleep(options_.sync_period, sim::Urgency::kPeriodic, wait::kPeriodic);
    if (!still_running(key, uid)) co_return;
    std::vector<std::pair<std::string, std::string>> volumes;  // volume, secret
    for (const auto& [volume, mounted] : pods_running_[key].mounted) volumes.emplace_back(volume, mounted.first);
    for (const auto& [volume, secret_name] : volumes) {
      ApiResponse response = co_await get(Kind::kSecret, key.namespace_, secret_name);
      if (!still_running(key, uid)) co_return;
      if (!response.ok()) continue;  // the last contents stay mounted
      const DataValue* token = std::get<Secret>(*response.object).data_value(kTokenKey);
      pods_running_[key].mounted[volume] = {secret_name, token ? *token : DataValue()};
    }
  }
}

sim::Task<void> Kubelet::process(ObjectKey key, std::string uid) {
  for (;;) {
    co_await sleep(options_.auth_every, sim::Urgency::kPeriodic, wait::kPeriodic);
    if (!still_running(key, uid)) co_return;
    const RunningPod& running = pods_running_[key];
    if (running.token_volume.empty()) continue;  // automount off: nothing to present
    auto mounted = running.mounted.find(running.token_volume);
    if (mounted == running.mounted.end() || mounted->second.second.empty()) continue;
    const std::string secret_name = mounted->second.first;
    TokenReviewResult result = co_await review_token(mounted->second.second.bytes());
    if (!still_running(key, uid)) co_return;
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
