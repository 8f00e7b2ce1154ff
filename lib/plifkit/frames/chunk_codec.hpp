// Compression of one sample of the frames dataset, done in the worker threads
// so the single HDF5 writer only copies bytes (HDF5 itself is not thread-safe).
// The encoding is HDF5's filter pipeline "shuffle, then deflate" (a zlib
// stream), so the chunk written with H5Dwrite_chunk reads back through the
// ordinary filters of any HDF5 reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace plifkit::frames {

// Deflate level recorded in the frames dataset's filter parameters. Only
// informative: the chunks are encoded by rle_deflate, which has no levels.
inline constexpr int kFramesDeflateLevel = 1;

// Encodes `count` elements of `elem_size` bytes (2: uint16, 4: float32;
// else UsageError) at `data` into `out` (replaced): HDF5 shuffle (byte k of every element, for k = 0..size-1, so
// that the always-zero high bytes of small counts form long runs), then
// rle_deflate. `scratch` is reused between calls.
void encode_chunk(const void* data, std::size_t count, std::size_t elem_size,
                  std::vector<std::uint8_t>& scratch, std::vector<std::uint8_t>& out);

}  // namespace plifkit::frames
