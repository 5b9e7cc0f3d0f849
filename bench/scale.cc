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
// Every invariant is checked, as users run (`invariants: all`): the
// always-invariants as the apiserver acts, the eventually-invariants at
// quiescence, as a scenario's final settle does. `--invariants none` runs
// without them; `--invariants both` runs the same world without and then
// with them in one process and prints the ratio of the two (so that the
// figures quoted come from one command, under one load), checked against
// `--max-ratio`; `--check-invariants full` evaluates the
// eventually-invariants over the whole store instead of incrementally.
//
// The ratio is taken on the process's CPU time over the same span as the
// stopwatch (building the world, the run, the final eventually-invariants):
// on a shared machine the wall clock also counts other processes' turns.
// The stopwatch's ratio is printed beside it. Other processes still slow
// this one's CPU time by a tenth or more (caches and memory bandwidth are
// shared), so `--repeat K` runs the pair K times, alternating, and takes
// the ratio of the fastest of each: the least disturbed runs.
//
// It also prints where the time and the memory go: wall time per actor
// (the apiserver's share includes the store, admission and the watches'
// fan-out; each controller's includes its informers and queues) and in the
// invariant checker; each lagging cache (the apiserver's authenticator and
// admission caches, every controller's informers) with its entries and the
// object versions only it still holds; heap in use once the world is built,
// at quiescence, and released when the checker is destroyed.
//
// Targets for N=10,000, M=10 (110,000 accounts and token Secrets, RS256):
// under 10 s wall and under 1 GiB peak RSS on a 2-core machine, invariants
// costing at most 1.5 times the run without them; for N=100,000 (1.1 M
// accounts): under 120 s and 6 GiB. Exit code 0 if the outcome is right and
// the targets (when given) are met, 1 if not, 2 on bad options. With
// `--invariants both`, --max-wall applies to the run with invariants, the
// one users run.
//
// Usage: sasim_bench_scale [--namespaces N] [--accounts M] [--seed S] [--es256]
//                          [--invariants all|none|both] [--check-invariants incremental|full]
//                          [--max-wall SECONDS] [--max-rss-mib MIB] [--max-ratio R] [--repeat K]
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "bench/bench_clock.h"
#include "model/auth/builtin_keys.h"
#include "model/client/informer.h"
#include "model/objects/object_index.h"
#include "model/cluster/cluster.h"
#include "model/objects/service_account_token.h"
#include "properties/checker.h"
#include "sim/duration_text.h"
#include "sim/simulator.h"

namespace {

using namespace sasim;
using bench::Clock;
using bench::peak_rss_mib;
using bench::seconds;

struct Options {
  int namespaces = 10'000;
  int accounts = 10;
  std::uint64_t seed = 1;
  bool es256 = false;
  double max_wall = 0;     // 0: not checked
  double max_rss_mib = 0;  // 0: not checked
  double max_ratio = 0;    // 0: not checked; needs --invariants both
  int repeat = 1;          // pairs of runs, with --invariants both
  enum class Invariants { kAll, kNone, kBoth } invariants = Invariants::kAll;
  properties::EvaluationMode mode = properties::EvaluationMode::kIncremental;
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
    } else if (arg == "--invariants" && (v = value()) &&
               (std::string_view(v) == "all" || std::string_view(v) == "none" || std::string_view(v) == "both")) {
      options.invariants = std::string_view(v) == "all"    ? Options::Invariants::kAll
                           : std::string_view(v) == "none" ? Options::Invariants::kNone
                                                           : Options::Invariants::kBoth;
    } else if (arg == "--check-invariants" && (v = value()) &&
               (std::string_view(v) == "incremental" || std::string_view(v) == "full")) {
      options.mode = std::string_view(v) == "full" ? properties::EvaluationMode::kFull
                                                   : properties::EvaluationMode::kIncremental;
    } else if (arg == "--max-wall" && (v = value())) {
      options.max_wall = std::atof(v);
    } else if (arg == "--max-rss-mib" && (v = value())) {
      options.max_rss_mib = std::atof(v);
    } else if (arg == "--max-ratio" && (v = value())) {
      options.max_ratio = std::atof(v);
    } else if (arg == "--repeat" && (v = value())) {
      options.repeat = std::atoi(v);
    } else {
      std::fprintf(stderr, "sasim_bench_scale: bad option %s\n", argv[i]);
      return false;
    }
  }
  if ((options.max_ratio > 0 || options.repeat != 1) && options.invariants != Options::Invariants::kBoth) {
    std::fprintf(stderr, "sasim_bench_scale: --max-ratio and --repeat need --invariants both\n");
    return false;
  }
  return options.namespaces > 0 && options.accounts >= 0 && options.repeat >= 1;
}

