// How a reader turns a format's raw coordinates into (x, y) on the frame,
// where the reference and current readers disagree (docs/data-stage.md):
//
//   reference  the reference study's readers (SpikingJelly 0.0.0.0.4),
//              the default: CIFAR10-DVS x = 127 - x_raw, y = y_raw; ASL-DVS
//              x, y as stored.
//   sensor     current SpikingJelly's reading, which matches the dataset
//              authors' own viewers: CIFAR10-DVS transposed and flipped
//              (x = 127 - y_raw, y = 127 - x_raw); ASL-DVS both axes
//              flipped (x = 239 - x, y = 179 - y).
//
// N-MNIST and DVS128 Gesture have one reading everywhere: both values read
// them the same way. The frames file records the value used.
#pragma once

#include <array>

#include "plifkit/core/choice.hpp"

namespace plifkit {

enum class Orientation { reference, sensor };

template <>
struct Choices<Orientation> {
  static constexpr std::array<Choice<Orientation>, 2> all{
      {{Orientation::reference, "reference"}, {Orientation::sensor, "sensor"}}};
};

}  // namespace plifkit
