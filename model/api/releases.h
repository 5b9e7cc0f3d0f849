// The Kubernetes releases sasim simulates, as data: what each component
// reports about itself. Components read this table; nothing compares
// version numbers in code.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sasim::model {

struct Release {
  std::string_view minor;        // "1.20", as scenarios write cluster.version
  std::string_view git_version;  // "v1.20.15": the kubelet's and kube-proxy's nodeInfo, /version
  // What a node of this release reports for its container runtime and OS
  // (illustrative values of a kind node image of that release).
  std::string_view container_runtime_version;
  std::string_view os_image;
  std::string_view kernel_version;
};

// The release of a minor version, or nullopt if it is not simulated.
std::optional<Release> find_release(std::string_view minor);
// The minors simulated, comma-separated, for error messages.
std::string simulated_releases();

}  // namespace sasim::model
