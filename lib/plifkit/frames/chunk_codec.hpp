// Compression of one sample of the frames dataset, done in the worker threads
// so the single HDF5 writer only copies bytes (HDF5 itself is not thread-safe).
// The encoding is HDF5's filter pipeline "shuffle, then deflate" (a zlib
// stream), so the chunk written with H5Dwrite_chunk reads back through the
// ordinary filters of any HDF5 reader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace plifkit::frames {

// Deflate level recorded in the frames dataset's filter parameters. Only
// informative: the chunks are encoded by rle_deflate, which has no levels.
inline constexpr int kFramesDeflateLevel = 1;

// Encodes `count` elements of `elem_size` bytes (2: uint16, 4: float32;
// else UsageError) at `data` into `out` (replaced): HDF5 shuffle (byte k of
// every element, for k = 0..size-1, so that the always-zero high bytes of
// small counts form long runs), then deflate, both in one pass of
// rle_deflate. `scratch` holds rle_deflate's buffer between calls: reused,
// it is allocated once.
void encode_chunk(const void* data, std::size_t count, std::size_t elem_size,
                  std::vector<std::uint8_t>& scratch, std::vector<std::uint8_t>& out);

// The inverse, for chunks read raw from the file: inflates the zlib stream
// [data, data + size) into exactly count * elem_size bytes and, when
// `shuffled`, undoes the shuffle, writing them to `out`. This is HDF5's
// "shuffle, then deflate" read path with the decoded size checked: HDF5
// 1.10 copies a whole chunk's worth of bytes out of a chunk that decodes to
// fewer (a heap over-read on a damaged file). `scratch` is reused between
// calls. Throws FormatError "<where>: ..." for a stream that is corrupt or
// decodes to another size.
void decode_chunk(const std::uint8_t* data, std::size_t size, std::size_t count,
                  std::size_t elem_size, bool shuffled, std::vector<std::uint8_t>& scratch,
                  void* out, const std::string& where);

}  // namespace plifkit::frames
