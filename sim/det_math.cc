#include "sim/det_math.h"

#include <array>
#include <cmath>
#include <limits>

namespace sasim::sim {
namespace {

// ln 2 split so that k * kLn2Hi is exact for |k| < 2^11.
constexpr double kLn2Hi = 6.93147180369123816490e-01;
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kSqrtHalf = 0.70710678118654752440;

// 1/k for odd k, computed by the compiler: IEEE division is correctly
// rounded, so the table holds exactly what runtime division would give, minus
// twelve divisions per logarithm.
constexpr auto kOddReciprocals = [] {
  std::array<double, 28> table{};
  for (int k = 1; k < 28; k += 2) table[static_cast<std::size_t>(k)] = 1.0 / k;
  return table;
}();

}  // namespace

double det_log(double x) {
  if (std::isnan(x) || x < 0) return std::numeric_limits<double>::quiet_NaN();
  if (x == 0) return -std::numeric_limits<double>::infinity();
  if (std::isinf(x)) return x;
  int exponent = 0;
  double mantissa = std::frexp(x, &exponent);  // exact: x = mantissa * 2^exponent, mantissa in [0.5, 1)
  if (mantissa < kSqrtHalf) {
    mantissa *= 2;
    exponent -= 1;
  }
  // ln(m) = 2 atanh(s) = 2 (s + s^3/3 + s^5/5 + ...), s = (m-1)/(m+1), |s| <= 0.1716.
  const double s = (mantissa - 1) / (mantissa + 1);
  const double s2 = s * s;
  double series = kOddReciprocals[27];
  for (std::size_t k = 25; k >= 3; k -= 2) series = kOddReciprocals[k] + s2 * series;
  const double log_mantissa = 2 * s + 2 * s * s2 * series;
  const double e = exponent;
  return e * kLn2Hi + (e * kLn2Lo + log_mantissa);
}

double det_exp(double x) {
  if (std::isnan(x)) return x;
  if (x > 709.782712893384) return std::numeric_limits<double>::infinity();
  if (x < -745.1332191019412) return 0;
  // x = k ln2 + r with |r| <= ln2 / 2; e^x = 2^k e^r.
  const double k_real = x / (kLn2Hi + kLn2Lo);
  const double k = k_real < 0 ? -std::floor(0.5 - k_real) : std::floor(k_real + 0.5);
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;
  // Taylor series of e^r to r^20/20!, whose tail is below 1e-25 for |r| <= 0.35.
  double sum = 1;
  for (int n = 20; n >= 1; --n) sum = 1 + sum * r / n;
  return std::ldexp(sum, static_cast<int>(k));  // exact scaling, except where the result is subnormal
}

}  // namespace sasim::sim
