// Two years: a 1.30 cluster with K namespaces (default 1,000), A accounts
// (default 5,000: each namespace's default and four more) and P running
// pods (default 2,000, spread over the namespaces and their accounts), run
// for D days (default 730) of simulated time with every invariant on.
//
// What it costs: the kubelet syncs every pod every 60-90 s and refreshes
// each pod's 3607 s token about every 48 minutes (a TokenRequest, a new
// token in the pod's file: observable, so never elided); each pod's process
// presents its token every 10 s (the workload's default), which idle runs
// account for in one step while nothing changes (model/kubelet/kubelet.h).
//
// It checks the outcome, so that a fast wrong run cannot pass: every pod
// Running with a file token the apiserver accepts as its own account, every
// presentation authenticated and one per 10 s from each pod's first, about
// one refresh per pod per 48 minutes, every account still there, every
// invariant held. It prints wall seconds, events, peak RSS and where the
// events went.
//
// Target for the defaults: under 60 s wall on the 2-core machine. Exit 0 if
// the outcome is right and the targets (when given) are met, 1 if not, 2 on
// bad options.
//
// Usage: sasim_bench_two_years [--days D] [--namespaces K] [--accounts-per-namespace N]
//                              [--pods P] [--seed S] [--idle-elision on|off]
//                              [--invariants all|none] [--max-wall SECONDS] [--max-rss-mib MIB]

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bench/bench_clock.h"
#include "model/cluster/cluster.h"
#include "model/versions/feature_gates.h"
#include "properties/checker.h"
#include "sim/simulator.h"

namespace {

using namespace sasim;
using bench::Clock;
using bench::peak_rss_mib;
using bench::seconds;

struct Options {
  int days = 730;
  int namespaces = 1'000;
  int accounts_per_namespace = 5;
  int pods = 2'000;
  std::uint64_t seed = 1;
  bool idle_elision = true;
  bool invariants = true;
  double max_wall = 0;
  double max_rss_mib = 0;
};

bool parse(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (arg == "--days" && (v = value())) {
      options.days = std::atoi(v);
    } else if (arg == "--namespaces" && (v = value())) {
      options.namespaces = std::atoi(v);
    } else if (arg == "--accounts-per-namespace" && (v = value())) {
      options.accounts_per_namespace = std::atoi(v);
    } else if (arg == "--pods" && (v = value())) {
      options.pods = std::atoi(v);
    } else if (arg == "--seed" && (v = value())) {
      options.seed = std::strtoull(v, nullptr, 10);
    } else if (arg == "--idle-elision" && (v = value()) &&
               (std::string_view(v) == "on" || std::string_view(v) == "off")) {
      options.idle_elision = std::string_view(v) == "on";
    } else if (arg == "--invariants" && (v = value()) &&
               (std::string_view(v) == "all" || std::string_view(v) == "none")) {
      options.invariants = std::string_view(v) == "all";
    } else if (arg == "--max-wall" && (v = value())) {
      options.max_wall = std::atof(v);
    } else if (arg == "--max-rss-mib" && (v = value())) {
      options.max_rss_mib = std::atof(v);
    } else {
      std::fprintf(stderr, "sasim_bench_two_years: bad option %s\n", argv[i]);
      return false;
    }
  }
  return options.days > 0 && options.namespaces > 0 && options.accounts_per_namespace > 0 && options.pods > 0;
}

