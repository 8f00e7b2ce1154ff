#include "plifkit/core/rng.hpp"

#include <cmath>

#include "plifkit/core/math_constants.hpp"

namespace plifkit {

double portable_sin(double x) {
  // Reduce to [-pi, pi], then to [-pi/2, pi/2] where the Taylor series to
  // x^13 is accurate to ~6e-8. nearbyint and + - * / are exact IEEE
  // operations, the same everywhere.
  x -= 2 * kPi * std::nearbyint(x / (2 * kPi));
  if (x > kPi / 2) x = kPi - x;
  if (x < -kPi / 2) x = -kPi - x;
  const double x2 = x * x;
  double term = x;
  double sum = x;
  for (int k = 1; k <= 6; ++k) {
    term *= -x2 / ((2 * k) * (2 * k + 1));
    sum += term;
  }
  return sum;
}

double portable_cos(double x) { return portable_sin(x + kPi / 2); }

}  // namespace plifkit
