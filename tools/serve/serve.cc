#include "tools/serve/serve.h"

#include <openssl/rand.h>
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/format.h>

#include "model/auth/base64.h"
#include "reports/run_text.h"
#include "scenarios/parser.h"
#include "scenarios/writer.h"
#include "sim/duration_text.h"
#include "tools/serve/http_server.h"
#include "tools/serve/kubeconfig.h"
#include "tools/serve/tls.h"

namespace sasim::tools::serve {
namespace {

constexpr int kExitPassed = 0;
constexpr int kExitFailed = 1;
constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 3;

int bad_input(const std::string& message) {
  std::fprintf(stderr, "sasim: error: %s\n", message.c_str());
  return kExitBadInput;
}

// The scenario to serve: the file, or an empty cluster; --version applies
// to either, validated as the scenario format validates cluster.version.
sim::Result<scenarios::Scenario> load_scenario(const ServeOptions& options) {
  std::string text;
  std::string path = options.scenario_file;
  if (path.empty()) {
    text = "name: serve\n";
    path = "serve.yaml";
  } else {
    std::ifstream in(path, std::ios::binary);
    if (!in) return sim::unexpected(sim::Error{path + ": cannot read the file"});
    text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  auto parsed = scenarios::parse_scenario_text(text, path);
  if (!parsed) return sim::unexpected(sim::Error{parsed.error().render()});
  scenarios::Scenario scenario = std::move(parsed).value();
  if (options.version) {
    // Through the parser, so that an unsupported version is reported as a
    // scenario's would be.
    auto check = scenarios::parse_scenario_text("cluster: {version: \"" + *options.version + "\"}\n", "--version");
    if (!check) return sim::unexpected(sim::Error{check.error().render()});
    scenario.cluster.version = check.value().cluster.version;
  }
  return scenario;
}

std::string random_token() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return "";
  std::string hex;
  for (unsigned char b : bytes) hex += fmt::format("{:02x}", b);
  return hex;
}

}  // namespace

int run_serve(const ServeOptions& options) {
  const std::size_t colon = options.listen.rfind(':');
  if (colon == std::string::npos) return bad_input("--listen: expected HOST:PORT, got \"" + options.listen + "\"");
  const std::string host = options.listen.substr(0, colon);
  int port = 0;
  try {
    std::size_t used = 0;
    port = std::stoi(options.listen.substr(colon + 1), &used);
    if (used != options.listen.size() - colon - 1 || port < 0 || port > 65535) throw std::invalid_argument("port");
  } catch (const std::exception&) {
    return bad_input("--listen: the port must be a number from 0 to 65535, got \"" + options.listen + "\"");
  }
  if (!(options.speed > 0)) return bad_input("--speed: must be positive");
  const auto pause = sim::parse_duration(options.pause);
  if (!pause.ok()) return bad_input("--pause: " + pause.error().message);

  auto scenario = load_scenario(options);
  if (!scenario) {
    std::fprintf(stderr, "%s\n", scenario.error().message.c_str());
    return kExitBadInput;
  }

  std::optional<TlsIdentity> tls;
  if (!options.insecure_http) {
    auto made = make_self_signed(host);
    if (!made) return bad_input(made.error().message);
    tls = std::move(made).value();
  }
  const std::string token = random_token();
  if (token.empty()) {
    std::fprintf(stderr, "sasim: internal error: no randomness for the admin token\n");
    return kExitInternal;
  }

  // SIGINT and SIGTERM are taken by one thread with sigwait; every thread
  // started from here inherits the mask. A client that disconnects must not
  // kill the server with SIGPIPE.
  // A shell starts background jobs with SIGINT ignored, and an ignored
  // signal is discarded rather than left pending for sigwait: take it back.
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  SimulationOptions sim_options;
  sim_options.clock = options.clock;
  sim_options.speed = options.speed;
  sim_options.pause = pause.value();
  sim_options.info.version = scenario.value().cluster.version;
  sim_options.admin_token = token;
  sim_options.plain_http = options.insecure_http;
  sim_options.service_accounts = options.service_accounts;
  sim_options.log_requests = !options.quiet;
  sim_options.record = !options.record_file.empty();
  auto simulation = Simulation::start(std::move(scenario).value(), sim_options);
  if (!simulation) {
    std::fprintf(stderr, "%s\n", simulation.error().message.c_str());
    return kExitBadInput;
  }
  Simulation& sim = *simulation.value();

  HttpServer server(sim, HttpServerOptions{.host = host, .port = port, .tls = tls ? &*tls : nullptr,
                                            .threads = options.threads,
                                            .max_waiting = options.max_waiting});
  auto bound = server.bind();
  if (!bound) return bad_input(bound.error().message);
  const std::string address = host + ":" + std::to_string(bound.value());
  sim.set_address(address);
  const std::string url = (options.insecure_http ? "http://" : "https://") + address;

  {
    std::ofstream out(options.kubeconfig, std::ios::binary | std::ios::trunc);
    out << kubeconfig_yaml(KubeconfigData{.server = url, .ca_pem = tls ? tls->certificate_pem : "", .token = token});
    if (!out) return bad_input("--kubeconfig: cannot write " + options.kubeconfig);
  }
  std::error_code ignored;
  std::filesystem::permissions(options.kubeconfig, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                               ignored);
  const std::string kubeconfig = std::filesystem::absolute(options.kubeconfig).string();
  std::printf("sasim serve: %s, Kubernetes %s, clock %s%s\n", url.c_str(), sim_options.info.version.c_str(),
              options.clock == Clock::kSettle ? "settle" : "realtime",
              options.clock == Clock::kRealtime ? fmt::format(" x{}", options.speed).c_str() : "");
  std::printf("kubeconfig: %s\n  export KUBECONFIG=%s\n", kubeconfig.c_str(), kubeconfig.c_str());
  std::printf("ready (Ctrl-C stops and prints the trace digest)\n");
  std::fflush(stdout);

  std::thread http([&server] { server.serve(); });
  std::thread waiter([&] {
    int signal_number = 0;
    sigwait(&signals, &signal_number);
    sim.stop();
    server.stop();
  });
  sim.run();
  server.stop();
  http.join();
  // The waiter leaves with the next signal; it must not outlive `sim`.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();

  Simulation::Summary summary = sim.finish();
  int exit_code = kExitPassed;
  for (const reports::InvariantRecord& inv : summary.record.invariants) {
    for (const reports::ViolationRecord& v : inv.violations) {
      if (!v.known_weakness) exit_code = kExitFailed;
      std::printf("invariant %s %s at %s: %s\n", inv.name.c_str(),
                  v.known_weakness ? "broken by a known upstream weakness" : "VIOLATED",
                  sim::format_duration(v.time.since_start()).c_str(), v.message.c_str());
      if (v.known_weakness) {
        std::printf("  known weakness: %s (%s)\n", v.known_weakness->c_str(), v.known_upstream.value_or("").c_str());
      }
    }
  }
  std::printf("served %zu requests (%zu through the simulation); %llu events, %s simulated\n", summary.requests,
              summary.calls, static_cast<unsigned long long>(summary.record.events),
              sim::format_duration(summary.record.simulated_time.since_start()).c_str());
  std::printf("trace digest %s\n", fmt::format("{:016x}", summary.record.trace_digest).c_str());
  if (!options.record_file.empty()) {
    std::ofstream out(options.record_file, std::ios::binary | std::ios::trunc);
    out << scenarios::write_scenario(summary.recording);
    if (!out) {
      std::fprintf(stderr, "sasim: error: --record: cannot write %s\n", options.record_file.c_str());
      return kExitBadInput;
    }
    std::printf("recorded: %s (sasim run %s replays it)\n", options.record_file.c_str(), options.record_file.c_str());
  }
  return exit_code;
}

}  // namespace sasim::tools::serve
