// Whole-file reads of the image datasets' inputs, which come plain or
// gzip-compressed (MNIST's .gz files, as downloaded).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace plifkit {

// The file's bytes; when its name ends in ".gz", the bytes of the gzip
// stream it holds (one member, as gzip and zlib write them). Byte offsets in
// later messages about a .gz file count in the uncompressed data. Throws
// InputError when the file is missing, IoError when it cannot be read,
// FormatError naming the file for a stream that is not gzip, damaged,
// truncated, or inflates to more than max_bytes.
std::vector<std::uint8_t> read_maybe_gzip(const std::string& path,
                                          std::size_t max_bytes = std::size_t{1} << 31);

// Inflates the gzip stream [data, data + size) (same rules; `path` names it
// in messages).
std::vector<std::uint8_t> gunzip(const std::uint8_t* data, std::size_t size, const std::string& path,
                                 std::size_t max_bytes);

// A gzip stream of [data, data + size) as `gzip -6 -n` would write it (no
// name, modification time 0), the same bytes on every run.
std::vector<std::uint8_t> gzip_bytes(const std::uint8_t* data, std::size_t size);

}  // namespace plifkit
