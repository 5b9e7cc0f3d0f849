// The kubeconfig sasim serve writes for kubectl and client libraries: one
// cluster (the server's URL and, over HTTPS, its certificate as the CA), one
// user with the admin token, one context that is current.
#pragma once

#include <string>

namespace sasim::tools::serve {

struct KubeconfigData {
  std::string server;          // https://127.0.0.1:6443
  std::string ca_pem;          // empty over plain HTTP
  std::string token;           // the admin's
  std::string name = "sasim";  // cluster, user and context names
};

std::string kubeconfig_yaml(const KubeconfigData& data);

}  // namespace sasim::tools::serve
