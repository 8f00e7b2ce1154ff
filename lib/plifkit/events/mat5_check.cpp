#include "plifkit/events/mat5_check.hpp"

#include <zlib.h>

#include <cstdio>
#include <algorithm>
#include <cstring>
#include <vector>

#include "plifkit/core/error.hpp"

namespace plifkit {
namespace {

constexpr std::size_t kHeaderBytes = 128;
constexpr std::uint32_t kMiInt8 = 1, kMiInt32 = 5, kMiUint32 = 6, kMiMatrix = 14, kMiCompressed = 15;
// MATLAB array classes: 1 cell, 2 struct, 4 char, 6 (double) .. 15 (uint64)
// numeric.
constexpr std::uint32_t kCellClass = 1, kStructClass = 2, kCharClass = 4;
constexpr std::uint32_t kFirstNumericClass = 6, kLastNumericClass = 15;
// Deflate cannot expand data more than about 1032:1.
constexpr std::uint64_t kMaxInflateRatio = 1032;
// Enough of an inflated matrix to hold its tags up to the real part's.
constexpr std::size_t kInflatedPrefix = 4096;

struct Tag {
  std::uint32_t type = 0;
  std::uint64_t bytes = 0;      // of the data
  std::uint64_t data_at = 0;    // offset of the data
  std::uint64_t next = 0;       // offset of the next element
};

class Walker {
 public:
  Walker(const std::uint8_t* data, std::size_t size, bool swap, const std::string& path)
      : data_(data), size_(size), swap_(swap), path_(path) {}

  std::uint32_t u32(std::uint64_t at) const {
    std::uint32_t v;
    std::memcpy(&v, data_ + at, 4);
    return swap_ ? __builtin_bswap32(v) : v;
  }

  [[noreturn]] void bad(std::uint64_t at, const std::string& what) const {
    throw FormatError(cannot_decode(path_, at) + what);
  }

  // The element at `at`, which must end by `end`.
  Tag tag(std::uint64_t at, std::uint64_t end, bool padded) const {
    if (at + 8 > end) bad(at, "MAT-file element tag past the end of what holds it");
    Tag t;
    const std::uint32_t first = u32(at);
    if ((first >> 16) != 0) {  // small data element: 2-byte size, 4 bytes of data
      t.type = first & 0xFFFF;
      t.bytes = first >> 16;
      t.data_at = at + 4;
      t.next = at + 8;
      if (t.bytes > 4) bad(at, "small MAT-file element of " + std::to_string(t.bytes) + " bytes");
      return t;
    }
    t.type = first;
    t.bytes = u32(at + 4);
    t.data_at = at + 8;
    t.next = t.data_at + (padded ? (t.bytes + 7) / 8 * 8 : t.bytes);
    if (t.data_at + t.bytes > end)
      bad(at, "MAT-file element of " + std::to_string(t.bytes) + " bytes, only " +
                  std::to_string(end - t.data_at) + " left");
    return t;
  }

  // A matrix whose data starts at `at` and ends by `stop`; its tags can be
  // read up to `visible` (stop, or the end of an inflated prefix).
  void matrix(std::uint64_t at, std::uint64_t visible, std::uint64_t stop) const {
    const Tag flags = tag(at, std::min(visible, stop), true);
    if (flags.type != kMiUint32 || flags.bytes != 8) bad(at, "matrix without its array flags");
    const std::uint32_t array_class = u32(flags.data_at) & 0xFF;
    // Sparse arrays, objects and the rest hold counts this walk does not
    // check; ASL-DVS files are dense vectors (and what holds them).
    if (array_class != kCellClass && array_class != kStructClass && array_class != kCharClass &&
        (array_class < kFirstNumericClass || array_class > kLastNumericClass))
      bad(flags.data_at, "MATLAB array class " + std::to_string(array_class) +
                             " (sparse, object or other), not a dense array");
    const Tag dims = tag(flags.next, std::min(visible, stop), true);
    if (dims.type != kMiInt32 || dims.bytes < 8 || dims.bytes % 4 != 0)
      bad(flags.next, "matrix without its dimensions");
    std::uint64_t elements = 1;
    for (std::uint64_t d = dims.data_at; d < dims.data_at + dims.bytes; d += 4) {
      const auto n = static_cast<std::int32_t>(u32(d));
      if (n < 0) bad(d, "negative matrix dimension");
      elements *= static_cast<std::uint64_t>(n);
      if (elements > stop) bad(d, "matrix dimensions claim more elements than the file holds");
    }
    const Tag name = tag(dims.next, std::min(visible, stop), true);
    if (name.type != kMiInt8) bad(dims.next, "matrix without its name");
    // Then the data: for numeric and char arrays the real (and imaginary)
    // part, at least a byte per element; for cells and structs further
    // sub-elements and matrices. Every one must fit in the matrix.
    const bool counted = array_class == kCharClass ||
                         (array_class >= kFirstNumericClass && array_class <= kLastNumericClass);
    bool first = true;
    for (std::uint64_t pos = name.next; pos < stop && pos + 8 <= visible; first = false) {
      const Tag t = tag(pos, stop, true);
      if (first && counted && t.bytes < elements)
        bad(pos, "matrix of " + std::to_string(elements) + " elements holds only " +
                     std::to_string(t.bytes) + " bytes of data");
      if (t.type == kMiMatrix) matrix(t.data_at, std::min(visible, t.data_at + t.bytes), t.data_at + t.bytes);
      pos = t.next;
    }
    if (first && counted && elements > 0 && name.next >= stop) bad(name.next, "matrix without its data");
  }

