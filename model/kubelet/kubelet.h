// Kubelet: the kubelets of the cluster's nodes, as one actor, and the
// processes of the pods they run. It runs the pods bound to its nodes
// (cluster.nodes); a pod bound to any other node is nobody's.
//
// A pod bound here is synced at once: the kubelet reports it Pending
// (ContainerCreating, hostIP, startTime). Its containers start after
// `pod_start_latency`; before that the kubelet fetches each Secret its
// volumes name, retrying with the volume manager's backoff (500 ms doubling
// to 2m2s) while one is missing, as a real kubelet waits in
// ContainerCreating. Then the pod gets an IP from its node's pod CIDR
// (host-local IPAM: the next free address after the last one handed out)
// and is reported Running. The kubelet syncs each running pod again after
// `sync_period` times a jitter in [1, 1.5) (10 s to 15 s after a sync that
// failed), rewriting its Secret volumes (a deleted Secret leaves the last
// contents in place) and its projected volumes (projected_volume.h): a
// projected token comes from the token manager (token_manager.h), whose
// TokenRequests are the kubelet's own API calls, so faults on its transport
// apply; its ConfigMaps (kube-root-ca.crt) come from the kubelet's watch of
// ConfigMaps. A projected volume is rewritten only when every source resolved
// (all-or-nothing); otherwise it keeps its files. A terminating pod is no
// longer synced, so its token is no longer rotated (K13).
//
// Idle runs. A presentation costs an event chain (the tick, the message,
// the apiserver's latency, the answer). When one was answered and nothing
// it read can change the next answer (the authenticator's caches and
// storage unchanged, the process's token unchanged, no time threshold of
// the token or its objects ahead), the process stops ticking and keeps an
// idle run instead: the ticks from the next on are accounted for when the
// run closes, in one step, extending its AuthRecord (count, last) and
// telling the apiserver's observers. A run closes at its horizon (a kubelet
// timer; a newer token in the file moves it to just before the process's
// next re-read), when its process stops or goes, when the kubelet crashes,
// and, through the apiserver's hook, just before a write to storage or to
// the authenticator's caches of an object its answer reads (IdleVerdict::
// reads: the pod, its namespace and account, what the token names), so
// that what it accounts for is judged against what those presentations
// read. Ticks
// answered before the close are accounted for; a tick sent but not yet
// answered is sent again with its original send time, so the apiserver
// answers it when it would have; then the process ticks again. Tick times
// are fixed (started + k * auth_every) and each presentation's latency is a
// counter-based draw capped below half a period, so both are known without
// simulating them. Faults on the way are not modelled in a run: the
// Cluster turns elision off when faults may start (cluster.h).
//
// A refresh hands a run over. When a run reaches the re-read that takes a
// newer token from the file, the presentation of the new token at the next
// tick is not dispatched either: the apiserver says now what it would
// answer at that tick's answer time (answer_review; only for tokens whose
// review writes nothing), and a new run starts at that tick with that
// answer. If something the new token's answer reads is written before the
// answer time, the hook closes the new run as any other, and the tick on
// its way is sent again with its send time, so the apiserver judges it
// against the write as it would have.
//
// The pod's process holds the token mounted at
// /var/run/secrets/kubernetes.io/serviceaccount: it re-reads the file every
// minute after it started (`reload_token`, client-go >= 0.15), or only once
// at start (old clients, kubernetes#77651). It presents what it holds to
// the apiserver every `auth_every`; each answer is recorded.
//
// Idle syncs. A pod sync whose outcome is provably the same as the last one
// (no Secret volume to GET, no token refresh due, nothing it reads changed)
// is not dispatched. Sync n of a pod comes `sync_period` times a jitter in
// [1, 1.5) after sync n-1, and each token lookup's refresh jitter (0-9 whole
// seconds) is a draw named by the pod's incarnation, the sync's index and
// the source's index, so the time of every future sync and whether it finds
// a refresh due are computable. After a successful sync the kubelet sleeps
// until the first later sync that finds a refresh due (or for ever if none
// will); a change it reads (an update of the pod, any ConfigMap event in
// its namespace, a fault, a crash) makes the first sync at or after that
// moment run. The syncs slept over are accounted for (their coverage
// probes) when the sleep ends or whoever reads the figures asks
// (account_idle_runs).
//
// Graceful deletion: once a pod has a deletionTimestamp the kubelet stops
// its containers, which takes `pod_stop_latency` (capped by the grace
// period: processes are assumed to exit on SIGTERM), reports them
// terminated, and confirms the deletion with a DELETE of grace period 0 and
// the pod's uid as precondition, retrying until it is answered; a pod whose
// containers never started is confirmed at once. Status writes are a GET
// and a PUT of pods/status, coalesced per pod as the status manager does,
// through the kubelet's own client limits (5 qps, burst 10), one token
// bucket per node as each node's kubelet has its own client: a busy node
// does not slow another's pods. The informers use the first node's.
//
// A restarted kubelet finds the pods of its nodes again: a pod already
// Running keeps running (its containers outlived the kubelet), with its
// volumes mounted anew; any other starts over.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "model/client/client_actor.h"
#include "model/kubelet/pod_status.h"
#include "model/kubelet/projected_volume.h"
#include "model/kubelet/token_manager.h"
#include "model/objects/data_value.h"
#include "sim/distribution.h"

