// How the events of one sample become T frames: the split mode, the
// normalization and the frame shape. Names are those of the seed's options
// (`-split_by number -normalization None`); the frames file stores them in
// lowercase (`none`).
#pragma once

#include <cstddef>
#include <string>

#include "plifkit/config/choice.hpp"
#include "plifkit/events/event_buffer.hpp"

namespace plifkit::frames {

enum class SplitBy { number, time };
enum class Normalization { none, frequency, max, norm, sum };

}  // namespace plifkit::frames

namespace plifkit {
template <>
struct Choices<frames::SplitBy> {
  static constexpr std::array<Choice<frames::SplitBy>, 2> all{
      {{frames::SplitBy::number, "number"}, {frames::SplitBy::time, "time"}}};
};
template <>
struct Choices<frames::Normalization> {
  static constexpr std::array<Choice<frames::Normalization>, 5> all{
      {{frames::Normalization::none, "none"},
       {frames::Normalization::frequency, "frequency"},
       {frames::Normalization::max, "max"},
       {frames::Normalization::norm, "norm"},
       {frames::Normalization::sum, "sum"}}};
};

}  // namespace plifkit

namespace plifkit::frames {

// Case-insensitive: "number", "time". Throws UsageError naming the accepted values.
SplitBy parse_split_by(const std::string& text);
// Case-insensitive: "none" (the seed writes "None"), "frequency", "max",
// "norm", "sum". Throws UsageError naming the accepted values.
Normalization parse_normalization(const std::string& text);

// The names stored in the frames file: "number", "none", ...
const char* name_of(SplitBy split_by);
const char* name_of(Normalization normalization);

struct FrameParams {
  int T = 0;  // frames per sample, >= 1
  SplitBy split_by = SplitBy::number;
  Normalization normalization = Normalization::none;
  SensorSize sensor;

  // Elements of one frame [2, H, W] and of one sample [T, 2, H, W].
  std::size_t frame_elements() const { return 2 * static_cast<std::size_t>(sensor.pixels()); }
  std::size_t sample_elements() const { return static_cast<std::size_t>(T) * frame_elements(); }
  // Counts (uint16) for "none", float32 otherwise.
  bool stores_counts() const { return normalization == Normalization::none; }
};

// Throws UsageError when T < 1, the sensor is empty, or one sample would not
// fit in an HDF5 chunk (4 GiB).
void validate(const FrameParams& params);

}  // namespace plifkit::frames