double heap_mib() { return static_cast<double>(mallinfo2().uordblks) / (1024.0 * 1024.0); }

// The invariant checker behind a stopwatch: the apiserver calls it from
// inside its own events, so its time is taken out of the apiserver's.
class TimedChecker final : public model::ApiServerObserver {
 public:
  explicit TimedChecker(properties::InvariantChecker& checker) : checker_(checker) {}
  void on_commit(const model::StoreChange& change, sim::Time now) override {
    const auto t = Clock::now();
    checker_.on_commit(change, now);
    spent_ += Clock::now() - t;
  }
  void on_pod_admitted(const model::Pod& pod, const model::PodAdmission& admission, sim::Time now) override {
    const auto t = Clock::now();
    checker_.on_pod_admitted(pod, admission, now);
    spent_ += Clock::now() - t;
  }
  void on_pod_rejected(const model::Pod& pod, const model::ApiStatus& status, const model::PodAdmission& admission,
                       sim::Time now) override {
    const auto t = Clock::now();
    checker_.on_pod_rejected(pod, status, admission, now);
    spent_ += Clock::now() - t;
  }
  void on_token_review(const model::DataValue& token, const model::TokenReviewResult& result, sim::Time now,
                       const std::vector<std::string>& audiences) override {
    const auto t = Clock::now();
    checker_.on_token_review(token, result, now, audiences);
    spent_ += Clock::now() - t;
  }
  Clock::duration spent() const { return spent_; }

 private:
  properties::InvariantChecker& checker_;
  Clock::duration spent_{};
};

// One lagging cache's share of the memory: its entries, and how many hold
// an object version the store no longer has (those versions are its alone;
// every other entry shares the store's object). The index is estimated at
// what a std::map node of an ObjectKey and an ObjectPtr takes with malloc's
// header, short names inline: a lower bound, not a measurement.
struct CacheShare {
  std::size_t entries = 0;
  std::size_t own_versions = 0;
};

CacheShare share_of(const model::client::Informer& cache, const model::Store& store) {
  CacheShare out;
  for (const model::ObjectPtr& object : cache.list()) {
    ++out.entries;
    const model::ObjectMeta& m = model::meta(*object);
    if (store.get(cache.kind(), m.namespace_, m.name) != object) ++out.own_versions;
  }
  return out;
}

// What one thing costs on the heap, measured rather than estimated: the
// heap in use (malloc's own count, headers included) before and after
// making `n` of them, divided by n. The samples are real objects of the run.
std::size_t heap_bytes() { return mallinfo2().uordblks; }

template <class Make>
double bytes_each(std::size_t n, Make&& make) {
  std::vector<std::shared_ptr<const void>> kept;
  kept.reserve(n);
  const std::size_t before = heap_bytes();
  for (std::size_t i = 0; i < n; ++i) kept.push_back(make(i));
  const std::size_t after = heap_bytes();
  return n == 0 ? 0 : static_cast<double>(after - before) / static_cast<double>(n);
}

// One object's own heap: a copy of it as the store holds it (the Object
// allocation and its strings and maps; what it shares with other versions,
// a lazy token or the CA certificate, is not counted again).
double object_bytes(const std::vector<model::ObjectPtr>& samples) {
  return bytes_each(samples.size(), [&](std::size_t i) -> std::shared_ptr<const void> {
    return std::make_shared<const model::Object>(*samples[i]);
  });
}

