// DurationDistribution: the timing knobs of the scenario format.
//
//   "5ms"                              constant
//   {uniform: [1ms, 10ms]}             uniform, both ends included
//   {exponential: 5ms}                 exponential with that mean
//   {lognormal: {median: 5ms, p99: 80ms}}  lognormal with that median and 99th percentile
//
// Samples are whole nanoseconds drawn from a caller's Prng. The continuous
// shapes use det_log/det_exp, so a seed gives the same samples on every
// machine. Samples are capped at kMaxSample (about 146 years) so that heavy
// tails cannot overflow simulated time.
#pragma once

#include <string>
#include <variant>

#include "sim/prng.h"
#include "sim/result.h"
#include "sim/time.h"

namespace sasim::sim {

class DurationDistribution {
 public:
  static constexpr Duration kMaxSample = Duration::hours(24 * 365 * 146);

  // A constant; the default is the constant 0s.
  DurationDistribution() = default;
  static DurationDistribution constant(Duration value);
  // The constructors below validate their arguments; the error says what is wrong.
  static Result<DurationDistribution> uniform(Duration low, Duration high);
  static Result<DurationDistribution> exponential(Duration mean);
  static Result<DurationDistribution> lognormal(Duration median, Duration p99);

  Duration sample(Prng& prng) const;

  // The scenario-format spelling, e.g. "{lognormal: {median: 2ms, p99: 20ms}}".
  std::string describe() const;

  // The distribution's mean, rounded to a nanosecond (for lognormal the
  // analytic exp(mu + sigma^2/2)); reports use it to describe a knob.
  Duration mean() const;

  bool operator==(const DurationDistribution&) const = default;

 private:
  struct Constant {
    Duration value;
    bool operator==(const Constant&) const = default;
  };
  struct Uniform {
    Duration low, high;
    bool operator==(const Uniform&) const = default;
  };
  struct Exponential {
    Duration mean;
    bool operator==(const Exponential&) const = default;
  };
  struct LogNormal {
    Duration median, p99;
    double sigma;  // of the underlying normal, derived from median and p99
    bool operator==(const LogNormal&) const = default;
  };
  using Shape = std::variant<Constant, Uniform, Exponential, LogNormal>;

  explicit DurationDistribution(Shape shape) : shape_(shape) {}

  Shape shape_ = Constant{Duration::zero()};
};

// A standard normal deviate (Marsaglia's polar method), from basic operations only.
double standard_normal(Prng& prng);

}  // namespace sasim::sim
