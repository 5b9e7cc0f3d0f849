#include "sim/task.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "sim/co_actor.h"
#include "sim/duration_text.h"
#include "sim/simulator.h"
#include "sim/testing/time_points.h"

namespace sasim::sim {
namespace {

using ::sasim::sim::testing::ms;

// Records when its frame is destroyed, to show that a crash destroys
// coroutines in flight rather than leaking or resuming them.
struct FrameGuard {
  std::vector<std::string>* log;
  std::string name;
  ~FrameGuard() { log->push_back("destroyed " + name); }
};

class Sleeper final : public CoActor {
 public:
  explicit Sleeper(std::vector<std::string>& log) : log_(log) {}

 protected:
  void start() override {
    log_.push_back(format_time(ctx().now()) + " start");
    spawn(run("a", 3));
    spawn(run("b", 2));
  }

 private:
  Task<int> nap(std::string name, std::int64_t step) {
    FrameGuard guard{&log_, name + "/nap"};
    co_await sleep(ms(10 * step));
    co_return static_cast<int>(step);
  }
  Task<void> run(std::string name, int naps) {
    FrameGuard guard{&log_, name};
    int total = 0;
    for (int i = 1; i <= naps; ++i) {
      total += co_await nap(name, i);
      log_.push_back(format_time(ctx().now()) + " " + name + " woke, total " + std::to_string(total));
    }
  }
  std::vector<std::string>& log_;
};

TEST_CASE("coroutines sleep in simulated time and return values through awaits") {
  std::vector<std::string> log;
  Simulator sim(1);
  sim.add_actor("sleeper", std::make_unique<Sleeper>(log));
  sim.run({});
  const std::vector<std::string> expected = {
      "0s start",
      "10ms a woke, total 1",  // a and b both nap 10 ms first; a was spawned first
      "destroyed a/nap",
      "10ms b woke, total 1",
      "destroyed b/nap",
      "30ms a woke, total 3",
      "destroyed a/nap",
      "30ms b woke, total 3",
      "destroyed b/nap",
      "destroyed b",
      "60ms a woke, total 6",
      "destroyed a/nap",
      "destroyed a",
  };
  // The nap frame is destroyed when its Task temporary dies, after the
  // awaiting statement completes: check order per coroutine, not globally.
  std::vector<std::string> wakes, expected_wakes;
  for (const auto& line : log) {
    if (line.find("woke") != std::string::npos || line.find("start") != std::string::npos) wakes.push_back(line);
  }
  for (const auto& line : expected) {
    if (line.find("woke") != std::string::npos || line.find("start") != std::string::npos) expected_wakes.push_back(line);
  }
  CHECK(wakes == expected_wakes);
  CHECK(std::count(log.begin(), log.end(), "destroyed a") == 1);
  CHECK(std::count(log.begin(), log.end(), "destroyed b") == 1);
  CHECK(std::count(log.begin(), log.end(), "destroyed a/nap") == 3);
}

TEST_CASE("a crash destroys coroutines in flight and a restart starts afresh") {
  std::vector<std::string> log;
  Simulator sim(1);
  const ActorId id = sim.add_actor("sleeper", std::make_unique<Sleeper>(log));
  sim.crash_at(Time::from_start(ms(15)), id, ms(100));
  sim.run({});
  // Before the crash: both woke once at 10 ms. The crash at 15 ms destroys
  // both coroutines and their pending naps; the old timers never resume them.
  CHECK(std::count(log.begin(), log.end(), "destroyed a") == 2);
  CHECK(std::count(log.begin(), log.end(), "destroyed b") == 2);
  CHECK(std::find(log.begin(), log.end(), "30ms a woke, total 3") == log.end());
  CHECK(std::find(log.begin(), log.end(), "115ms start") != log.end());
  CHECK(std::find(log.begin(), log.end(), "175ms a woke, total 6") != log.end());
}

TEST_CASE("ParkingLot ignores completions for tokens nobody waits on") {
  ParkingLot<int> lot;
  CHECK_FALSE(lot.complete(42, 1));
  CHECK(lot.size() == 0);
}

}  // namespace
}  // namespace sasim::sim
