// Histograms of values for TensorBoard's histogram and distribution views.
#pragma once

#include <vector>

#include "plifkit/tensorboard/event_file.hpp"

namespace plifkit::tensorboard {

// `buckets` equal-width buckets spanning [min, max] of the values: bucket i
// holds the values in [min + i * width, min + (i + 1) * width), the last one
// also max; bucket_limit[i] is the right edge (the last one max itself). All
// values equal: one bucket. num, sum and sum_squares over all values.
// Throws Error for no values, a non-finite value or buckets < 1.
Histogram make_histogram(const std::vector<double>& values, int buckets = 30);

}  // namespace plifkit::tensorboard
