#include "model/client/rate_limiter.h"

#include <algorithm>
#include <limits>

namespace sasim::model::client {

sim::Duration exponential_backoff(sim::Duration base, std::int64_t exponent, sim::Duration max) {
  SIM_CHECK(exponent >= 0, "exponential_backoff needs a non-negative exponent");
  if (base <= sim::Duration::zero()) return std::min(sim::Duration::zero(), max);
  // base << exponent overflows exactly when base exceeds INT64_MAX >> exponent;
  // from 63 on even base 1 does.
  if (exponent >= 63 || base.ns() > (std::numeric_limits<std::int64_t>::max() >> exponent)) return max;
  return std::min(sim::Duration::nanoseconds(base.ns() << exponent), max);
}

}  // namespace sasim::model::client
