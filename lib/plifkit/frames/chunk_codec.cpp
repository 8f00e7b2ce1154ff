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
  z_stream z{};
  if (deflateInit2(&z, level, Z_DEFLATED, 15, 8, Z_RLE) != Z_OK)
    throw Error("zlib could not start compressing a frames chunk");
  out.resize(deflateBound(&z, static_cast<uLong>(bytes)));
  z.next_in = scratch.data();
  z.avail_in = static_cast<uInt>(bytes);
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw Error("zlib could not compress a frames chunk");
}

}  // namespace plifkit::frames
