#include "plifkit/core/zlib_inflate.hpp"

#include <zlib.h>

#include <limits>

namespace plifkit {

std::string inflate_exact(const std::uint8_t* data, std::size_t size, std::uint8_t* out,
                          std::size_t expected) {
  if (size > std::numeric_limits<uInt>::max() || expected > std::numeric_limits<uInt>::max())
    return "is too large (" + std::to_string(size) + " bytes)";
  z_stream z{};
  if (inflateInit(&z) != Z_OK) return "cannot be decoded (zlib does not start)";
  z.next_in = const_cast<Bytef*>(data);
  z.avail_in = static_cast<uInt>(size);
  z.next_out = out;
  z.avail_out = static_cast<uInt>(expected);
  const int rc = inflate(&z, Z_FINISH);
  const std::size_t produced = z.total_out;
  const bool full = z.avail_out == 0;
  const std::string why = z.msg != nullptr      ? std::string(z.msg)
                          : rc == Z_BUF_ERROR ? std::string("the stream ends early")
                                              : "error " + std::to_string(rc);
  inflateEnd(&z);
  if (rc == Z_STREAM_END && produced == expected) return "";
  if (rc == Z_STREAM_END)
    return "decodes to " + std::to_string(produced) + " bytes, expected " + std::to_string(expected);
  if (full) return "does not end after the expected " + std::to_string(expected) + " bytes";
  return "is damaged (zlib: " + why + ")";
}

}  // namespace plifkit