namespace sasim::model::kubelet {

// A node this kubelet runs: its name, InternalIP and pod CIDR (a /24).
struct NodeInfo {
  std::string name;
  std::string internal_ip;
  std::string pod_cidr;
};

// What an idle run may assume (see "Idle runs" above): its answer repeats
// until `horizon` unless one of the objects it reads is written first.
struct IdleVerdict {
  sim::Time horizon{};
  // The objects the answer and its judgment read: the pod, its namespace
  // and ServiceAccount, and those the token's claims name. A write to any
  // of them (in storage or in the authenticator's caches) closes the run.
  std::vector<ObjectId> reads{};
  // The token's shape is not known: any write closes the run.
  bool reads_anything = false;
};

struct KubeletOptions {
  // The kubelet's own client limits (--kube-api-qps 5, --kube-api-burst 10),
  // each node's own.
  client::ClientOptions client{.user = "kubelet", .qps = 5, .burst = 10};
  std::vector<NodeInfo> nodes{};
  sim::Duration sync_period = sim::Duration::minutes(1);
  sim::DurationDistribution pod_start_latency =
      sim::DurationDistribution::lognormal(sim::Duration::seconds(1), sim::Duration::seconds(5)).value();
  // How long a pod's containers take to exit once asked to stop.
  sim::DurationDistribution pod_stop_latency =
      sim::DurationDistribution::lognormal(sim::Duration::milliseconds(500), sim::Duration::seconds(2)).value();
  // The pod's process presents its token at every multiple of auth_every
  // after it started (a ticker: a presentation still unanswered at a tick
  // lets that tick pass).
  sim::Duration auth_every = sim::Duration::seconds(10);
  // Names each presentation's counter-based latency draw (TokenReview::
  // draw_key) together with the pod's uid and the tick's index; the Cluster
  // derives it from the seed.
  std::uint64_t presentation_salt = 1;
  // The apiserver's latency distribution (what review_latency draws from).
  sim::DurationDistribution review_latency = sim::DurationDistribution::constant(sim::Duration::milliseconds(2));
  // Idle elision: a presentation whose outcome provably repeats until some
  // time is not dispatched one by one; a run of them is accounted for in
  // one step (see "Idle runs" above). Off: every presentation is an event
  // chain, the reference the equality tests compare against.
  bool idle_elision = true;
  // Until when a presentation of `token` by the pod `ns/name` answers as it
  // did just now, from time alone (expiry and warning thresholds, deletion
  // grace, the date), and which objects that answer reads: the Cluster's,
  // which sees the apiserver's objects. A horizon at `now` or earlier: it
  // cannot tell (no run then). Unset: no elision.
  std::function<IdleVerdict(const std::string& ns, const std::string& name, const DataValue& token, sim::Time now)>
      verdict_horizon{};
  // Tells the apiserver's observers of the reviews a run accounted for.
  std::function<void(const DataValue& token, const TokenReviewResult& result, std::uint64_t count,
                     const std::function<sim::Time(std::uint64_t)>& time_of)>
      reviews_repeated{};
  // What the apiserver would answer a presentation of `token` judged at
  // `at`, with what it knows now, without serving it; nullopt if it cannot
  // tell (a token whose review writes, the apiserver down). Lets a run go on
  // across a token refresh (see "Idle runs"). Unset: every refresh ends its
  // run and the new token's first presentation is dispatched.
  std::function<std::optional<TokenReviewResult>(const DataValue& token, sim::Time at)> answer_review{};
  // workload.reloadToken: the process re-reads its token file every minute
  // (true) or reads it once at start (false).
  bool reload_token = true;
  // Deliberately broken (broken_variants.h, kubelet-never-refreshes): the
  // token manager hands back a cached token however old, never refreshing it.
  bool broken_never_refresh = false;
  sim::Duration watch_lag{};
  sim::Duration restart_delay = sim::Duration::seconds(10);
  std::int64_t epoch_unix_seconds = 1577836800;  // cluster.startTime, for the times in statuses
};

// A run of a pod's process's authentications with the same outcome: the
// first at `time`, the last at `last`, `count` in all. A presentation whose
// outcome equals its pod's latest record's extends that record, so a pod
// that authenticates for days keeps one record, not one per presentation.
struct AuthRecord {
  sim::Time time;
  sim::Time last;
  std::uint64_t count = 1;
  std::string namespace_;
  std::string pod;
  std::string secret;  // the Secret whose token was presented (empty for a projected token)
  bool authenticated = false;
  std::string username;
  std::string error;
};

// The pod's token file got a different token (a projected volume's refresh,
// or a Secret volume rewritten): what spans and invariants read.
struct TokenFileChange {
  sim::Time time;
  std::string namespace_;
  std::string pod;
  std::string pod_uid;
  // A projected token's mint (its TokenRequest's status expiry less its
  // TTL); nullopt for a Secret volume's token.
  std::optional<sim::Time> minted{};
  // The replaced token's mint, if it was a projected token.
  std::optional<sim::Time> previous_minted{};
};

class Kubelet final : public client::ClientActor {
 public:
  explicit Kubelet(KubeletOptions options);

