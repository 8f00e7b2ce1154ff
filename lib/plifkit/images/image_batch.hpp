// What every image reader returns: the images of one distributed file
// (an IDX pair, a CIFAR-10 batch) with their labels, in the file's order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace plifkit {

// MNIST, Fashion-MNIST and CIFAR-10 all have ten classes; the readers
// refuse a label outside 0..kImageClassNum-1.
inline constexpr int kImageClassNum = 10;

struct ImageBatch {
  std::size_t count = 0;
  int channels = 0, height = 0, width = 0;
  std::vector<std::uint8_t> pixels;  // [count, channels, height, width], as distributed
  std::vector<std::uint8_t> labels;  // [count], each below kImageClassNum
  std::size_t image_bytes() const {
    return static_cast<std::size_t>(channels) * static_cast<std::size_t>(height) *
           static_cast<std::size_t>(width);
  }
};

}  // namespace plifkit