// One entry of an index by (namespace, name), as the store's tables and the
// informers' caches keep them.
double index_entry_bytes(const std::vector<model::ObjectPtr>& samples) {
  auto index = std::make_shared<model::ObjectIndex>();
  const double each = bytes_each(samples.size(), [&](std::size_t i) -> std::shared_ptr<const void> {
    index->put(samples[i]);
    return nullptr;
  });
  return each;
}

std::vector<model::ObjectPtr> samples_of(const model::Store& store, model::Kind kind, std::size_t n) {
  std::vector<model::ObjectPtr> all = store.list(kind);
  std::vector<model::ObjectPtr> out;
  for (std::size_t i = 0; i < all.size() && out.size() < n; i += std::max<std::size_t>(1, all.size() / n)) {
    out.push_back(all[i]);
  }
  return out;
}

void print_cache(const std::string& owner, const model::client::Informer& cache, const model::Store& store,
                 double entry_bytes) {
  const CacheShare share = share_of(cache, store);
  if (share.entries == 0) return;
  std::printf("    %-28s %-15s %8zu entries, %6zu own versions, index %.1f MiB\n", owner.c_str(),
              std::string(model::kind_name(cache.kind())).c_str(), share.entries, share.own_versions,
              static_cast<double>(share.entries) * entry_bytes / (1024.0 * 1024.0));
}

// What one run of the world came to, over the stopwatch's span.
struct Figures {
  double wall = 0;  // seconds by the stopwatch
  double cpu = 0;   // seconds of the process's CPU time over the same span
  bool ok = false;  // the outcome was right (the targets are checked by the caller)
};

