// What every benchmark program measures with: a monotonic clock in seconds
// and the median of repeated runs.
#pragma once

#include <algorithm>
#include <chrono>
#include <vector>

namespace plifkit::bench {

inline double now_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// The median (upper middle for an even count); `samples` must not be empty.
inline double median(std::vector<double> samples) {
  std::sort(samples.begin(), samples.end());
  return samples[samples.size() / 2];
}

}  // namespace plifkit::bench