std::string account_name(int index) { return index == 0 ? "default" : "robot-" + std::to_string(index); }

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse(argc, argv, options)) return 2;
  const auto wall_start = Clock::now();
  sim::Simulator simulator(options.seed);
  model::ClusterConfig config = model::default_cluster_config();
  config.version = "1.30";
  config.behaviour = *model::versions::default_behaviour(model::versions::KubeVersion{30});
  config.namespaces = {"default", "kube-node-lease", "kube-public", "kube-system"};
  for (int n = 0; n < options.namespaces; ++n) config.namespaces.push_back("team-" + std::to_string(n));
  config.nodes.clear();
  const int nodes = (options.pods + 99) / 100;
  for (int n = 0; n < nodes; ++n) config.nodes.push_back("node-" + std::to_string(n + 1));
  config.kubelet.idle_elision = options.idle_elision;
  model::Cluster cluster(simulator, config);

  std::unique_ptr<properties::InvariantChecker> checker;
  if (options.invariants) {
    std::vector<std::string> names;
    for (const properties::InvariantInfo& info : properties::all_invariants()) names.emplace_back(info.name);
    checker = std::make_unique<properties::InvariantChecker>(cluster, names, nullptr,
                                                             properties::EvaluationMode::kIncremental);
    cluster.apiserver().add_observer(checker.get());
  }
  simulator.run({.until = simulator.now() + sim::Duration::minutes(1), .until_quiescent = true});

  std::size_t created = 0, refused = 0;
  auto submit = [&](model::Object object) {
    auto request = std::make_unique<model::ApiRequest>();
    request->verb = model::Verb::kCreate;
    request->kind = model::kind_of(object);
    request->namespace_ = model::meta(object).namespace_;
    request->name = model::meta(object).name;
    request->body = std::make_shared<const model::Object>(std::move(object));
    cluster.submit(std::move(request), [&](model::ApiResponse r) { ++(r.ok() ? created : refused); }, 10);
  };
  // The accounts first (the controller makes each namespace's default),
  // then the pods, each with one of its namespace's accounts.
  for (int n = 0; n < options.namespaces; ++n) {
    for (int a = 1; a < options.accounts_per_namespace; ++a) {
      model::ServiceAccount sa;
      sa.metadata.namespace_ = "team-" + std::to_string(n);
      sa.metadata.name = account_name(a);
      submit(std::move(sa));
    }
  }
  simulator.run({.until = simulator.now() + sim::Duration::minutes(10), .until_quiescent = true});
  std::map<std::string, std::string> account_of;  // ns/pod -> account
  for (int p = 0; p < options.pods; ++p) {
    model::Pod pod;
    pod.metadata.namespace_ = "team-" + std::to_string(p % options.namespaces);
    pod.metadata.name = "app-" + std::to_string(p);
    pod.spec.service_account_name = account_name((p / options.namespaces) % options.accounts_per_namespace);
    account_of[pod.metadata.namespace_ + "/" + pod.metadata.name] = pod.spec.service_account_name;
    model::Container container;
    container.name = "app";
    container.image = "nginx";
    pod.spec.containers.push_back(std::move(container));
    submit(std::move(pod));
  }
  const sim::Time t0 = simulator.now();

  std::vector<std::uint64_t> events_by_id;
  simulator.set_observer([&](const sim::EventView& event) {
    const std::size_t id = event.actor.valid() ? event.actor.value : simulator.actor_count();
    if (events_by_id.size() <= id) events_by_id.resize(id + 1);
    ++events_by_id[id];
  });
  std::uint64_t events = 0;
  double invariants_wall = 0;
  for (int d = 1; d <= options.days; ++d) {
    events += simulator.run({.until = t0 + sim::Duration::hours(24 * d)}).events;
    cluster.kubelet().account_idle_runs();
    if (checker) {
      const auto t = Clock::now();
      checker->check_eventually(simulator.now());
      invariants_wall += seconds(Clock::now() - t);
    }
  }
  simulator.set_observer(nullptr);
  const double wall = seconds(Clock::now() - wall_start);
  const double rss = peak_rss_mib();
  const sim::Time end = simulator.now();

  // The outcome, judged here.
  const model::Store& store = cluster.apiserver().store();
  std::size_t running = 0, accounts = 0;
  for (const model::ObjectPtr& object : store.list(model::Kind::kPod)) {
    if (std::get<model::Pod>(*object).status.phase == model::PodPhase::kRunning) ++running;
  }
  for (const model::ObjectPtr& object : store.list(model::Kind::kServiceAccount)) {
    if (model::meta(*object).namespace_.starts_with("team-")) ++accounts;
  }
  std::size_t accepted = 0, reviewed = 0, to_review = 0;
  for (const model::ObjectPtr& object : store.list(model::Kind::kPod)) {
    const auto& pod = std::get<model::Pod>(*object);
    auto token = cluster.kubelet().mounted_token(pod.metadata.namespace_, pod.metadata.name);
    if (!token) continue;
    ++to_review;
    const std::string want = "system:serviceaccount:" + pod.metadata.namespace_ + ":" + pod.spec.service_account_name;
    cluster.review_token(token->bytes(), [&, want](model::TokenReviewResult r) {
      ++reviewed;
      if (r.authenticated && r.username == want) ++accepted;
    });
  }
  simulator.run({.until = simulator.now() + sim::Duration::minutes(5), .stop_when = [&] { return reviewed == to_review; }});

  std::uint64_t presentations = 0, rejected = 0;
  std::map<std::string, sim::Time> first;
  for (const model::kubelet::AuthRecord& record : cluster.kubelet().auth_log()) {
    if (record.time > end) continue;
    presentations += record.count;
    if (!record.authenticated) rejected += record.count;
    first.emplace(record.namespace_ + "/" + record.pod, record.time);
  }
  double expected_presentations = 0;
  for (const auto& [pod, at] : first) expected_presentations += static_cast<double>((end - at).ns() / 10'000'000'000LL) + 1;
  std::size_t refreshes = 0;
  double expected_refreshes = 0;
  for (const model::kubelet::TokenFileChange& change : cluster.kubelet().token_file_log()) {
    if (change.previous_minted) {
      ++refreshes;
    } else {
      expected_refreshes += static_cast<double>(static_cast<std::int64_t>(static_cast<double>((end - change.time).ns()) / 1e9 / 2930.0));
    }
  }
  bool held = true;
  if (checker) {
    for (const properties::InvariantResult& r : checker->results()) held = held && r.held();
  }

  std::printf("two years: %d namespaces, %zu accounts, %d pods on %d nodes, 1.30, %d days simulated, auth every 10s\n",
              options.namespaces, accounts, options.pods, nodes, options.days);
  std::printf("  wall seconds           %.2f (eventually-invariants %.2f)\n", wall, invariants_wall);
  std::printf("  events                 %llu (%.0f a simulated day)\n", static_cast<unsigned long long>(events),
              static_cast<double>(events) / options.days);
  std::printf("  events/s               %.0f\n", static_cast<double>(events) / wall);
  std::printf("  peak RSS               %.0f MiB\n", rss);
  std::printf("  objects created        %zu (refused %zu), pods Running %zu\n", created, refused, running);
  std::printf("  file tokens accepted   %zu of %zu\n", accepted, reviewed);
  std::printf("  presentations          %llu (%llu in idle runs, %llu runs closed; idle elision %s), %zu records\n",
              static_cast<unsigned long long>(presentations),
              static_cast<unsigned long long>(cluster.kubelet().elided_presentations()),
              static_cast<unsigned long long>(cluster.kubelet().idle_runs_closed()), options.idle_elision ? "on" : "off",
              cluster.kubelet().auth_log().size());
  std::printf("  presentations expected %.0f (+-%zu), rejected %llu\n", expected_presentations, first.size(),
              static_cast<unsigned long long>(rejected));
  std::printf("  token refreshes        %zu (about %.0f expected)\n", refreshes, expected_refreshes);
  std::printf("  invariants             %s\n", !checker ? "none" : held ? "all held" : "VIOLATED");
  std::printf("  events by actor\n");
  for (std::size_t id = 0; id < events_by_id.size(); ++id) {
    if (events_by_id[id] == 0) continue;
    const std::string name = id < simulator.actor_count() ? std::string(simulator.actor_name(sim::ActorId{static_cast<std::uint32_t>(id)})) : "(none)";
    std::printf("    %-28s %llu\n", name.c_str(), static_cast<unsigned long long>(events_by_id[id]));
  }
  const double slack = static_cast<double>(first.size());
  const bool outcome = running == static_cast<std::size_t>(options.pods) && accepted == running &&
                       accounts == static_cast<std::size_t>(options.namespaces * options.accounts_per_namespace) &&
                       held && rejected == 0 && first.size() == running &&
                       static_cast<double>(presentations) >= expected_presentations - slack &&
                       static_cast<double>(presentations) <= expected_presentations + slack &&
                       static_cast<double>(refreshes) >= 0.9 * expected_refreshes &&
                       static_cast<double>(refreshes) <= 1.1 * expected_refreshes + options.pods;
  const bool wall_ok = options.max_wall <= 0 || wall <= options.max_wall;
  const bool rss_ok = options.max_rss_mib <= 0 || rss <= options.max_rss_mib;
  std::printf("  outcome                %s%s%s\n", outcome ? "right" : "WRONG", wall_ok ? "" : "; wall target MISSED",
              rss_ok ? "" : "; RSS target MISSED");
  return outcome && wall_ok && rss_ok ? 0 : 1;
}
