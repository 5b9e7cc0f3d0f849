// `sasim serve`: the scenario's world (or an empty cluster) behind the
// Kubernetes API, for real kubectl and client libraries (docs/serve.md).
#pragma once

#include <optional>
#include <string>

#include "api/access.h"
#include "tools/serve/simulation.h"

namespace sasim::tools::serve {

struct ServeOptions {
  std::string scenario_file;  // empty: an empty cluster
  std::optional<std::string> version;  // --version: cluster.version
  std::string listen = "127.0.0.1:6443";
  std::string kubeconfig = "sasim.kubeconfig";
  Clock clock = Clock::kSettle;
  double speed = 1.0;
  std::string pause = "0s";  // settle: simulated time between quiet and the next request
  std::string record_file;  // --record: the session as a scenario file
  bool insecure_http = false;
  api::ServiceAccountAccess service_accounts = api::ServiceAccountAccess::kReadOnly;
  bool quiet = false;
  int threads = 64;
  int max_waiting = 256;  // connections waiting for a thread; beyond: 429
};

// Serves until SIGINT or SIGTERM, then prints the run's summary and trace
// digest. Exit codes as the contract's: 0 served and the invariants held,
// 1 an invariant was violated, 2 bad input (the scenario, flags, the
// address), 3 an internal error.
int run_serve(const ServeOptions& options);

}  // namespace sasim::tools::serve
