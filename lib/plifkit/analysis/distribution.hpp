// Descriptive statistics of a sample of values (the taus of a neuron layer):
// moments, quantiles and a histogram, with definitions fixed here so that
// every tool and test means the same thing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace plifkit::analysis {

struct Summary {
  std::size_t count = 0;
  double mean = 0;
  // Sample standard deviation (divisor n - 1, as torch.std and the training
  // log); 0 for a single value.
  double std = 0;
  double min = 0, q05 = 0, q25 = 0, median = 0, q75 = 0, q95 = 0, max = 0;
};

// Throws Error when values is empty.
Summary describe(std::vector<double> values);

// The p-quantile (0 <= p <= 1) of ascending, non-empty `sorted` values by
// linear interpolation between order statistics (numpy's default,
// Hyndman-Fan type 7): h = (n - 1) p, q = x[floor h] + (h - floor h)
// (x[floor h + 1] - x[floor h]).
double quantile_sorted(const std::vector<double>& sorted, double p);

struct Histogram {
  std::vector<double> edges;          // bins + 1 ascending edges
  std::vector<std::uint64_t> counts;  // bins
};

// Equal-width bins over [lo, hi] as numpy.histogram: edge i is
// lo + i (hi - lo) / bins, the last edge exactly hi; bins are half-open
// [e_i, e_i+1) except the last, which is closed. When lo == hi the range is
// widened to [lo - 0.5, hi + 0.5]. Values outside [lo, hi] are not counted.
// Throws Error for bins < 1 or lo > hi.
Histogram histogram(const std::vector<double>& values, double lo, double hi, int bins);

}  // namespace plifkit::analysis
