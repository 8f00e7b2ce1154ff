#include "plifkit/frames/integrate.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "plifkit/core/error.hpp"

namespace plifkit::frames {

EventRange find_window(const std::uint64_t* t, std::size_t n, std::uint64_t t_start,
                       std::uint64_t t_end) {
  EventRange r;
  r.first = static_cast<std::size_t>(std::lower_bound(t, t + n, t_start) - t);
  r.last = t_end <= t_start
               ? r.first
               : static_cast<std::size_t>(std::lower_bound(t + r.first, t + n, t_end) - t);
  return r;
}

void frame_bounds(const std::uint64_t* t, std::size_t n, int T, SplitBy split_by,
                  std::size_t* bounds) {
  bounds[0] = 0;
  bounds[T] = n;
  if (split_by == SplitBy::number) {
    const std::size_t di = n / static_cast<std::size_t>(T);
    for (int j = 1; j < T; ++j) bounds[j] = static_cast<std::size_t>(j) * di;
    return;
  }
  if (n == 0) {
    for (int j = 1; j < T; ++j) bounds[j] = 0;
    return;
  }
  const std::uint64_t t0 = t[0];
  const std::uint64_t dt = (t[n - 1] - t0) / static_cast<std::uint64_t>(T);
  for (int j = 1; j < T; ++j)
    bounds[j] = static_cast<std::size_t>(
        std::lower_bound(t + bounds[j - 1], t + n, t0 + static_cast<std::uint64_t>(j) * dt) - t);
}

namespace {

// Validates before the members are sized from the parameters.
const FrameParams& checked(const FrameParams& params) {
  validate(params);
  return params;
}

}  // namespace

Integrator::Integrator(const FrameParams& params)
    : params_(checked(params)),
      bounds_(static_cast<std::size_t>(params.T) + 1),
      wide_(params.frame_elements()) {}

std::uint32_t Integrator::empty_time_frames(std::size_t n) const {
  if (params_.split_by != SplitBy::time || n == 0) return 0;
  std::uint32_t empty = 0;
  for (int j = 0; j < params_.T; ++j)
    empty += bounds_[static_cast<std::size_t>(j)] == bounds_[static_cast<std::size_t>(j) + 1] ? 1 : 0;
  return empty;
}

std::uint64_t Integrator::frame_duration(const std::uint64_t* t, std::size_t n, int j) const {
  if (n == 0) return 0;
  const int last = params_.T - 1;
  if (params_.split_by == SplitBy::time) {
    const std::uint64_t span = t[n - 1] - t[0];
    const auto T = static_cast<std::uint64_t>(params_.T);
    return j < last ? span / T : span / T + span % T;
  }
  const std::size_t first = bounds_[static_cast<std::size_t>(j)];
  if (j < last) return t[bounds_[static_cast<std::size_t>(j) + 1]] - t[first];
  return t[n - 1] - t[first] + 1;
}

SampleNotes Integrator::counts(const std::uint64_t* t, const std::uint32_t* addr, std::size_t n,
                               std::uint16_t* dst) {
  constexpr std::size_t kMax = std::numeric_limits<std::uint16_t>::max();
  SampleNotes notes;
  notes.events = n;
  frame_bounds(t, n, params_.T, params_.split_by, bounds_.data());
  notes.empty_time_frames = empty_time_frames(n);
  const std::size_t fe = params_.frame_elements();
  std::memset(dst, 0, params_.sample_elements() * sizeof(std::uint16_t));
  for (int j = 0; j < params_.T; ++j) {
    std::uint16_t* frame = dst + static_cast<std::size_t>(j) * fe;
    const std::size_t lo = bounds_[static_cast<std::size_t>(j)];
    const std::size_t hi = bounds_[static_cast<std::size_t>(j) + 1];
    // A frame of at most 65535 events cannot overflow a uint16 pixel, so
    // almost every frame counts straight into the output.
    if (hi - lo <= kMax) {
      for (std::size_t i = lo; i < hi; ++i) ++frame[addr[i]];
      continue;
    }
    std::fill(wide_.begin(), wide_.end(), 0u);
    for (std::size_t i = lo; i < hi; ++i) ++wide_[addr[i]];
    for (std::size_t e = 0; e < fe; ++e) {
      const bool over = wide_[e] > kMax;
      notes.saturated_counts += over ? 1 : 0;
      frame[e] = static_cast<std::uint16_t>(over ? kMax : wide_[e]);
    }
  }
  return notes;
}

namespace {

// max, norm or sum of one polarity plane of counts into float.
void normalize_plane(const std::uint32_t* counts, std::size_t size, Normalization normalization,
                     float* out) {
  if (normalization == Normalization::max) {
    const std::uint32_t top = *std::max_element(counts, counts + size);
    const double denom = std::max(static_cast<double>(top), kNormEps);
    for (std::size_t e = 0; e < size; ++e) out[e] = static_cast<float>(counts[e] / denom);
    return;
  }
  double sum = 0;
  for (std::size_t e = 0; e < size; ++e) sum += counts[e];
  if (normalization == Normalization::sum) {
    const double denom = std::max(sum, kNormEps);
    for (std::size_t e = 0; e < size; ++e) out[e] = static_cast<float>(counts[e] / denom);
    return;
  }
  const double mean = sum / static_cast<double>(size);
  double squares = 0;
  for (std::size_t e = 0; e < size; ++e) {
    const double d = counts[e] - mean;
    squares += d * d;
  }
  const double var = size > 1 ? squares / static_cast<double>(size - 1) : 0.0;
  const double denom = std::sqrt(std::max(var, kNormEps));
  for (std::size_t e = 0; e < size; ++e) out[e] = static_cast<float>((counts[e] - mean) / denom);
}

}  // namespace

SampleNotes Integrator::normalized(const std::uint64_t* t, const std::uint32_t* addr,
                                   std::size_t n, float* dst) {
  if (params_.stores_counts())
    throw UsageError("normalization none integrates to counts, not to float frames");
  SampleNotes notes;
  notes.events = n;
  frame_bounds(t, n, params_.T, params_.split_by, bounds_.data());
  notes.empty_time_frames = empty_time_frames(n);
  const std::size_t fe = params_.frame_elements();
  const std::size_t plane = params_.sensor.pixels();
  for (int j = 0; j < params_.T; ++j) {
    float* frame = dst + static_cast<std::size_t>(j) * fe;
    std::fill(wide_.begin(), wide_.end(), 0u);
    for (std::size_t i = bounds_[static_cast<std::size_t>(j)];
         i < bounds_[static_cast<std::size_t>(j) + 1]; ++i)
      ++wide_[addr[i]];
    if (params_.normalization == Normalization::frequency) {
      std::uint64_t d = frame_duration(t, n, j);
      if (d == 0) {
        d = 1;
        ++notes.zero_duration_frames;
      }
      const auto denom = static_cast<double>(d);
      for (std::size_t e = 0; e < fe; ++e) frame[e] = static_cast<float>(wide_[e] / denom);
      continue;
    }
    for (int p = 0; p < 2; ++p)
      normalize_plane(wide_.data() + p * plane, plane, params_.normalization, frame + p * plane);
  }
  return notes;
}

}  // namespace plifkit::frames
