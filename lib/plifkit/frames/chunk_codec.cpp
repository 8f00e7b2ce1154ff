#include "plifkit/frames/chunk_codec.hpp"

#include <zlib.h>

#include "plifkit/core/error.hpp"

namespace plifkit::frames {

void encode_chunk(const void* data, std::size_t count, std::size_t elem_size, int level,
                  std::vector<std::uint8_t>& scratch, std::vector<std::uint8_t>& out) {
  const std::size_t bytes = count * elem_size;
  scratch.resize(bytes);
  const auto* src = static_cast<const std::uint8_t*>(data);
  for (std::size_t b = 0; b < elem_size; ++b) {
    std::uint8_t* plane = scratch.data() + b * count;
    for (std::size_t i = 0; i < count; ++i) plane[i] = src[i * elem_size + b];
  }
  uLongf size = compressBound(static_cast<uLong>(bytes));
  out.resize(size);
  if (compress2(out.data(), &size, scratch.data(), static_cast<uLong>(bytes), level) != Z_OK)
    throw Error("zlib could not compress a frames chunk");
  out.resize(size);
}

}  // namespace plifkit::frames