  // The records, brought up to now first: presentations that idle runs
  // accounted for so far are in them (account_idle_runs; logically const,
  // since those presentations have happened).
  const std::vector<AuthRecord>& auth_log() const {
    const_cast<Kubelet*>(this)->account_idle_runs();
    return auth_log_;
  }
  // The token the pod's process would present now: what is mounted at the
  // token path; once the pod is gone (or no longer mounts one), the last
  // token it had. Empty if it never had one.
  std::optional<DataValue> mounted_token(const std::string& ns, const std::string& name) const;
  // The token the pod's process holds at `now` (see reload_token); once the
  // pod is gone, the last one it held. Empty if it never held one.
  std::optional<DataValue> process_token(const std::string& ns, const std::string& name, sim::Time now) const;
  // Whether the pod's containers run here now (its process holds a token
  // only then).
  bool is_running(const std::string& ns, const std::string& name) const;
  const std::vector<TokenFileChange>& token_file_log() const { return token_file_log_; }
  const TokenManager& token_manager() const { return token_manager_; }

  // Closes every idle run now (anything the authenticator reads may
  // change); the processes tick again.
  void close_idle_runs();
  // Closes the idle runs whose answers read `changed` (it is about to be
  // written), before the write; the others go on.
  void close_idle_runs_reading(const ObjectId& changed);
  // Turns idle elision off for the rest of the run (faults may start),
  // closing the runs.
  void stop_idle_elision();
  // Brings auth_log() and the apiserver's observers up to now: every idle
  // run's presentations answered so far are recorded (the runs go on).
  // Whoever reads the records or the review checks calls it first (the
  // scenario runner at the end, benchmarks, tests).
  void account_idle_runs();
  // Presentations accounted for by idle runs, and runs closed (for tests
  // and benchmarks: that the elision is used).
  std::uint64_t elided_presentations() const { return elided_presentations_; }
  std::uint64_t idle_runs_closed() const { return idle_runs_closed_; }
  // Pod syncs slept over because they provably did nothing.
  std::uint64_t elided_syncs() const { return elided_syncs_; }

