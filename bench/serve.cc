// sasim serve under load, over HTTPS on loopback, with cpp-httplib clients
// that keep their connections open as kubectl's transport does.
//
// Part 1, kubectl-shaped traffic: 8 clients, each phase a few seconds:
//   GET one ServiceAccount (Accept JSON, as `kubectl get sa X -o yaml`),
//   LIST a namespace of 100 accounts as a Table (as `kubectl get sa`),
//   CREATE accounts (each is then settled: the controllers give it a token).
// For each phase: requests, requests per second, p50 and p99 latency.
// Target: at least 2,000 GETs per second on the 2-core machine.
//
// Part 2, watch fan-out: 16 watchers watch a namespace while 8 clients
// create 10,000 accounts in it. Every create must be answered exactly once
// (201), and every watcher must see each account ADDED exactly once, its
// events in increasing resourceVersion order: nothing lost, nothing twice.
//
// Exit 0 when the checks hold and the GET rate meets --min-get-rate (0: not
// checked), 1 otherwise, 2 on bad options.
//
// Usage: sasim_bench_serve [--seconds S] [--objects N] [--watchers W] [--clients C] [--min-get-rate R]
#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "scenarios/parser.h"
#include "tools/serve/http_server.h"
#include "tools/serve/simulation.h"
#include "tools/serve/tls.h"

namespace {

using namespace sasim;
using Clock = std::chrono::steady_clock;

constexpr const char* kToken = "bench-admin-token";
constexpr const char* kTableAccept =
    "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json";

struct Options {
  double seconds = 4;
  int objects = 10'000;
  int watchers = 16;
  int clients = 8;
  double min_get_rate = 0;
};

std::unique_ptr<httplib::SSLClient> client(int port) {
  auto c = std::make_unique<httplib::SSLClient>("127.0.0.1", port);
  c->enable_server_certificate_verification(false);
  c->set_keep_alive(true);
  // Go writes a request at once; cpp-httplib writes headers and body apart, and
  // Nagle with delayed ACKs would then hold each POST 40 ms.
  c->set_tcp_nodelay(true);
  c->set_read_timeout(60, 0);
  c->set_default_headers({{"Authorization", std::string("Bearer ") + kToken}});
  return c;
}

double percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(rank, values.size() - 1)];
}

struct PhaseResult {
  std::size_t requests = 0;
  std::size_t errors = 0;
  double seconds = 0;
  std::vector<double> latencies_ms;
};

