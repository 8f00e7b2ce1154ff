#include "plifkit/tensorboard/histogram.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "plifkit/core/error.hpp"

namespace plifkit::tensorboard {

Histogram make_histogram(const std::vector<double>& values, int buckets) {
  if (values.empty()) throw Error("a histogram needs at least one value");
  if (buckets < 1) throw Error("a histogram needs at least one bucket, got " + std::to_string(buckets));
  Histogram h;
  h.min = values.front();
  h.max = values.front();
  for (double v : values) {
    if (!std::isfinite(v)) throw Error("a histogram of non-finite values (" + std::to_string(v) + ")");
    h.min = std::min(h.min, v);
    h.max = std::max(h.max, v);
    h.sum += v;
    h.sum_squares += v * v;
  }
  h.num = static_cast<double>(values.size());
  if (h.max == h.min) {
    h.bucket_limit = {h.max};
    h.bucket = {h.num};
    return h;
  }
  const double width = (h.max - h.min) / buckets;
  h.bucket.assign(static_cast<size_t>(buckets), 0.0);
  for (int i = 0; i < buckets; ++i) h.bucket_limit.push_back(h.min + (i + 1) * width);
  h.bucket_limit.back() = h.max;
  for (double v : values) {
    const auto i = static_cast<int>(std::floor((v - h.min) / width));
    h.bucket[static_cast<size_t>(std::clamp(i, 0, buckets - 1))] += 1;
  }
  return h;
}

}  // namespace plifkit::tensorboard
