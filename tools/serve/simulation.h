// The simulation behind `sasim serve`: one thread owns the scenario's world
// (a runner::Session) and serves the HTTP threads' requests from a queue, one
// at a time in arrival order, so that a session is deterministic given its
// requests. Each request that reaches the simulation enters it as a scenario
// step at the current simulated time; the steps, kept in order, are the
// session's recording (--record), which `sasim run` replays to the same
// trace digest.
//
// Clocks: `settle` (the default) serves each request at the current
// simulated time and then lets the world run until it is quiet (at most
// limits.settle), as if a person typed the next command later; `realtime`
// lets simulated time follow the wall clock, times `speed`.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "api/plan.h"
#include "reports/run_record.h"
#include "scenarios/scenario.h"
#include "sim/result.h"
#include "tools/runner/runner.h"
#include "tools/serve/watch_streams.h"

namespace sasim::tools::serve {

enum class Clock : std::uint8_t { kSettle, kRealtime };

struct SimulationOptions {
  Clock clock = Clock::kSettle;
  double speed = 1.0;  // realtime: simulated seconds per wall second
  // settle: simulated time that passes after the world is quiet, before the
  // next request (a person's time to read and type; an extension).
  sim::Duration pause{};
  api::ServerInfo info;
  std::string admin_token;
  // Over plain HTTP (--insecure-http) a request without a token is the
  // admin's: kubectl never sends a token there.
  bool plain_http = false;
  api::ServiceAccountAccess service_accounts = api::ServiceAccountAccess::kReadOnly;
  bool log_requests = true;  // one line per request on stderr
  // Keep the session's steps for finish()'s recording (--record); without
  // it a long session does not grow in memory with every request.
  bool record = true;
};

// What an HTTP thread sends back.
struct Reply {
  api::HttpResponse response;
  std::shared_ptr<WatchChannel> watch;  // a watch: stream from it instead
  std::optional<std::int64_t> watch_timeout_seconds;
  std::string warning;  // a Warning header (why a token was rejected)
};

class Simulation {
 public:
  // Builds the scenario's world and runs its steps; the session starts where
  // they end.
  static sim::Result<std::unique_ptr<Simulation>> start(scenarios::Scenario scenario, SimulationOptions options);
  ~Simulation();

  void set_address(std::string address) { options_.info.address = std::move(address); }

  // Any thread: queues the request and waits for its answer.
  Reply handle(api::HttpRequest request);
  // The simulation thread: serves until stop().
  void run();
  // Any thread: run() returns once the queue is drained; later requests get 503.
  void stop();

  struct Summary {
    reports::RunRecord record;       // after the final settle
    scenarios::Scenario recording;   // the scenario and the session's steps
    std::size_t requests = 0;  // requests served
    std::size_t calls = 0;     // of which reached the simulation
    std::size_t steps = 0;     // steps recorded (calls, quiesce and waits)
  };
  // After run(): the final settle (as `sasim run` ends), the record, the recording.
  Summary finish();

  // For tests: serve one request on the calling thread (no run()).
  Reply serve_now(api::HttpRequest request);

 private:
  struct Job {
    api::HttpRequest request;
    std::promise<Reply> reply;
  };
  Simulation(std::unique_ptr<scenarios::Scenario> scenario, SimulationOptions options);

  // One request: its reply, and whether the world must then settle.
  Reply process(api::HttpRequest& request, bool& settle_after);
  void settle();
  void advance_clock();
  sim::Duration step_start() const;
  void record(scenarios::Step step);
  api::Context context() const;
  api::HttpResponse sim_unavailable() const;

  std::unique_ptr<scenarios::Scenario> scenario_;
  SimulationOptions options_;
  class Attach;
  std::unique_ptr<Attach> attach_;
  std::unique_ptr<WatchStreams> streams_;
  std::unique_ptr<Session> session_;
  std::vector<scenarios::Step> recorded_;
  std::size_t recorded_count_ = 0;
  std::size_t requests_ = 0;
  std::size_t calls_ = 0;

  std::chrono::steady_clock::time_point wall_start_;
  sim::Time sim_start_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
};

}  // namespace sasim::tools::serve