 protected:
  void start() override;
  void on_crash_reset() override;
  void on_synced() override;
  void handle_client_timer(std::uint64_t tag) override;
  void on_informer_listed(client::Informer& informer) override;

 private:
  enum class Phase { kStarting, kRunning, kStopping, kStopped };
  // A pod's sync schedule (see "Idle syncs"). Sync `index` ran at `at`
  // (index 0: the loop's start); syncs up to `accounted`, at `accounted_at`,
  // are counted, the ones after `index` of them slept over.
  struct SyncState {
    std::uint64_t draw_base = 0;  // names this incarnation's counter-based draws
    std::uint64_t index = 0;
    sim::Time at{};
    bool failed = false;
    std::uint64_t accounted = 0;
    sim::Time accounted_at{};
    // The loop sleeps over syncs until `pending` (never: it ended and a
    // change spawns it again); `generation` tells a superseded loop to end.
    bool idle = false;
    std::uint64_t pending = 0;
    std::uint64_t generation = 0;
    // Something the sync reads changed: the next sync runs.
    bool dirty = false;
    // The probes one slept-over sync would have hit.
    std::uint32_t token_sources = 0;
    std::uint32_t projected_volumes = 0;
  };
  struct RunningPod {
    std::string uid;
    const NodeInfo* node = nullptr;
    Phase phase = Phase::kStarting;
    bool deleting = false;  // the deletion was seen; termination is under way
    PodRun run;
    // Secret volume name -> (Secret name, its mounted `token`, if any).
    std::map<std::string, std::pair<std::string, DataValue>> mounted;
    std::string token_volume;  // the volume mounted at the token path, if any
    // Projected volume name -> its files, and the mint of the token among them.
    std::map<std::string, Payload> projected;
    std::map<std::string, sim::Time> projected_minted;
    ObjectPtr object;  // the pod as last seen
    bool status_dirty = false;
    bool status_writer = false;
    bool confirm_deletion = false;  // once the status is written, DELETE with grace 0
    SyncState sync;
  };

  void on_pod(const ObjectPtr& object);
  sim::Task<void> run_pod(ObjectPtr pod, bool adopt);
  sim::Task<void> mount_volumes(ObjectKey key, std::string uid, Pod pod);
  sim::Task<void> terminate(ObjectKey key, std::string uid);
  sim::Task<void> process(ObjectKey key, std::string uid);
  // The process's tick schedule: tick k (k >= 1) at started + k * auth_every.
  std::uint64_t first_tick_after(sim::Time started, sim::Time now) const;
  sim::Time tick_time(sim::Time started, std::uint64_t tick) const;
  std::uint64_t draw_key(const std::string& uid, std::uint64_t tick) const;
  // Half the shorter of auth_every and the request timeout (see TokenReview::latency_cap).
  sim::Duration presentation_latency_cap() const;
  // The pod syncs after the start: Secret and projected volumes rewritten.
  sim::Task<void> sync_loop(ObjectKey key, std::string uid, std::uint64_t generation);
  // SetUp of one projected volume; the error, or empty when written. `look`
  // names the refresh-jitter draws of its token lookups.
  sim::Task<std::string> set_up_projected(ObjectKey key, std::string uid, ProjectedVolume volume, std::uint64_t look);
  // The counter-based draw `index` of `domain` for an incarnation.
  static std::uint64_t counter_draw(std::uint64_t base, std::uint64_t domain, std::uint64_t index);
  // The time of sync index+1 after sync `index` at `at` (failed: 10 s period).
  sim::Time next_sync_time(const SyncState& sync, std::uint64_t index, sim::Time at, bool failed) const;
  // The refresh jitter of token source `source` in the lookup named `look`.
  sim::Duration refresh_jitter(std::uint64_t look, std::size_t source) const;
  // Names the token lookups of projected volume `volume` (in the pod's
  // order) in sync `index`.
  std::uint64_t volume_look(const SyncState& sync, std::uint64_t index, std::uint64_t volume) const;
  // After a successful sync: the first later sync that can do something
  // (a token refresh due, or its cache entry gone), or never; fills the
  // per-sync probe counts. nullopt: the pod cannot sleep over syncs.
  std::optional<std::pair<std::uint64_t, sim::Time>> first_acting_sync(RunningPod& p, std::uint64_t n, sim::Time t);
  // Something the pod's sync reads changed: the first sync at or after now runs.
  void wake_sync(const ObjectKey& key, RunningPod& p);
  void wake_syncs_in(const std::string& ns);
  void watch_config_maps();
  // Counts the slept-over syncs up to `through` (their probes).
  void account_syncs(RunningPod& p, std::uint64_t through);
  // Counts the syncs every sleeping loop slept over up to now.
  void account_idle_syncs();
  std::set<ObjectKey> idle_syncs_;  // pods whose loop sleeps over syncs
  std::uint64_t sync_generations_ = 0;
  std::uint64_t elided_syncs_ = 0;
  sim::Task<void> token_gc();
  // A projected volume's ConfigMap as the kubelet's ConfigMap manager has it.
  SourceObject config_map_for_volume(const std::string& ns, const std::string& name) const;
  // The token file of the pod changed (or may have): recorded for its process.
  void token_file_touched(const ObjectKey& key);
  // Marks the pod's status for writing; one writer per pod writes the latest.
  void report_status(const ObjectKey& key);
  sim::Task<void> write_status(ObjectKey key, std::string uid);
  // The Secret a presentation of the pod's token file names (empty for a
  // projected token).
  static std::string presented_secret(const RunningPod& p);
  // The rate limiter of the pod's node's client.
  client::Limiter limiter_of(const RunningPod& p) const;
  // This pod's entry, if it is still the incarnation `uid`.
  RunningPod* entry(const ObjectKey& key, const std::string& uid);
  const NodeInfo* node_named(const std::string& name) const;
  std::string allocate_ip(const NodeInfo& node, const ObjectKey& key, const std::string& wanted);
  void release_ip(const ObjectKey& key);
  void remember_token(const ObjectKey& key);
  std::string container_id();

