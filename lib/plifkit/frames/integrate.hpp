// Integration of one sample's events into T frames, exactly as the reference
// (SpikingJelly 0.0.0.0.4 integrate_events_to_frames / normalize_frame):
//
// The sample of a label row is the events with t_start <= t < t_end of the
// time-sorted recording; with N of them (t_0 .. t_{N-1}), frame j of T holds
// events [b_j, b_{j+1}):
//   number: di = N div T, b_j = j * di for j < T, b_T = N
//           (the last frame takes the remainder);
//   time:   dt = (t_{N-1} - t_0) div T, b_j = first event with
//           t >= t_0 + j * dt for 0 < j < T, b_0 = 0, b_T = N
//           (the last frame takes everything from t_0 + (T-1) * dt on).
// F[j][p][y][x] counts the events of frame j with polarity p at pixel (x, y).
//
// Normalizations (per frame j, and for max/norm/sum per polarity plane):
//   none       the counts, uint16 (see saturation below)
//   frequency  F / d_j with d_j the frame's duration in microseconds:
//              time:   d_j = dt, the last d_{T-1} = dt + (t_{N-1} - t_0) mod T
//              number: d_j = t[b_{j+1}] - t[b_j], the last
//                      d_{T-1} = t_{N-1} - t[b_{T-1}] + 1
//   max        F / max(max F, eps)
//   norm       (F - mean F) / sqrt(max(var F, eps)), var with n - 1 (unbiased)
//   sum        F / max(sum F, eps)
// with eps = 1e-5, computed in double and stored as float32.
//
// Where this deliberately differs from the formulas' literal result, the
// sample is flagged so the caller can warn:
//   * a frequency frame whose duration is 0 us (N < T, ties, or a window
//     shorter than T us) is divided by 1 us, the clock's resolution, instead
//     of producing inf or NaN;
//   * a count above 65535 (uint16) is stored as 65535.
// Samples with fewer than T events (or none) are integrated by the same
// formulas, which leave the first frames empty.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "plifkit/frames/frame_params.hpp"

namespace plifkit::frames {

inline constexpr double kNormEps = 1e-5;

// What integration noticed about one sample (see the header comment).
struct SampleNotes {
  std::uint64_t events = 0;                // N
  std::uint32_t zero_duration_frames = 0;  // frequency frames divided by 1 us instead of 0
  std::uint64_t saturated_counts = 0;      // uint16 counts clamped to 65535
  // split_by time with events: frames that received none (time slices with
  // no event, or all but the last when the window spans fewer than T us).
  // The reference raises on such a sample; here the frames are zero.
  std::uint32_t empty_time_frames = 0;
};

// The events of the half-open window [t_start, t_end) of time-sorted times
// t[0, n): returns [first, last) by binary search.
struct EventRange {
  std::size_t first = 0;
  std::size_t last = 0;
};
EventRange find_window(const std::uint64_t* t, std::size_t n, std::uint64_t t_start,
                       std::uint64_t t_end);

// Frame boundaries b_0..b_T of N time-sorted events (see above); bounds has T + 1 entries.
void frame_bounds(const std::uint64_t* t, std::size_t n, int T, SplitBy split_by,
                  std::size_t* bounds);

// Integrates samples one after the other, reusing its scratch memory.
class Integrator {
 public:
  explicit Integrator(const FrameParams& params);

  // Events t[0, n) (non-decreasing microseconds) with frame addresses
  // addr[0, n) (p * H * W + y * W + x) into dst, laid out [T, 2, H, W]
  // row-major, sample_elements() values, all overwritten.
  // counts(): normalization none; normalized(): any other normalization.
  SampleNotes counts(const std::uint64_t* t, const std::uint32_t* addr, std::size_t n,
                     std::uint16_t* dst);
  SampleNotes normalized(const std::uint64_t* t, const std::uint32_t* addr, std::size_t n,
                         float* dst);

  const FrameParams& params() const { return params_; }

 private:
  // Frames of the current bounds_ without events, for split_by time.
  std::uint32_t empty_time_frames(std::size_t n) const;
  // Duration of frame j in microseconds for "frequency"; 0 when the formula gives 0.
  std::uint64_t frame_duration(const std::uint64_t* t, std::size_t n, int j) const;

  FrameParams params_;
  std::vector<std::size_t> bounds_;   // T + 1
  std::vector<std::uint32_t> wide_;   // one frame [2, H, W] of uint32 counts
};

}  // namespace plifkit::frames
