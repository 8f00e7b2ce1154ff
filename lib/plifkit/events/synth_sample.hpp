// One synthetic sample of the one-file-per-sample event datasets (N-MNIST,
// CIFAR10-DVS, ASL-DVS), before it is written in the dataset's format.
//
// Each class is a short bar with its own place and orientation: the classes
// sit on a grid of cells covering the sensor (class c in cell c, row-major,
// ceil(sqrt(K)) columns) and class c of K is tilted by c * pi / K. The whole
// bar moves as the dataset's recordings do (the sensor's three saccades, an
// image looping on a monitor, a hand's tremor); the edge facing the motion
// emits ON (1), the trailing one OFF (0). Every sample draws its own jitter
// of place, tilt and length, and 5% of its events are uniform noise, so a
// small convolutional SNN can learn the classes but not trivially.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "plifkit/core/rng.hpp"

namespace plifkit {

struct SynthEvent {
  std::uint64_t t = 0;  // microseconds
  std::uint16_t x = 0;  // column, 0..width-1
  std::uint16_t y = 0;  // row, 0..height-1 (downwards)
  std::uint8_t p = 0;   // 1 ON, 0 OFF
};

enum class SynthMotion {
  saccades,  // N-MNIST: three straight moves along a triangle, one per third
  loop,      // CIFAR10-DVS: two turns around a small circle
  tremor,    // ASL-DVS: a small irregular back-and-forth
};

struct SampleSpec {
  int width = 0, height = 0;  // sensor, pixels
  int class_index = 0;        // 0..class_num-1
  int class_num = 1;
  std::uint64_t start_us = 0;
  std::uint64_t duration_us = 1;  // >= 1
  SynthMotion motion = SynthMotion::loop;
  double amplitude = 1;  // of the motion, pixels
  int events = 0;        // written to `out`, noise included
};

// Replaces `out` with spec.events events, times non-decreasing in
// [start_us, start_us + duration_us). Reuses out's storage.
void synthesize_sample(const SampleSpec& spec, Rng& rng, std::vector<SynthEvent>& out);

// Time of event i of n spread over [start, start + span): one per stratum,
// so the times come out sorted (ties allowed) without a sort.
inline std::uint64_t stratified_time(Rng& rng, std::uint64_t start, std::uint64_t span,
                                     std::uint64_t i, std::uint64_t n) {
  const std::uint64_t lo = i * span / n;
  const std::uint64_t hi = (i + 1) * span / n;
  return start + lo + rng.below(std::max<std::uint64_t>(1, hi - lo));
}

}  // namespace plifkit