  KubeletOptions options_;
  client::Informer* pods_;
  // The ConfigMap manager: started by the first volume that needs a ConfigMap.
  client::Informer* config_maps_;
  std::map<ObjectKey, RunningPod> pods_running_;
  std::vector<AuthRecord> auth_log_;
  // host-local IPAM, per node: what is handed out (it lives on disk and
  // survives kubelet restarts).
  struct Ipam {
    std::map<int, ObjectKey> used;  // last octet -> pod
    int last = 1;
  };
  std::map<std::string, Ipam> ipam_;
  std::map<ObjectKey, DataValue> last_tokens_;
  TokenManager token_manager_;
  bool token_gc_running_ = false;
  // The pods' processes: they outlive a kubelet restart (their containers do).
  struct Process {
    std::string uid;
    bool running = false;
    sim::Time started{};
    // The token file's contents over time (time written, token), oldest
    // first, pruned to what the process may still read.
    std::vector<std::pair<sim::Time, DataValue>> file;
    std::optional<sim::Time> minted;  // the mint of the file's latest projected token
    // Its latest record in auth_log_, which a same outcome extends.
    std::optional<std::size_t> last_record;
    // An idle run: ticks from `next_tick` on are presentations of `token`
    // answered `result`, until the run closes.
    struct IdleRun {
      std::uint64_t next_tick = 0;
      DataValue token;
      std::string secret;
      TokenReviewResult result;
      std::uint64_t serial = 0;  // names its horizon timer
      IdleVerdict verdict;       // its horizon and what it reads
    };
    std::optional<IdleRun> run;
  };
  // One presentation at `tick`; false once the process has ended.
  sim::Task<bool> present(ObjectKey key, std::string uid, std::uint64_t tick, std::optional<sim::Time> sent_at);
  sim::Task<void> present_again(ObjectKey key, std::string uid, std::uint64_t tick, sim::Time sent_at);
  // After a presentation at `tick` answered `result`: starts an idle run if
  // its outcome provably repeats. True if it did.
  bool maybe_start_run(const ObjectKey& key, Process& process, std::uint64_t tick, const DataValue& token,
                       const std::string& secret, const TokenReviewResult& result);
  // Accounts for the run's ticks answered before now; `resume`: sends the
  // one still on its way again and lets the process tick again.
  void close_run(const ObjectKey& key, Process& process, bool resume);
  // At a run's horizon: the process is about to re-read a newer token.
  // Ends the run and starts the next one with the new token's answer from
  // the apiserver (answer_review); false (nothing changed) if it cannot.
  bool hand_over_run(const ObjectKey& key, Process& process);
  // The verdict a run from `tick`'s answer at `answered` would have (capped
  // before the re-read of a newer token in the file); nullopt unless it
  // spans two ticks at least.
  std::optional<IdleVerdict> run_verdict(const ObjectKey& key, const Process& process, const DataValue& token,
                                         sim::Time answered, std::uint64_t tick) const;
  // Starts an idle run: ticks from `next_tick` on present `token` answered `result`.
  void begin_run(const ObjectKey& key, Process& process, std::uint64_t next_tick, const DataValue& token,
                 const std::string& secret, const TokenReviewResult& result, IdleVerdict verdict);
  // Ends the process's run (accounted for already): its timer, index and count.
  void retire_run(const ObjectKey& key, Process& process);
  // Accounts for the run's ticks answered before now, keeping the run;
  // returns the tick still on its way, if any.
  std::optional<std::uint64_t> account_run(const ObjectKey& key, Process& process);
  std::map<std::uint64_t, ObjectKey> run_timers_;  // horizon timer serial -> pod
  std::set<ObjectKey> idle_;                        // pods with an idle run
  // The idle runs by the objects they read (IdleVerdict::reads), and those
  // that read anything: whom a write closes.
  std::map<ObjectId, std::set<ObjectKey>> run_readers_;
  std::set<ObjectKey> runs_reading_anything_;
  void index_run(const ObjectKey& key, const IdleVerdict& verdict, bool add);
  // The pod's process starts (replacing an earlier incarnation's).
  void start_process(const ObjectKey& key, const std::string& uid);
  std::uint64_t next_run_serial_ = 1;
  bool elision_stopped_ = false;
  std::uint64_t elided_presentations_ = 0;
  std::uint64_t idle_runs_closed_ = 0;
  static constexpr std::uint64_t kIdleRunTag = std::uint64_t{1} << 60;
  // Volume set-ups waiting for the ConfigMap informer's first list.
  // Upstream's configMapManager polls every 10 ms for up to a second
  // (wait.PollImmediate); a pod parked here resumes when that poll would
  // have ended: at the first 10 ms mark after the list, or after the
  // second. The same times, without a timer every 10 ms for each pod
  // (thousands of pods starting behind a 5 qps client poll for seconds).
  struct ConfigMapWait {
    sim::Time polled_from{};
    sim::TimerId timer{};
    bool listed = false;  // its timer now marks the poll that sees the list
  };
  std::map<std::uint64_t, ConfigMapWait> config_map_waits_;
  sim::ParkingLot<bool> config_map_waiters_;
  static constexpr std::uint64_t kConfigMapWaitTag = std::uint64_t{1} << 59;
  static constexpr sim::Duration kConfigMapPollInterval = sim::Duration::milliseconds(10);
  static constexpr int kConfigMapPolls = 100;
  // Resumes when the ConfigMap informer has listed, at the poll that sees
  // it, or after the polls' second (see ConfigMapWait).
  auto config_maps_listed();
  // Appends the pod's `count` presentations answered from `first` to `at`,
  // or extends its latest record by them when the outcome is the same.
  void record_presentation(const ObjectKey& key, Process& process, sim::Time first, sim::Time at,
                           std::uint64_t count, const std::string& secret, const TokenReviewResult& result);
  const DataValue* held_token(const Process& process, sim::Time now) const;
  // reload_token: the process re-reads its file every minute after it
  // started. The last re-read at or before `now`, and the next after it.
  static constexpr sim::Duration kReloadPeriod = sim::Duration::minutes(1);
  sim::Time last_reload(const Process& process, sim::Time now) const;
  sim::Time next_reload(const Process& process, sim::Time now) const;
  // The run ends just before `at` (a re-read that takes a newer token),
  // unless its horizon comes first.
  void end_run_before(const ObjectKey& key, Process& process, sim::Time at);
  std::map<ObjectKey, Process> processes_;
  std::map<ObjectKey, DataValue> last_process_tokens_;
  std::vector<TokenFileChange> token_file_log_;
};

}  // namespace sasim::model::kubelet
