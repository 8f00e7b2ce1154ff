#include "plifkit/frames/sample_encoder.hpp"

#include "plifkit/frames/chunk_codec.hpp"

namespace plifkit::frames {

SampleEncoder::SampleEncoder(const FrameParams& params)
    : integrator_(params),
      counts_(params.stores_counts() ? params.sample_elements() : 0),
      floats_(params.stores_counts() ? 0 : params.sample_elements()) {}

SampleNotes SampleEncoder::encode(const std::uint64_t* t, const std::uint32_t* addr, std::size_t n,
                                  std::vector<std::uint8_t>& chunk) {
  if (integrator_.params().stores_counts()) {
    const SampleNotes notes = integrator_.counts(t, addr, n, counts_.data());
    encode_chunk(counts_.data(), counts_.size(), sizeof(std::uint16_t), scratch_, chunk);
    return notes;
  }
  const SampleNotes notes = integrator_.normalized(t, addr, n, floats_.data());
  encode_chunk(floats_.data(), floats_.size(), sizeof(float), scratch_, chunk);
  return notes;
}

}  // namespace plifkit::frames
