#include "plifkit/frames/chunk_codec.hpp"

#include <cstring>

#include "plifkit/core/error.hpp"
#include "plifkit/core/zlib_inflate.hpp"
#include "plifkit/frames/rle_deflate.hpp"

namespace plifkit::frames {
namespace {

// Byte k of element i goes to planes[k * count + i]: one pass over the
// elements instead of one strided pass per plane. Byte 0 is the least
// significant: HDF5 shuffles the stored little-endian bytes, and this host
// is little-endian (the AEDAT decoder asserts it).
template <typename Word>
void shuffle(const void* data, std::size_t count, std::uint8_t* planes) {
  const auto* src = static_cast<const std::uint8_t*>(data);
  for (std::size_t i = 0; i < count; ++i) {
    Word w;
    std::memcpy(&w, src + i * sizeof(Word), sizeof(Word));
    for (std::size_t k = 0; k < sizeof(Word); ++k)
      planes[k * count + i] = static_cast<std::uint8_t>(w >> (8 * k));
  }
}

// The inverse of shuffle.
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
  scratch.resize(count * elem_size);
  if (elem_size == 2)
    shuffle<std::uint16_t>(data, count, scratch.data());
  else if (elem_size == 4)
    shuffle<std::uint32_t>(data, count, scratch.data());
  else
    throw UsageError("frames chunks hold 2- or 4-byte elements, not " + std::to_string(elem_size));
  rle_deflate(scratch.data(), scratch.size(), out);
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
