#include "sim/coverage.h"

#include <catch2/catch.hpp>

#include "sim/simulator.h"

namespace sasim::sim {
namespace {

TEST_CASE("coverage counts each probe's hits and adds other runs' counts") {
  Coverage coverage;
  CHECK(coverage.counts().empty());
  CHECK(coverage.count(7) == 0);
  coverage.hit(3);
  coverage.hit(3);
  coverage.hit(0);
  CHECK(coverage.count(3) == 2);
  CHECK(coverage.count(0) == 1);
  CHECK(coverage.count(1) == 0);
  CHECK(coverage.counts() == std::vector<std::uint64_t>{1, 0, 0, 2});

  coverage.add({0, 5, 0, 1, 0, 4});
  CHECK(coverage.counts() == std::vector<std::uint64_t>{1, 5, 0, 3, 0, 4});
  coverage.add({1});
  CHECK(coverage.counts() == std::vector<std::uint64_t>{2, 5, 0, 3, 0, 4});
}

// An actor that marks a path on every message it gets, and one that does
// not: the two worlds must have the same digest (probes are not behaviour).
class Echo final : public Actor {
 public:
  explicit Echo(bool probes) : probes_(probes) {}
  void on_start(Context& ctx) override { ctx.set_timer(Duration::milliseconds(5), 1); }
  void on_timer(Context& ctx, TimerId /*timer*/, std::uint64_t tag) override {
    if (probes_) ctx.coverage().hit(static_cast<std::uint32_t>(tag % 3));
    if (tag < 20) ctx.set_timer(Duration::milliseconds(1 + ctx.prng().below(5)), tag + 1);
  }

 private:
  bool probes_;
};

std::pair<std::uint64_t, std::vector<std::uint64_t>> run_echo(bool probes) {
  Simulator simulator(42);
  simulator.add_actor("echo", std::make_unique<Echo>(probes));
  simulator.run(RunLimits{});
  return {simulator.trace().digest(), simulator.coverage().counts()};
}

TEST_CASE("coverage probes leave a world's digest unchanged") {
  const auto [with_digest, with_counts] = run_echo(true);
  const auto [without_digest, without_counts] = run_echo(false);
  CHECK(with_digest == without_digest);
  CHECK(without_counts.empty());
  CHECK(with_counts == std::vector<std::uint64_t>{6, 7, 7});  // tags 1..20, by tag mod 3
}

}  // namespace
}  // namespace sasim::sim
