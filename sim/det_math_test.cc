#include "sim/det_math.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "sim/prng.h"

namespace sasim::sim {
namespace {

// Relative error in units of the last place of the reference value.
double ulps(double value, double reference) {
  if (value == reference) return 0;
  const double ulp = std::nextafter(std::abs(reference), std::numeric_limits<double>::infinity()) -
                     std::abs(reference);
  return std::abs(value - reference) / ulp;
}

TEST_CASE("det_log agrees with the C library to a few ulps", "[det_math]") {
  Prng prng(1);
  double worst = 0;
  for (int i = 0; i < 200'000; ++i) {
    // Log-uniform over [1e-300, 1e300], plus the region near 1 where cancellation bites.
    const double x = i % 2 == 0 ? std::pow(10.0, prng.unit_double() * 600 - 300) : 0.5 + prng.unit_double();
    const double reference = std::log(x);
    if (std::abs(reference) < 1e-3) continue;  // relative error is meaningless next to a root
    worst = std::max(worst, ulps(det_log(x), reference));
  }
  CHECK(worst <= 4);
}

TEST_CASE("det_exp agrees with the C library to a few ulps", "[det_math]") {
  Prng prng(2);
  double worst = 0;
  for (int i = 0; i < 200'000; ++i) {
    const double x = prng.unit_double() * 1400 - 700;
    worst = std::max(worst, ulps(det_exp(x), std::exp(x)));
  }
  CHECK(worst <= 4);
}

TEST_CASE("det_log and det_exp handle special values", "[det_math]") {
  CHECK(det_log(1.0) == 0.0);
  CHECK(std::isinf(det_log(0.0)));
  CHECK(det_log(0.0) < 0);
  CHECK(std::isnan(det_log(-1.0)));
  CHECK(std::isinf(det_log(std::numeric_limits<double>::infinity())));
  CHECK(det_exp(0.0) == 1.0);
  CHECK(std::isinf(det_exp(1000.0)));
  CHECK(det_exp(-1000.0) == 0.0);
  CHECK(std::isnan(det_exp(std::numeric_limits<double>::quiet_NaN())));
}

}  // namespace
}  // namespace sasim::sim
