// Scale: N namespaces with M ServiceAccounts each, all created at time 0,
// run until the control plane is quiescent (every account has its token).
//
// It prints wall seconds, events, events/s, the simulated time to
// quiescence, simulated seconds per wall second and peak RSS, and checks
// the outcome (every account references one token Secret, no duplicates),
// so a fast but wrong run cannot pass. The simulated time shows the client
// rate limits at work: at 20 requests/s, the tokens controller's three
// requests per account (GET, CREATE, UPDATE) take hours for 110,000
// accounts, as on a real kube-controller-manager.
//
// Targets for N=10,000, M=10 (110,000 accounts and token Secrets, RS256):
// under 15 s wall and under 1.5 GiB peak RSS on a 2-core machine. Exit code
// 0 if the outcome is right and the targets (when given) are met, 1 if not,
// 2 on bad options.
//
// Usage: sasim_bench_scale [--namespaces N] [--accounts M] [--seed S] [--es256]
//                          [--max-wall SECONDS] [--max-rss-mib MIB]
#include <sys/resource.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "model/auth/builtin_keys.h"
#include "model/cluster/cluster.h"
#include "model/objects/service_account_token.h"
#include "sim/duration_text.h"
#include "sim/simulator.h"

namespace {

using namespace sasim;

struct Options {
  int namespaces = 10'000;
  int accounts = 10;
  std::uint64_t seed = 1;
  bool es256 = false;
  double max_wall = 0;     // 0: not checked
  double max_rss_mib = 0;  // 0: not checked
};

bool parse(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (arg == "--es256") {
      options.es256 = true;
    } else if (arg == "--namespaces" && (v = value())) {
      options.namespaces = std::atoi(v);
    } else if (arg == "--accounts" && (v = value())) {
      options.accounts = std::atoi(v);
    } else if (arg == "--seed" && (v = value())) {
      options.seed = std::strtoull(v, nullptr, 10);
    } else if (arg == "--max-wall" && (v = value())) {
      options.max_wall = std::atof(v);
    } else if (arg == "--max-rss-mib" && (v = value())) {
      options.max_rss_mib = std::atof(v);
    } else {
      std::fprintf(stderr, "sasim_bench_scale: bad option %s\n", argv[i]);
      return false;
    }
  }
  return options.namespaces > 0 && options.accounts >= 0;
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB on Linux
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse(argc, argv, options)) return 2;

  const auto wall_start = std::chrono::steady_clock::now();
  sim::Simulator simulator(options.seed);
  model::ClusterConfig config = model::default_cluster_config();
  config.namespaces.clear();
  for (int n = 0; n < options.namespaces; ++n) config.namespaces.push_back("ns-" + std::to_string(n));
  if (options.es256) {
    config.signing_key = std::make_shared<const model::auth::SigningKey>(
        model::auth::SigningKey::from_pem(model::auth::builtin_ec_key_pem()).value());
  }
  model::Cluster cluster(simulator, config);
  for (const std::string& ns : config.namespaces) {
    for (int a = 0; a < options.accounts; ++a) {
      model::ServiceAccount sa;
      sa.metadata.namespace_ = ns;
      sa.metadata.name = "app-" + std::to_string(a);
      cluster.apiserver().bootstrap(model::Object(std::move(sa)));
    }
  }
  const sim::RunResult result = simulator.run({.until_quiescent = true});
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();

  // The outcome: every account references exactly one existing token Secret.
  const model::Store& store = cluster.apiserver().store();
  std::size_t accounts = 0, with_token = 0;
  for (const model::ObjectPtr& object : store.list(model::Kind::kServiceAccount)) {
    const auto& sa = std::get<model::ServiceAccount>(*object);
    ++accounts;
    if (sa.secrets.size() != 1) continue;
    const auto* secret = model::as<model::Secret>(store.get(model::Kind::kSecret, sa.metadata.namespace_, sa.secrets[0].name));
    if (secret != nullptr && model::is_service_account_token(*secret, sa)) ++with_token;
  }
  const std::size_t secrets = store.count(model::Kind::kSecret);
  const std::size_t expected = static_cast<std::size_t>(options.namespaces) * static_cast<std::size_t>(options.accounts + 1);
  const double simulated = static_cast<double>(simulator.now().since_start().ns()) / 1e9;
  const double rss = peak_rss_mib();

  std::printf("scale: %d namespaces x %d accounts (+ default) = %zu accounts, %s\n", options.namespaces,
              options.accounts, accounts, options.es256 ? "ES256" : "RS256");
  std::printf("  wall seconds           %.2f\n", wall);
  std::printf("  events                 %llu\n", static_cast<unsigned long long>(result.events));
  std::printf("  events/s               %.0f\n", static_cast<double>(result.events) / wall);
  std::printf("  simulated time         %s\n", sim::format_duration(simulator.now().since_start()).c_str());
  std::printf("  simulated s / wall s   %.0f\n", simulated / wall);
  std::printf("  peak RSS               %.0f MiB\n", rss);
  std::printf("  accounts with a token  %zu of %zu; token Secrets %zu\n", with_token, accounts, secrets);

  bool ok = accounts == expected && with_token == accounts && secrets == accounts;
  if (!ok) std::printf("FAIL: expected %zu accounts, each with exactly one token Secret\n", expected);
  if (options.max_wall > 0 && wall > options.max_wall) {
    std::printf("FAIL: %.2f s wall exceeds the %.2f s target\n", wall, options.max_wall);
    ok = false;
  }
  if (options.max_rss_mib > 0 && rss > options.max_rss_mib) {
    std::printf("FAIL: %.0f MiB peak exceeds the %.0f MiB target\n", rss, options.max_rss_mib);
    ok = false;
  }
  return ok ? 0 : 1;
}
