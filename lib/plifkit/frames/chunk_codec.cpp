#include "plifkit/frames/chunk_codec.hpp"

#include <cstring>

#include "plifkit/core/error.hpp"
#include "plifkit/core/zlib_inflate.hpp"
#include "plifkit/frames/rle_deflate.hpp"

namespace plifkit::frames {
namespace {

// The inverse of HDF5's shuffle: byte k of element i is planes[k * count + i].
// Byte 0 is the least significant: HDF5 shuffles the stored little-endian
// bytes, and this host is little-endian (the AEDAT decoder asserts it).
template <typename Word>
void unshuffle(const std::uint8_t* planes, std::size_t count, void* data) {
  auto* dst = static_cast<std::uint8_t*>(data);
  for (std::size_t i = 0; i < count; ++i) {
    Word w = 0;
    for (std::size_t k = 0; k < sizeof(Word); ++k)
      w |= static_cast<Word>(static_cast<Word>(planes[k * count + i]) << (8 * k));
    std::memcpy(dst + i * sizeof(Word), &w, sizeof(Word));
  }
}

}  // namespace

void encode_chunk(const void* data, std::size_t count, std::size_t elem_size,
                  std::vector<std::uint8_t>& scratch, std::vector<std::uint8_t>& out) {
  if (elem_size != 2 && elem_size != 4)
    throw UsageError("frames chunks hold 2- or 4-byte elements, not " + std::to_string(elem_size));
  // The stream goes to the reused scratch first: `out` is often a new
  // vector, and sizing it for the worst case would touch a megabyte per
  // sample for a stream of some tens of kilobytes.
  const std::size_t size = rle_deflate(data, count, elem_size, scratch);
  out.assign(scratch.data(), scratch.data() + size);
}

void decode_chunk(const std::uint8_t* data, std::size_t size, std::size_t count,
                  std::size_t elem_size, bool shuffled, std::vector<std::uint8_t>& scratch,
                  void* out, const std::string& where) {
  const std::size_t expected = count * elem_size;
  auto* dst = static_cast<std::uint8_t*>(out);
  std::uint8_t* inflated = dst;
  if (shuffled && elem_size > 1) {
    scratch.resize(expected);
    inflated = scratch.data();
  }
  const std::string why = inflate_exact(data, size, inflated, expected);
  if (!why.empty()) throw FormatError(where + ": compressed data " + why);
  if (inflated == dst) return;
  if (elem_size == 2)
    unshuffle<std::uint16_t>(inflated, count, dst);
  else if (elem_size == 4)
    unshuffle<std::uint32_t>(inflated, count, dst);
  else  // byte k of element i is planes[k * count + i]
    for (std::size_t i = 0; i < count; ++i)
      for (std::size_t k = 0; k < elem_size; ++k) dst[i * elem_size + k] = inflated[k * count + i];
}

}  // namespace plifkit::frames
