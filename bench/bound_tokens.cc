// Bound tokens at scale: a 1.25 cluster with N pods (default 10,000), each
// mounting admission's projected kube-api-access-xxxxx volume, run for H
// hours (default 48) of simulated time. The kubelet syncs every pod every
// 60-90 s, refreshes each pod's 3607 s token about every 48 minutes through
// TokenRequests, and each pod's process presents its token every
// `--auth-every` seconds (default 10, the workload's default: 170 million
// presentations in 48 h, most of them accounted for in idle runs, see
// model/kubelet/kubelet.h; `--idle-elision off` dispatches every one).
//
// It prints wall seconds, events, events/s, simulated seconds per wall
// second and peak RSS, and checks the outcome: every pod Running with a
// token in its file that the apiserver accepts as its account, and about
// one refresh per pod per 48 minutes, so a fast but wrong run cannot pass.
//
// Every invariant is checked, as users run (`invariants: all`): the
// always-invariants as the apiserver acts, the eventually-invariants every
// simulated hour (incrementally; running-pods-hold-valid-tokens judges every
// running pod's token each time) and at the end. `--invariants none` runs
// without them, for the ratio.
//
// It also prints the simulator's events by actor, to show where periodic
// work goes.
//
// Target for N=10,000, H=48: under 30 s wall and 2 GiB peak RSS on the
// 2-core machine. Exit 0 if the outcome is right and the targets (when
// given) are met, 1 if not, 2 on bad options.
//
// Usage: sasim_bench_bound_tokens [--pods N] [--hours H] [--namespaces K] [--seed S]
//                                 [--auth-every SECONDS] [--invariants all|none] [--idle-elision on|off]
//                                 [--max-wall SECONDS] [--max-rss-mib MIB]

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
#include "sim/duration_text.h"
#include "sim/simulator.h"

