#include "model/cluster/node_status_reporter.h"

#include <nlohmann/json.hpp>

#include "model/api/wait_categories.h"

namespace sasim::model {

namespace {

// nodeStatusUpdateFrequency's default: a failed sync is tried again at the next.
constexpr sim::Duration kStatusUpdateFrequency = sim::Duration::seconds(10);
// A kubelet whose status never lands keeps trying; a run stops asking after this many.
constexpr int kMaxAttempts = 60;

}  // namespace

void NodeStatusReporter::report(std::vector<std::string> nodes, versions::ReleaseInfo release) {
  for (std::string& node : nodes) {
    if (started_) {
      spawn(update(std::move(node), release));
    } else {
      pending_.emplace_back(std::move(node), release);
    }
  }
}

void NodeStatusReporter::start() {
  started_ = true;
  for (auto& [node, release] : pending_) spawn(update(std::move(node), release));
  pending_.clear();
}

sim::Task<void> NodeStatusReporter::update(std::string node, versions::ReleaseInfo release) {
  const std::string version(release.git_version);
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    auto request = std::make_unique<ApiRequest>();
    request->verb = Verb::kPatch;
    request->kind = Kind::kNode;
    request->name = node;
    request->subresource = "status";
    request->patch_type = PatchType::kMerge;
    request->merge_patch = std::make_shared<const nlohmann::json>(nlohmann::json{
        {"status",
         {{"nodeInfo",
           {{"containerRuntimeVersion", std::string(release.container_runtime_version)},
            {"kernelVersion", std::string(release.kernel_version)},
            {"kubeProxyVersion", version},
            {"kubeletVersion", version},
            {"osImage", std::string(release.os_image)}}}}}});
    const ApiResponse response = co_await call(std::move(request));
    if (response.ok()) {
      ++written_;
      co_return;
    }
    co_await sleep(kStatusUpdateFrequency, wait::kRetryBackoff);
  }
}

}  // namespace sasim::model