  void compressed(const Tag& t) const {
    // Inflate the start: the matrix's tags are all there.
    std::vector<std::uint8_t> prefix(kInflatedPrefix);
    z_stream z{};
    if (inflateInit(&z) != Z_OK) bad(t.data_at, "zlib cannot start");
    z.next_in = const_cast<Bytef*>(data_ + t.data_at);
    z.avail_in = static_cast<uInt>(t.bytes);
    z.next_out = prefix.data();
    z.avail_out = static_cast<uInt>(prefix.size());
    const int rc = inflate(&z, Z_SYNC_FLUSH);
    const std::size_t got = prefix.size() - z.avail_out;
    inflateEnd(&z);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR)
      bad(t.data_at, "compressed MAT-file element does not inflate");
    // The matrix's tag: only a prefix of what it claims was inflated, so its
    // size is bounded by what the compressed bytes can hold instead.
    if (got < 8) bad(t.data_at, "compressed MAT-file element shorter than a tag");
    const Walker inner(prefix.data(), got, swap_, path_);
    const std::uint32_t type = inner.u32(0);
    const std::uint64_t bytes = inner.u32(4);
    if (type != kMiMatrix) bad(t.data_at, "compressed MAT-file element holds no matrix");
    if (bytes + 8 > kMaxInflateRatio * t.bytes)
      bad(t.data_at, "compressed matrix claims " + std::to_string(bytes) + " bytes, more than " +
                         std::to_string(t.bytes) + " compressed bytes can hold");
    inner.matrix(8, got, 8 + bytes);
  }

  void file() const {
    std::uint64_t at = kHeaderBytes;
    while (at < size_) {
      // Tags of top-level elements are 8-byte aligned, a compressed one's end not.
      const Tag t = tag(at, size_, false);
      if (t.type == kMiMatrix) {
        matrix(t.data_at, t.data_at + t.bytes, t.data_at + t.bytes);
        at = t.data_at + (t.bytes + 7) / 8 * 8;
      } else {
        if (t.type == kMiCompressed) compressed(t);
        at = t.next;
      }
    }
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  bool swap_;
  const std::string& path_;
};

}  // namespace

void check_mat5_structure(const std::uint8_t* data, std::size_t size, const std::string& path) {
  if (size < kHeaderBytes)
    throw FormatError(quoted(path) + ": not a MATLAB 5 file (" + std::to_string(size) +
                      " bytes, shorter than its 128-byte header)");
  // "IM" as written by a little-endian machine reads back as 'I','M'.
  const bool little = data[126] == 'I' && data[127] == 'M';
  const bool big = data[126] == 'M' && data[127] == 'I';
  if (!little && !big)
    throw FormatError(quoted(path) + ": not a MATLAB 5 file (no endian indicator at byte 126)");
  const std::uint16_t version = little ? static_cast<std::uint16_t>(data[124] | data[125] << 8)
                                       : static_cast<std::uint16_t>(data[125] | data[124] << 8);
  if (version != 0x0100) {
    char hex[8];
    std::snprintf(hex, sizeof hex, "%04x", version);
    throw FormatError(quoted(path) + ": MAT-file version 0x" + hex +
                      (version == 0x0200 ? " (7.3, HDF5-based)" : "") +
                      "; ASL-DVS files are MATLAB 5 files (version 0x0100)");
  }
  const bool host_little = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
  Walker(data, size, little != host_little, path).file();
}

}  // namespace plifkit
