// Compression of one sample of the frames dataset, done in the worker threads
// so the single HDF5 writer only copies bytes (HDF5 itself is not thread-safe).
// The encoding is exactly HDF5's filter pipeline "shuffle, then deflate", so
// the chunk written with H5Dwrite_chunk reads back through the ordinary
// filters, and the bytes are those HDF5 would have produced itself.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace plifkit::frames {

// Deflate level of the frames dataset. Level 1 compresses these sparse counts
// nearly as well as higher levels at several times the speed.
inline constexpr int kFramesDeflateLevel = 1;

// Encodes `count` elements of `elem_size` bytes at `data` into `out`
// (replaced): HDF5 shuffle (byte k of every element, for k = 0..size-1), then
// zlib compress2 at `level`. `scratch` is reused between calls.
void encode_chunk(const void* data, std::size_t count, std::size_t elem_size, int level,
                  std::vector<std::uint8_t>& scratch, std::vector<std::uint8_t>& out);

}  // namespace plifkit::frames
