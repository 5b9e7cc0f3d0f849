#include "tools/serve/kubeconfig.h"

#include <fmt/format.h>

#include "model/objects/base64.h"

namespace sasim::tools::serve {

std::string kubeconfig_yaml(const KubeconfigData& data) {
  std::string cluster = fmt::format("    server: {}\n", data.server);
  if (!data.ca_pem.empty()) {
    cluster = fmt::format("    certificate-authority-data: {}\n", model::base64_encode(data.ca_pem)) + cluster;
  }
  return fmt::format(
      "apiVersion: v1\n"
      "kind: Config\n"
      "clusters:\n"
      "- cluster:\n"
      "{}"
      "  name: {}\n"
      "contexts:\n"
      "- context:\n"
      "    cluster: {}\n"
      "    user: {}-admin\n"
      "  name: {}\n"
      "current-context: {}\n"
      "preferences: {{}}\n"
      "users:\n"
      "- name: {}-admin\n"
      "  user:\n"
      "    token: {}\n",
      cluster, data.name, data.name, data.name, data.name, data.name, data.name, data.token);
}

}  // namespace sasim::tools::serve