namespace {

using namespace sasim;
using bench::Clock;
using bench::peak_rss_mib;
using bench::seconds;

struct Options {
  int pods = 10'000;
  int hours = 48;
  int namespaces = 100;
  std::uint64_t seed = 1;
  std::int64_t auth_every_seconds = 10;
  bool invariants = true;
  bool idle_elision = true;
  double max_wall = 0;     // 0: not checked
  double max_rss_mib = 0;  // 0: not checked
};

bool parse(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    auto value = [&]() -> const char* { return i + 1 < argc ? argv[++i] : nullptr; };
    const char* v = nullptr;
    if (arg == "--pods" && (v = value())) {
      options.pods = std::atoi(v);
    } else if (arg == "--hours" && (v = value())) {
      options.hours = std::atoi(v);
    } else if (arg == "--namespaces" && (v = value())) {
      options.namespaces = std::atoi(v);
    } else if (arg == "--seed" && (v = value())) {
      options.seed = std::strtoull(v, nullptr, 10);
    } else if (arg == "--auth-every" && (v = value())) {
      options.auth_every_seconds = std::atoll(v);
    } else if (arg == "--invariants" && (v = value()) &&
               (std::string_view(v) == "all" || std::string_view(v) == "none")) {
      options.invariants = std::string_view(v) == "all";
    } else if (arg == "--idle-elision" && (v = value()) &&
               (std::string_view(v) == "on" || std::string_view(v) == "off")) {
      options.idle_elision = std::string_view(v) == "on";
    } else if (arg == "--max-wall" && (v = value())) {
      options.max_wall = std::atof(v);
    } else if (arg == "--max-rss-mib" && (v = value())) {
      options.max_rss_mib = std::atof(v);
    } else {
      std::fprintf(stderr, "sasim_bench_bound_tokens: bad option %s\n", argv[i]);
      return false;
    }
  }
  return options.pods > 0 && options.hours > 0 && options.namespaces > 0 && options.auth_every_seconds > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse(argc, argv, options)) return 2;

  const auto wall_start = Clock::now();
  sim::Simulator simulator(options.seed);
  model::ClusterConfig config = model::default_cluster_config();
  config.version = "1.25";
  config.behaviour = *model::versions::default_behaviour(model::versions::KubeVersion{25});
  config.namespaces = {"default", "kube-node-lease", "kube-public", "kube-system"};
  for (int n = 0; n < options.namespaces; ++n) config.namespaces.push_back("team-" + std::to_string(n));
  // 100 pods a node (the kubelet's default maxPods is 110; each node's
  // host-local range holds 253).
  config.nodes.clear();
  const int nodes = (options.pods + 99) / 100;
  for (int n = 0; n < nodes; ++n) config.nodes.push_back("node-" + std::to_string(n + 1));
  config.kubelet.auth_every = sim::Duration::seconds(options.auth_every_seconds);
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

  // The control plane starts (namespaces' default accounts, kube-root-ca.crt).
  simulator.run({.until = simulator.now() + sim::Duration::minutes(1), .until_quiescent = true});
  const sim::Time t0 = simulator.now();
  // The pods, created through admission as kubectl would, all at once.
  std::size_t created = 0, refused = 0;
  for (int p = 0; p < options.pods; ++p) {
    model::Pod pod;
    pod.metadata.namespace_ = "team-" + std::to_string(p % options.namespaces);
    pod.metadata.name = "app-" + std::to_string(p);
    model::Container container;
    container.name = "app";
    container.image = "nginx";
    pod.spec.containers.push_back(std::move(container));
    auto request = std::make_unique<model::ApiRequest>();
    request->verb = model::Verb::kCreate;
    request->kind = model::Kind::kPod;
    request->namespace_ = pod.metadata.namespace_;
    request->name = pod.metadata.name;
    request->body = std::make_shared<const model::Object>(std::move(pod));
    cluster.submit(std::move(request), [&](model::ApiResponse r) { ++(r.ok() ? created : refused); }, 10);
  }

  // Events by actor.
  std::vector<std::uint64_t> events_by_id;
  std::map<std::string, std::uint64_t> events_by_kind;
  simulator.set_observer([&](const sim::EventView& event) {
    ++events_by_kind[std::string(sim::trace_kind_name(event.kind))];
    const std::size_t id = event.actor.valid() ? event.actor.value : simulator.actor_count();
    if (events_by_id.size() <= id) events_by_id.resize(id + 1);
    ++events_by_id[id];
  });

  std::uint64_t events = 0;
  std::size_t eventually_violations = 0;
  double invariants_wall = 0;
  for (int h = 1; h <= options.hours; ++h) {
    const sim::RunResult result = simulator.run({.until = t0 + sim::Duration::hours(h)});
    events += result.events;
    cluster.kubelet().account_idle_runs();
    if (checker) {
      const auto t = Clock::now();
      eventually_violations += checker->check_eventually(simulator.now());
      invariants_wall += seconds(Clock::now() - t);
    }
  }
  simulator.set_observer(nullptr);
  const double wall = seconds(Clock::now() - wall_start);
  const double rss = peak_rss_mib();

  cluster.kubelet().account_idle_runs();
  // The outcome, judged here: pods Running, each with a token in its file
  // that the apiserver accepts as the pod's account.
  const model::Store& store = cluster.apiserver().store();
  std::size_t running = 0, accepted = 0, reviewed = 0, reviews_sent = 0;
  for (const model::ObjectPtr& object : store.list(model::Kind::kPod)) {
    const auto& pod = std::get<model::Pod>(*object);
    if (pod.status.phase == model::PodPhase::kRunning) ++running;
  }
  // Every pod's file token through the real authenticator (a TokenReview each).
  for (const model::ObjectPtr& object : store.list(model::Kind::kPod)) {
    const auto& pod = std::get<model::Pod>(*object);
    auto token = cluster.kubelet().mounted_token(pod.metadata.namespace_, pod.metadata.name);
    if (!token) continue;
    ++reviews_sent;
    const std::string want = "system:serviceaccount:" + pod.metadata.namespace_ + ":default";
    cluster.review_token(token->bytes(), [&, want](model::TokenReviewResult r) {
      ++reviewed;
      if (r.authenticated && r.username == want) ++accepted;
    });
  }
  const std::size_t to_review = reviews_sent;
  const sim::Time end_of_run = simulator.now();
  simulator.run({.until = simulator.now() + sim::Duration::minutes(5), .stop_when = [&] { return reviewed == to_review; }});
  // 3607 s tokens refreshed from 80 % of their TTL (2886 s) plus up to one
  // pod sync (90 s): between 2877 s and 2976 s apart, counted from each
  // pod's first token's mint (pods start late: the kubelet's 5 qps client
  // paces their start).
  std::size_t refreshes = 0;
  double expected_refreshes = 0;
  for (const model::kubelet::TokenFileChange& change : cluster.kubelet().token_file_log()) {
    if (change.previous_minted) {
      ++refreshes;
    } else {
      // From the first token's mint, not its write: behind a busy client
      // the volume may be written long after the TokenRequest was answered.
      const sim::Time first = change.minted.value_or(change.time);
      const double left = static_cast<double>((simulator.now() - first).ns()) / 1e9;
      expected_refreshes += static_cast<double>(static_cast<std::int64_t>(left / 2930.0));
    }
  }
  const double simulated = static_cast<double>(simulator.now().since_start().ns()) / 1e9;

  std::printf("bound tokens: %d pods on %d nodes in %d namespaces, 1.25, %d h simulated, auth every %llds\n",
              options.pods, nodes, options.namespaces, options.hours,
              static_cast<long long>(options.auth_every_seconds));
  std::printf("  wall seconds           %.2f (eventually-invariants %.2f)\n", wall, invariants_wall);
  std::printf("  events                 %llu\n", static_cast<unsigned long long>(events));
  std::printf("  events/s               %.0f\n", static_cast<double>(events) / wall);
  std::printf("  simulated s / wall s   %.0f\n", simulated / wall);
  std::printf("  peak RSS               %.0f MiB\n", rss);
  std::printf("  pods created           %zu (refused %zu), Running %zu\n", created, refused, running);
  std::printf("  file tokens accepted   %zu of %zu\n", accepted, reviewed);
  std::printf("  token refreshes        %zu (about %.0f expected)\n", refreshes, expected_refreshes);
  // Every presentation authenticated, one per auth_every from each pod's
  // first (a pod's first and last tick may fall either side: one per pod of slack).
  std::uint64_t presentations = 0, rejected = 0;
  std::map<std::string, sim::Time> first_presentation;
  for (const model::kubelet::AuthRecord& record : cluster.kubelet().auth_log()) {
    presentations += record.count;
    if (!record.authenticated) rejected += record.count;
    first_presentation.emplace(record.namespace_ + "/" + record.pod, record.time);
  }
  double expected_presentations = 0;
  for (const auto& [pod, first] : first_presentation) {
    expected_presentations += static_cast<double>((end_of_run - first).ns() / (options.auth_every_seconds * 1'000'000'000LL)) + 1;
  }
  std::printf("  presentations          %llu (%llu in idle runs, %llu runs closed; idle elision %s), %zu records\n",
              static_cast<unsigned long long>(presentations),
              static_cast<unsigned long long>(cluster.kubelet().elided_presentations()),
              static_cast<unsigned long long>(cluster.kubelet().idle_runs_closed()), options.idle_elision ? "on" : "off",
              cluster.kubelet().auth_log().size());
  std::printf("  presentations expected %.0f (+-%zu), rejected %llu\n", expected_presentations, first_presentation.size(),
              static_cast<unsigned long long>(rejected));
  std::printf("  TokenRequests sent     %llu kubelet requests in all\n",
              static_cast<unsigned long long>(cluster.kubelet().requests_sent()));
  bool held = true;
  if (checker) {
    for (const properties::InvariantResult& r : checker->results()) held = held && r.held();
    std::printf("  invariants             all %zu, incremental, every hour; %s\n", checker->results().size(),
                held ? "every one held" : "VIOLATED");
    if (!held) {
      for (const properties::InvariantResult& r : checker->results()) {
        if (!r.held()) {
          std::printf("    %s: %llu violations\n", std::string(r.info.name).c_str(),
                      static_cast<unsigned long long>(r.violation_count));
        }
      }
    }
  } else {
    std::printf("  invariants             none\n");
  }
  std::printf("  events by actor\n");
  for (std::size_t id = 0; id < events_by_id.size(); ++id) {
    if (events_by_id[id] == 0) continue;
    const std::string name = id < simulator.actor_count() ? std::string(simulator.actor_name(sim::ActorId{static_cast<std::uint32_t>(id)})) : "(none)";
    std::printf("    %-28s %llu\n", name.c_str(), static_cast<unsigned long long>(events_by_id[id]));
  }

  std::printf("  events by kind\n");
  for (const auto& [kind, count] : events_by_kind) {
    std::printf("    %-28s %llu\n", kind.c_str(), static_cast<unsigned long long>(count));
  }

  const double slack = static_cast<double>(first_presentation.size());
  const bool outcome = running == static_cast<std::size_t>(options.pods) && accepted == running && held &&
                       rejected == 0 && first_presentation.size() == running &&
                       static_cast<double>(presentations) >= expected_presentations - slack &&
                       static_cast<double>(presentations) <= expected_presentations + slack &&
                       static_cast<double>(refreshes) > 0.9 * expected_refreshes &&
                       static_cast<double>(refreshes) < 1.1 * expected_refreshes;
  const bool wall_ok = options.max_wall <= 0 || wall <= options.max_wall;
  const bool rss_ok = options.max_rss_mib <= 0 || rss <= options.max_rss_mib;
  std::printf("  outcome                %s%s%s\n", outcome ? "right" : "WRONG", wall_ok ? "" : "; wall target MISSED",
              rss_ok ? "" : "; RSS target MISSED");
  (void)eventually_violations;
  return outcome && wall_ok && rss_ok ? 0 : 1;
}
