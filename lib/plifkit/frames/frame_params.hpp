// How the events of one sample become T frames: the split mode, the
// normalization (config/frame_settings.hpp) and the frame shape.
#pragma once

#include <cstddef>
#include <string>

#include "plifkit/config/frame_settings.hpp"
#include "plifkit/events/event_buffer.hpp"

namespace plifkit::frames {

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
