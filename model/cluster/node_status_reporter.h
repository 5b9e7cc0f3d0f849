// The kubelet's node status update after it restarts at another release.
// A restarted kubelet finds its Node already registered
// (registerWithAPIServer: the create answers AlreadyExists) and its first
// status sync patches `status.nodeInfo` with what the new binary and its
// machine report: kubeletVersion and kubeProxyVersion (the kubelet fills
// both with its own version), and the container runtime, OS image and
// kernel. Here those come from the version table's row of the release
// (release_info.h), as a node of that release would report them.
//
// It is an actor of its own, started at the first kubelet upgrade, so that
// runs without one keep their actors and digests; it writes as the
// kubelet's user, through the same transport as every client.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/client/client_actor.h"
#include "model/versions/release_info.h"

namespace sasim::model {

class NodeStatusReporter final : public client::ClientActor {
 public:
  explicit NodeStatusReporter(client::ClientOptions options) : client::ClientActor(std::move(options)) {}

  // PATCH nodes/NAME/status for each node, now (or as soon as this actor
  // has started, the instant it is added); a failed patch is retried as the
  // kubelet's next status sync would (every 10 s) until it lands.
  void report(std::vector<std::string> nodes, versions::ReleaseInfo release);
  std::uint64_t written() const { return written_; }

 protected:
  void start() override;

 private:
  sim::Task<void> update(std::string node, versions::ReleaseInfo release);
  bool started_ = false;
  std::vector<std::pair<std::string, versions::ReleaseInfo>> pending_;
  std::uint64_t written_ = 0;
};

}  // namespace sasim::model
