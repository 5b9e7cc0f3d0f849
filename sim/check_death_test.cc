// Broken engine invariants must abort loudly (SIM_CHECK), never run on in a
// corrupt state. Each mode below breaks one; ctest runs them and expects the
// abort and its message (see CMakeLists.txt).
#include <cstdio>
#include <cstring>
#include <memory>

#include "sim/duration_text.h"
#include "sim/simulator.h"

namespace {

using namespace sasim::sim;

class Idle final : public Actor {};

class TimerThief final : public Actor {
 public:
  explicit TimerThief(TimerId* victim_timer) : victim_timer_(victim_timer) {}
  void on_start(Context& ctx) override { ctx.set_timer(Duration::milliseconds(1), 0); }
  void on_timer(Context& ctx, TimerId, std::uint64_t) override { ctx.cancel_timer(*victim_timer_); }

 private:
  TimerId* victim_timer_;
};

class TimerOwner final : public Actor {
 public:
  explicit TimerOwner(TimerId* timer) : timer_(timer) {}
  void on_start(Context& ctx) override { *timer_ = ctx.set_timer(Duration::seconds(1), 0); }

 private:
  TimerId* timer_;
};

int run_mode(const char* mode) {
  Simulator sim(1);
  if (std::strcmp(mode, "reentrant-run") == 0) {
    sim.call_at(Time::zero(), "nested", [](Simulator& s) { s.run({}); });
    sim.run({});
  } else if (std::strcmp(mode, "schedule-in-the-past") == 0) {
    sim.run_until(Time::from_start(Duration::milliseconds(10)));
    sim.call_at(Time::from_start(Duration::milliseconds(5)), "late", [](Simulator&) {});
  } else if (std::strcmp(mode, "duplicate-actor-name") == 0) {
    sim.add_actor("a", std::make_unique<Idle>());
    sim.add_actor("a", std::make_unique<Idle>());
  } else if (std::strcmp(mode, "duration-overflow") == 0) {
    std::printf("%s\n", format_duration(Duration::max() + Duration::nanoseconds(1)).c_str());
  } else if (std::strcmp(mode, "cancel-foreign-timer") == 0) {
    TimerId timer;
    sim.add_actor("owner", std::make_unique<TimerOwner>(&timer));
    sim.add_actor("thief", std::make_unique<TimerThief>(&timer));
    sim.run({});
  } else if (std::strcmp(mode, "value-of-failed-result") == 0) {
    std::printf("%lld\n", static_cast<long long>(parse_duration("5").value().ns()));
  } else {
    std::fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
  }
  std::fprintf(stderr, "mode %s did not abort\n", mode);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s MODE\n", argv[0]);
    return 2;
  }
  return run_mode(argv[1]);
}