// `clients` threads each send `request(client, thread, n)` for `seconds`.
template <class F>
PhaseResult run_phase(int port, int clients, double seconds, F request) {
  PhaseResult result;
  std::mutex mutex;
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  for (int t = 0; t < clients; ++t) {
    threads.emplace_back([&, t] {
      auto c = client(port);
      std::vector<double> latencies;
      std::size_t errors = 0;
      for (int n = 0; Clock::now() < end; ++n) {
        const auto sent = Clock::now();
        const bool ok = request(*c, t, n);
        latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
        if (!ok) ++errors;
      }
      std::lock_guard lock(mutex);
      result.requests += latencies.size();
      result.errors += errors;
      result.latencies_ms.insert(result.latencies_ms.end(), latencies.begin(), latencies.end());
    });
  }
  for (std::thread& t : threads) t.join();
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

void print_phase(const char* name, PhaseResult& r) {
  const double p50 = percentile(r.latencies_ms, 0.50);
  const double p99 = percentile(r.latencies_ms, 0.99);
  std::printf("%-34s %7zu requests %8.0f /s   p50 %6.2f ms   p99 %6.2f ms   errors %zu\n", name, r.requests,
              static_cast<double>(r.requests) / r.seconds, p50, p99, r.errors);
}

std::string account_body(const std::string& name) {
  return R"({"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":")" + name + R"("}})";
}

bool parse(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    const char* v = i + 1 < argc ? argv[i + 1] : nullptr;
    if (v == nullptr) return false;
    if (arg == "--seconds") options.seconds = std::atof(v);
    else if (arg == "--objects") options.objects = std::atoi(v);
    else if (arg == "--watchers") options.watchers = std::atoi(v);
    else if (arg == "--clients") options.clients = std::atoi(v);
    else if (arg == "--min-get-rate") options.min_get_rate = std::atof(v);
    else return false;
    ++i;
  }
  return options.seconds > 0 && options.objects > 0 && options.watchers > 0 && options.clients > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: sasim_bench_serve [--seconds S] [--objects N] [--watchers W] [--clients C] [--min-get-rate R]\n");
    return 2;
  }
  auto scenario = scenarios::parse_scenario_text("name: bench\ncluster: {namespaces: [default, bench, flood]}\n",
                                                 "bench.yaml");
  if (!scenario) return 2;
  tools::serve::SimulationOptions sim_options;
  sim_options.admin_token = kToken;
  sim_options.log_requests = false;
  sim_options.record = false;
  auto simulation = tools::serve::Simulation::start(std::move(scenario).value(), sim_options);
  auto tls = tools::serve::make_self_signed("127.0.0.1");
  if (!simulation || !tls) {
    std::fprintf(stderr, "setup failed\n");
    return 1;
  }
  tools::serve::Simulation& sim = *simulation.value();
  tools::serve::HttpServer server(sim, {.host = "127.0.0.1", .port = 0, .tls = &tls.value(), .threads = 64});
  auto port = server.bind();
  if (!port) return 1;
  std::thread sim_thread([&] { sim.run(); });
  std::thread http_thread([&] { server.serve(); });
  int failures = 0;

  std::printf("sasim serve under load: HTTPS on loopback, %d clients, %u hardware threads\n", options.clients,
              std::thread::hardware_concurrency());
  // 99 accounts and the namespace's default: a LIST of 100.
  {
    auto c = client(port.value());
    for (int i = 0; i < 99; ++i) {
      c->Post("/api/v1/namespaces/bench/serviceaccounts", account_body(fmt::format("sa-{:03}", i)), "application/json");
    }
  }
  const std::string namespace_path = "/api/v1/namespaces/bench/serviceaccounts";
  PhaseResult gets = run_phase(port.value(), options.clients, options.seconds, [&](httplib::SSLClient& c, int, int n) {
    auto r = c.Get(namespace_path + fmt::format("/sa-{:03}", n % 99), {{"Accept", "application/json"}});
    return r && r->status == 200;
  });
  print_phase("GET a ServiceAccount", gets);
  PhaseResult lists = run_phase(port.value(), options.clients, options.seconds, [&](httplib::SSLClient& c, int, int) {
    auto r = c.Get(namespace_path + "?limit=500", {{"Accept", kTableAccept}});
    return r && r->status == 200 && r->body.find("\"sa-098\"") != std::string::npos;
  });
  print_phase("LIST 100 ServiceAccounts as a Table", lists);
  PhaseResult creates = run_phase(port.value(), options.clients, options.seconds, [&](httplib::SSLClient& c, int t, int n) {
    auto r = c.Post("/api/v1/namespaces/default/serviceaccounts?fieldManager=kubectl-create",
                    account_body(fmt::format("c{}-{}", t, n)), "application/json");
    return r && r->status == 201;
  });
  print_phase("CREATE a ServiceAccount (then settle)", creates);
  const double get_rate = static_cast<double>(gets.requests) / gets.seconds;
  if (gets.errors + lists.errors + creates.errors > 0) ++failures;

  // Part 2: watchers, then the flood.
  struct Watcher {
    std::map<std::string, int> added;
    std::size_t events = 0;
    bool ordered = true;
    std::uint64_t last_rv = 0;
    bool finished = false;
  };
  std::vector<Watcher> watchers(static_cast<std::size_t>(options.watchers));
  std::atomic<int> watching{0};
  std::vector<std::thread> watch_threads;
  for (int w = 0; w < options.watchers; ++w) {
    watch_threads.emplace_back([&, w] {
      Watcher& me = watchers[static_cast<std::size_t>(w)];
      auto c = client(port.value());
      std::string pending;
      bool counted = false;
      c->Get("/api/v1/namespaces/flood/serviceaccounts?watch=true", {{"Accept", "application/json"}},
             [&](const char* data, std::size_t length) {
               if (!counted) {
                 counted = true;
                 ++watching;
               }
               pending.append(data, length);
               std::size_t newline;
               while ((newline = pending.find('\n')) != std::string::npos) {
                 const auto event = nlohmann::json::parse(pending.substr(0, newline));
                 pending.erase(0, newline + 1);
                 ++me.events;
                 const std::string name = event["object"]["metadata"]["name"];
                 const std::uint64_t rv = std::stoull(event["object"]["metadata"]["resourceVersion"].get<std::string>());
                 if (rv <= me.last_rv) me.ordered = false;
                 me.last_rv = rv;
                 if (event["type"] == "ADDED" && name != "default") ++me.added[name];
               }
               // Done once every account has been seen (plus nothing more).
               if (me.added.size() >= static_cast<std::size_t>(options.objects)) {
                 me.finished = true;
                 return false;
               }
               return true;
             });
    });
  }
  // The initial event (default's ADDED) tells that a watch is open.
  while (watching.load() < options.watchers) std::this_thread::sleep_for(std::chrono::milliseconds(10));

  std::mutex answers_mutex;
  std::map<std::string, int> answered;
  std::atomic<int> next{0};
  const auto flood_start = Clock::now();
  std::vector<std::thread> creators;
  for (int t = 0; t < options.clients; ++t) {
    creators.emplace_back([&] {
      auto c = client(port.value());
      for (int i = next++; i < options.objects; i = next++) {
        const std::string name = fmt::format("f{:05}", i);
        auto r = c->Post("/api/v1/namespaces/flood/serviceaccounts", account_body(name), "application/json");
        std::lock_guard lock(answers_mutex);
        if (r && r->status == 201) ++answered[name];
      }
    });
  }
  for (std::thread& t : creators) t.join();
  const double create_seconds = std::chrono::duration<double>(Clock::now() - flood_start).count();
  for (std::thread& t : watch_threads) t.join();
  const double watch_seconds = std::chrono::duration<double>(Clock::now() - flood_start).count();

  std::size_t answered_once = 0;
  for (const auto& [name, count] : answered) answered_once += count == 1 ? 1 : 0;
  const bool creates_ok = answered_once == static_cast<std::size_t>(options.objects) &&
                          answered.size() == static_cast<std::size_t>(options.objects);
  std::printf("flood: %d accounts created by %d clients in %.2f s (%.0f /s), each answered once: %s\n", options.objects,
              options.clients, create_seconds, options.objects / create_seconds, creates_ok ? "yes" : "NO");
  bool watchers_ok = true;
  std::size_t min_events = SIZE_MAX, max_events = 0;
  for (const Watcher& w : watchers) {
    bool once = w.finished && w.ordered && w.added.size() == static_cast<std::size_t>(options.objects);
    for (const auto& [name, count] : w.added) once = once && count == 1;
    watchers_ok = watchers_ok && once;
    min_events = std::min(min_events, w.events);
    max_events = std::max(max_events, w.events);
  }
  std::printf("flood: %d watchers saw every account ADDED exactly once, in resourceVersion order: %s "
              "(%zu..%zu events each, all delivered %.2f s after the first create)\n",
              options.watchers, watchers_ok ? "yes" : "NO", min_events, max_events, watch_seconds);
  if (!creates_ok || !watchers_ok) ++failures;

  sim.stop();
  server.stop();
  sim_thread.join();
  http_thread.join();
  const auto summary = sim.finish();
  std::printf("simulation: %zu requests, %llu events, %s simulated\n", summary.requests,
              static_cast<unsigned long long>(summary.record.events),
              fmt::format("{:.1f} s", static_cast<double>(summary.record.simulated_time.ns()) / 1e9).c_str());
  if (options.min_get_rate > 0) {
    const bool met = get_rate >= options.min_get_rate;
    std::printf("GET rate %.0f /s against the target of %.0f /s: %s\n", get_rate, options.min_get_rate,
                met ? "met" : "MISSED");
    if (!met) ++failures;
  }
  return failures == 0 ? 0 : 1;
}
