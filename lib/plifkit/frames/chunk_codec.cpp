#include "plifkit/frames/chunk_codec.hpp"

#include "plifkit/frames/rle_deflate.hpp"

namespace plifkit::frames {

void encode_chunk(const void* data, std::size_t count, std::size_t elem_size,
                  std::vector<std::uint8_t>& scratch, std::vector<std::uint8_t>& out) {
  scratch.resize(count * elem_size);
  const auto* src = static_cast<const std::uint8_t*>(data);
  for (std::size_t b = 0; b < elem_size; ++b) {
    std::uint8_t* plane = scratch.data() + b * count;
    for (std::size_t i = 0; i < count; ++i) plane[i] = src[i * elem_size + b];
  }
  rle_deflate(scratch.data(), scratch.size(), out);
}

}  // namespace plifkit::frames
