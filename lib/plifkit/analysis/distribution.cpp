#include "plifkit/analysis/distribution.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "plifkit/core/error.hpp"

namespace plifkit::analysis {

double quantile_sorted(const std::vector<double>& sorted, double p) {
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const auto below = static_cast<std::size_t>(std::floor(h));
  if (below + 1 >= sorted.size()) return sorted.back();
  return sorted[below] + (h - static_cast<double>(below)) * (sorted[below + 1] - sorted[below]);
}

Summary describe(std::vector<double> values) {
  if (values.empty()) throw Error("statistics of an empty set of values");
  std::sort(values.begin(), values.end());
  Summary s;
  s.count = values.size();
  double sum = 0;
  for (double v : values) sum += v;
  s.mean = sum / static_cast<double>(s.count);
  // Two passes: squared deviations from the mean, not sum(x^2) - n mean^2,
  // which cancels badly when the spread is small next to the mean (taus near 2).
  if (s.count > 1) {
    double squares = 0;
    for (double v : values) squares += (v - s.mean) * (v - s.mean);
    s.std = std::sqrt(squares / static_cast<double>(s.count - 1));
  }
  s.min = values.front();
  s.max = values.back();
  s.q05 = quantile_sorted(values, 0.05);
  s.q25 = quantile_sorted(values, 0.25);
  s.median = quantile_sorted(values, 0.5);
  s.q75 = quantile_sorted(values, 0.75);
  s.q95 = quantile_sorted(values, 0.95);
  return s;
}

Histogram histogram(const std::vector<double>& values, double lo, double hi, int bins) {
  if (bins < 1) throw Error("a histogram needs at least one bin, got " + std::to_string(bins));
  if (!(lo <= hi)) throw Error("histogram range is empty");
  if (lo == hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const auto n = static_cast<std::size_t>(bins);
  Histogram h;
  h.edges.resize(n + 1);
  for (std::size_t i = 0; i < n; ++i)
    h.edges[i] = lo + static_cast<double>(i) * ((hi - lo) / static_cast<double>(n));
  h.edges[n] = hi;
  h.counts.assign(n, 0);
  for (double v : values) {
    if (!(v >= lo && v <= hi)) continue;
    // The arithmetic guess can be one bin off next to an edge; the stored
    // edges decide, so the counts always agree with bin_edges.
    const double guess = std::floor((v - lo) / (hi - lo) * static_cast<double>(n));
    auto i = static_cast<std::size_t>(std::min(guess, static_cast<double>(n - 1)));
    if (v < h.edges[i]) {
      --i;
    } else if (i + 1 < n && v >= h.edges[i + 1]) {
      ++i;
    }
    ++h.counts[i];
  }
  return h;
}

}  // namespace plifkit::analysis