// Builds the world, runs it to quiescence with or without every invariant
// and prints the report; `details`: also where the memory goes (measuring
// it takes longer than the run).
Figures run_world(const Options& options, bool with_invariants, bool details) {
  const auto wall_start = Clock::now();
  const double cpu_start = bench::process_cpu_seconds();
  sim::Simulator simulator(options.seed);
  model::ClusterConfig config = model::default_cluster_config();
  config.namespaces.clear();
  for (int n = 0; n < options.namespaces; ++n) config.namespaces.push_back("ns-" + std::to_string(n));
  if (options.es256) {
    config.signing_key = std::make_shared<const model::auth::SigningKey>(
        model::auth::SigningKey::from_pem(model::auth::builtin_ec_key_pem()).value());
  }
  model::Cluster cluster(simulator, config);
  // Constructed before the accounts: the storage checks start from here.
  std::unique_ptr<properties::InvariantChecker> checker;
  std::unique_ptr<TimedChecker> timed;
  if (with_invariants) {
    std::vector<std::string> names;
    for (const properties::InvariantInfo& info : properties::all_invariants()) names.emplace_back(info.name);
    checker = std::make_unique<properties::InvariantChecker>(cluster, names, nullptr, options.mode);
    timed = std::make_unique<TimedChecker>(*checker);
    cluster.apiserver().add_observer(timed.get());
  }
  for (const std::string& ns : config.namespaces) {
    for (int a = 0; a < options.accounts; ++a) {
      model::ServiceAccount sa;
      sa.metadata.namespace_ = ns;
      sa.metadata.name = "app-" + std::to_string(a);
      cluster.apiserver().bootstrap(model::Object(std::move(sa)));
    }
  }
  const double heap_built = heap_mib();
  // Wall time per actor: from the end of one event to the end of the next
  // is the next event's work (popping it included).
  std::vector<Clock::duration> by_id;  // by actor id; the last slot: events of no actor
  auto last = Clock::now();
  simulator.set_observer([&](const sim::EventView& event) {
    const auto t = Clock::now();
    const std::size_t id = event.actor.valid() ? event.actor.value : simulator.actor_count();
    if (by_id.size() <= id) by_id.resize(id + 1);
    by_id[id] += t - last;
    last = t;
  });
  const auto run_start = Clock::now();
  const sim::RunResult result = simulator.run({.until_quiescent = true});
  const double run_wall = seconds(Clock::now() - run_start);
  simulator.set_observer(nullptr);
  // The final settle's eventually-invariants, as a scenario's end runs them.
  const auto settle_start = Clock::now();
  std::size_t eventually_violations = 0;
  if (checker) eventually_violations = checker->check_eventually(simulator.now());
  const double settle_wall = seconds(Clock::now() - settle_start);
  const double wall = seconds(Clock::now() - wall_start);
  const double cpu = bench::process_cpu_seconds() - cpu_start;
  const double heap_quiescent = heap_mib();

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
  std::printf("  CPU seconds            %.2f (same span)\n", cpu);
  std::printf("  events                 %llu\n", static_cast<unsigned long long>(result.events));
  std::printf("  events/s               %.0f\n", static_cast<double>(result.events) / wall);
  std::printf("  simulated time         %s\n", sim::format_duration(simulator.now().since_start()).c_str());
  std::printf("  simulated s / wall s   %.0f\n", simulated / wall);
  std::printf("  peak RSS               %.0f MiB\n", rss);
  std::printf("  accounts with a token  %zu of %zu; token Secrets %zu\n", with_token, accounts, secrets);
  std::size_t signed_tokens = 0;
  for (const model::ObjectPtr& object : store.list(model::Kind::kSecret)) {
    const model::DataValue* token = std::get<model::Secret>(*object).data_value("token");
    if (token != nullptr && token->lazy() != nullptr && token->lazy()->computed()) ++signed_tokens;
  }
  std::printf("  tokens signed          %zu of %zu (lazy: signed when first read)\n", signed_tokens, secrets);
  if (checker) {
    bool held = true;
    for (const properties::InvariantResult& r : checker->results()) held = held && r.held();
    std::printf("  invariants             all %zu, %s evaluation; %s\n", checker->results().size(),
                options.mode == properties::EvaluationMode::kFull ? "full" : "incremental",
                held ? "every one held" : "VIOLATED");
    if (!held) {
      for (const properties::InvariantResult& r : checker->results()) {
        if (!r.held()) std::printf("    %s: %llu violations\n", std::string(r.info.name).c_str(),
                                   static_cast<unsigned long long>(r.violation_count));
      }
    }
  } else {
    std::printf("  invariants             none\n");
  }

  // Where the time went.
  const double invariants_during = timed ? seconds(timed->spent()) : 0;
  std::printf("  wall time by component (run %.2f s, final eventually-invariants %.2f s)\n", run_wall, settle_wall);
  for (std::size_t id = 0; id < by_id.size(); ++id) {
    double s = seconds(by_id[id]);
    const std::string name = id < simulator.actor_count()
                                 ? simulator.actor_name(sim::ActorId{static_cast<std::uint32_t>(id)})
                                 : std::string("(harness)");
    if (name == model::Cluster::kApiServer) s -= invariants_during;  // the checker runs inside its events
    if (s < 0.005) continue;
    std::printf("    %-28s %7.2f s\n", name.c_str(), s);
  }
  if (timed) {
    std::printf("    %-28s %7.2f s\n", "invariants (as events happen)", invariants_during);
    std::printf("    %-28s %7.2f s\n", "invariants (at quiescence)", settle_wall);
  }

  // Where the memory goes: measured on the run with invariants only.
  if (details) {
    // The lagging caches: the apiserver's own (the authenticator's, and
    // admission's when its lag differs) and each controller's informers.
    std::printf("  caches at quiescence (store: %zu objects, ConfigMaps included; trace: %s)\n",
                store.count(model::Kind::kNamespace) + store.count(model::Kind::kServiceAccount) +
                    store.count(model::Kind::kSecret) + store.count(model::Kind::kConfigMap),
                "not recorded");
    // Measured once per kind, on up to 1,000 of the run's objects.
    constexpr std::size_t kSamples = 1000;
    double entry_bytes[model::kKindCount] = {};
    double own_bytes[model::kKindCount] = {};
    for (model::Kind kind : model::kAllKinds) {
      const std::vector<model::ObjectPtr> samples = samples_of(store, kind, kSamples);
      entry_bytes[static_cast<std::size_t>(kind)] = index_entry_bytes(samples);
      own_bytes[static_cast<std::size_t>(kind)] = object_bytes(samples);
    }
    std::size_t index_entries = 0;  // entries of every lagging cache, the store's tables not included
    double index_bytes = 0;
    auto cache_line = [&](const std::string& owner, const model::client::Informer& cache) {
      index_entries += cache.size();
      index_bytes += static_cast<double>(cache.size()) * entry_bytes[static_cast<std::size_t>(cache.kind())];
      print_cache(owner, cache, store, entry_bytes[static_cast<std::size_t>(cache.kind())]);
    };
    for (model::Kind kind : model::kAllKinds) {
      const model::client::Informer& auth = cluster.apiserver().auth_cache(kind);
      const model::client::Informer& admission = cluster.apiserver().admission_cache(kind);
      cache_line("apiserver (authenticator)", auth);
      if (&admission != &auth) cache_line("apiserver (admission)", admission);
    }
    auto print_informers = [&](const char* name, const model::client::ClientActor* actor) {
      if (actor == nullptr) return;
      for (model::Kind kind : model::kAllKinds) {
        if (const model::client::Informer* informer = actor->informer(kind)) cache_line(name, *informer);
      }
    };
    print_informers(model::Cluster::kTokensController, &cluster.tokens_controller());
    print_informers(model::Cluster::kServiceAccountsController, &cluster.serviceaccounts_controller());
    print_informers(model::Cluster::kNamespaceController, &cluster.namespace_controller());
    print_informers(model::Cluster::kRootCaPublisher, cluster.root_ca_publisher());
    print_informers(model::Cluster::kKubelet, &cluster.kubelet());

    // Where the memory went: heap in use, and what the checker gives back
    // (the rest is the model: the store, the informers' caches, the queues
    // and the tokens, whose actors the simulator owns until the end).
    const double before_checker = heap_mib();
    checker.reset();
    timed.reset();
    const double after_checker = heap_mib();
    std::printf("  heap in use            %.0f MiB built, %.0f MiB at quiescence\n", heap_built, heap_quiescent);
    std::printf("    invariant checker    %.0f MiB\n", before_checker - after_checker);
    std::printf("    model                %.0f MiB (store: %zu objects)\n", after_checker, store.count(model::Kind::kNamespace) +
                                                                               store.count(model::Kind::kServiceAccount) +
                                                                               store.count(model::Kind::kSecret));

    // What one account and its token Secret cost, measured on copies of the
    // run's own objects; the index entries are per index that holds them.
    const double sa_bytes = own_bytes[static_cast<std::size_t>(model::Kind::kServiceAccount)];
    const double secret_bytes = own_bytes[static_cast<std::size_t>(model::Kind::kSecret)];
    const double sa_entry = entry_bytes[static_cast<std::size_t>(model::Kind::kServiceAccount)];
    const double secret_entry = entry_bytes[static_cast<std::size_t>(model::Kind::kSecret)];
    double token_bytes = 0;
    {
      const std::vector<model::ObjectPtr> sas = samples_of(store, model::Kind::kServiceAccount, kSamples);
      const auto& generate = cluster.tokens_controller().tokens_options().token_generator;
      token_bytes = bytes_each(sas.size(), [&](std::size_t i) -> std::shared_ptr<const void> {
        const auto& sa = std::get<model::ServiceAccount>(*sas[i]);
        return generate(sa, sa.metadata.name + "-token-abcde", i);
      });
    }
    const double per_account_checker =
        accounts == 0 ? 0 : (before_checker - after_checker) * 1024.0 * 1024.0 / static_cast<double>(accounts);
    const double per_account_indexes = accounts == 0 ? 0 : index_bytes / static_cast<double>(accounts);
    std::printf("  per account and its token Secret (bytes of heap, measured on copies of %zu of the run's objects)\n",
                kSamples);
    std::printf("    ServiceAccount object         %6.0f\n", sa_bytes);
    std::printf("    token Secret object           %6.0f (its CA certificate shared with every token Secret)\n", secret_bytes);
    std::printf("    its token (lazy, unsigned)    %6.0f\n", token_bytes);
    std::printf("    store entries                 %6.0f (%.0f account, %.0f Secret)\n", sa_entry + secret_entry,
                sa_entry, secret_entry);
    std::printf("    lagging caches' entries       %6.0f (%zu entries in all)\n", per_account_indexes, index_entries);
    std::printf("    invariant checker             %6.0f\n", per_account_checker);
    std::printf("    sum                           %6.0f; the model's heap per account %.0f\n",
                sa_bytes + secret_bytes + token_bytes + sa_entry + secret_entry + per_account_indexes + per_account_checker,
                accounts == 0 ? 0 : after_checker * 1024.0 * 1024.0 / static_cast<double>(accounts));
  }

  const bool ok = accounts == expected && with_token == accounts && secrets == accounts && eventually_violations == 0;
  if (!ok) std::printf("FAIL: expected %zu accounts, each with exactly one token Secret\n", expected);
  return Figures{.wall = wall, .cpu = cpu, .ok = ok};
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (!parse(argc, argv, options)) return 2;
  using Invariants = Options::Invariants;
  // The fastest run of each kind (all of them must be right).
  Figures without{.wall = 1e300, .cpu = 1e300, .ok = true}, with = without;
  auto keep = [](Figures& best, const Figures& run) {
    best.wall = std::min(best.wall, run.wall);
    best.cpu = std::min(best.cpu, run.cpu);
    best.ok = best.ok && run.ok;
  };
  for (int round = 0; round < options.repeat; ++round) {
    if (options.invariants != Invariants::kAll) {
      // Where the memory goes is measured once, on the run users run.
      keep(without, run_world(options, false, options.invariants == Invariants::kNone));
      // What one run's heap leaves behind is handed back before the next is
      // built, so that each starts from a heap like a fresh process's.
      malloc_trim(0);
    }
    if (options.invariants != Invariants::kNone) {
      keep(with, run_world(options, true, round + 1 == options.repeat));
      malloc_trim(0);
    }
    if (options.invariants == Invariants::kBoth && options.repeat > 1) {
      std::printf("round %d of %d: fastest so far, all %.2f s / none %.2f s of CPU time\n", round + 1, options.repeat,
                  with.cpu, without.cpu);
    }
  }
  const Figures& judged = options.invariants == Invariants::kNone ? without : with;
  bool ok = judged.ok && (options.invariants != Invariants::kBoth || without.ok);
  const double rss = peak_rss_mib();
  if (options.invariants == Invariants::kBoth) {
    const double cpu_ratio = with.cpu / without.cpu;
    const double wall_ratio = with.wall / without.wall;
    std::printf("invariants' cost, all / none (fastest of %d each): %.2fx in CPU time (%.2f s / %.2f s), %.2fx by "
                "the stopwatch (%.2f s / %.2f s); peak RSS %.0f MiB\n",
                options.repeat, cpu_ratio, with.cpu, without.cpu, wall_ratio, with.wall, without.wall, rss);
    if (options.max_ratio > 0 && cpu_ratio > options.max_ratio) {
      std::printf("FAIL: invariants cost %.2fx the run without them in CPU time, above the %.2fx target\n", cpu_ratio,
                  options.max_ratio);
      ok = false;
    }
  }
  if (options.max_wall > 0 && judged.wall > options.max_wall) {
    std::printf("FAIL: %.2f s wall exceeds the %.2f s target\n", judged.wall, options.max_wall);
    ok = false;
  }
  if (options.max_rss_mib > 0 && rss > options.max_rss_mib) {
    std::printf("FAIL: %.0f MiB peak exceeds the %.0f MiB target\n", rss, options.max_rss_mib);
    ok = false;
  }
  return ok ? 0 : 1;
}
