// Kubelet: runs every admitted pod (one node; the scheduler is not
// modelled) and the pods' processes.
//
// A new pod starts after `pod_start_latency`: the kubelet fetches each
// Secret its volumes name, retrying with the volume manager's backoff
// (500 ms doubling to 2m2s) while one is missing, as a real kubelet waits
// in ContainerCreating; then it reports the pod Running. Every `sync_period`
// it refreshes the mounted Secrets (a deleted Secret leaves the last
// contents in place). The pod's process presents the token mounted at
// /var/run/secrets/kubernetes.io/serviceaccount to the apiserver every
// `auth_every`; each answer is recorded. That is what makes "a process in
// the pod uses its ServiceAccount's identity" and "the old token is no
// longer valid" observable.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/client/client_actor.h"
#include "model/objects/data_value.h"
#include "sim/distribution.h"

namespace sasim::model::kubelet {

struct KubeletOptions {
  // The kubelet's own client limits (--kube-api-qps 5, --kube-api-burst 10).
  client::ClientOptions client{.user = "kubelet", .qps = 5, .burst = 10};
  sim::Duration sync_period = sim::Duration::minutes(1);
  sim::DurationDistribution pod_start_latency =
      sim::DurationDistribution::lognormal(sim::Duration::seconds(1), sim::Duration::seconds(5)).value();
  sim::Duration auth_every = sim::Duration::seconds(10);
  sim::Duration watch_lag{};
  sim::Duration restart_delay = sim::Duration::seconds(10);
};

// One authentication by a pod's process.
struct AuthRecord {
  sim::Time time;
  std::string namespace_;
  std::string pod;
  std::string secret;  // the Secret whose token was presented
  bool authenticated = false;
  std::string username;
  std::string error;
};

class Kubelet final : public client::ClientActor {
 public:
  explicit Kubelet(KubeletOptions options);

  struct RunningPod {
    std::string uid;
    bool running = false;
    std::optional<sim::Time> started;
    // Secret volume name -> (Secret name, its mounted `token`, if any).
    std::map<std::string, std::pair<std::string, DataValue>> mounted;
    std::string token_volume;  // the volume mounted at the token path, if any
  };

  const std::vector<AuthRecord>& auth_log() const { return auth_log_; }
  const RunningPod* pod(const std::string& ns, const std::string& name) const;
  // The token the process would present now (empty if none is mounted).
  std::optional<DataValue> mounted_token(const std::string& ns, const std::string& name) const;

 protected:
  void start() override;
  void on_crash_reset() override;

 private:
  sim::Task<void> run_pod(ObjectPtr pod);
  sim::Task<void> process(ObjectKey key, std::string uid);
  sim::Task<void> refresh(ObjectKey key, std::string uid);
  bool still_running(const ObjectKey& key, const std::string& uid) const;

  KubeletOptions options_;
  client::Informer* pods_;
  std::map<ObjectKey, RunningPod> pods_running_;
  std::vector<AuthRecord> auth_log_;
};

}  // namespace sasim::model::kubelet
