// One sample's way into the frames file, as done by each worker thread:
// integrate its events into T frames, then encode them as one compressed
// chunk, reusing the frame and scratch buffers from one sample to the next.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "plifkit/frames/frame_params.hpp"
#include "plifkit/frames/integrate.hpp"

namespace plifkit::frames {

class SampleEncoder {
 public:
  explicit SampleEncoder(const FrameParams& params);

  // Events t[0, n), addr[0, n) (integrate.hpp) into `chunk` (replaced).
  SampleNotes encode(const std::uint64_t* t, const std::uint32_t* addr, std::size_t n,
                     std::vector<std::uint8_t>& chunk);

 private:
  Integrator integrator_;
  std::vector<std::uint16_t> counts_;
  std::vector<float> floats_;
  std::vector<std::uint8_t> scratch_;
};

}  // namespace plifkit::frames
