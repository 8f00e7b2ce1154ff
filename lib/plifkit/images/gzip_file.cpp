#include "plifkit/images/gzip_file.hpp"

#include <zlib.h>

#include <algorithm>
#include <limits>

#include "plifkit/core/error.hpp"
#include "plifkit/core/file_stamp.hpp"
#include "plifkit/core/mapped_file.hpp"

namespace plifkit {

namespace {

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

std::vector<std::uint8_t> gunzip(const std::uint8_t* data, std::size_t size, const std::string& path,
                                 std::size_t max_bytes) {
  if (size < 2 || data[0] != 0x1f || data[1] != 0x8b)
    throw FormatError(cannot_decode(path, 0) + "not a gzip file (no gzip magic number)");
  z_stream z{};
  // 16 + MAX_WBITS: a gzip wrapper, not zlib's.
  if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
    throw FormatError(cannot_decode(path, 0) + "zlib does not start");
  std::vector<std::uint8_t> out;
  std::size_t in_done = 0;
  int rc = Z_OK;
  // uInt is 32 bits: the input goes in slices.
  const std::size_t slice = std::numeric_limits<uInt>::max() / 2;
  while (rc != Z_STREAM_END) {
    if (z.avail_in == 0 && in_done < size) {
      const std::size_t n = std::min(slice, size - in_done);
      z.next_in = const_cast<Bytef*>(data + in_done);
      z.avail_in = static_cast<uInt>(n);
      in_done += n;
    }
    if (out.size() >= max_bytes) {
      inflateEnd(&z);
      throw FormatError(cannot_decode(path, in_done - z.avail_in) + "inflates to more than " +
                        std::to_string(max_bytes) + " bytes");
    }
    const std::size_t have = out.size();
    const std::size_t grow = std::min({std::max<std::size_t>(have, 1 << 16), max_bytes - have, slice});
    out.resize(have + grow);
    z.next_out = out.data() + have;
    z.avail_out = static_cast<uInt>(grow);
    rc = inflate(&z, Z_NO_FLUSH);
    out.resize(have + grow - z.avail_out);
    if (rc == Z_STREAM_END) break;
    const std::size_t at = in_done - z.avail_in;
    if (rc == Z_BUF_ERROR && z.avail_in == 0 && in_done == size) {
      inflateEnd(&z);
      throw FormatError(cannot_decode(path, at) + "truncated gzip stream");
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      const std::string why = z.msg != nullptr ? z.msg : "error " + std::to_string(rc);
      inflateEnd(&z);
      throw FormatError(cannot_decode(path, at) + "damaged gzip stream (zlib: " + why + ")");
    }
  }
  inflateEnd(&z);
  return out;
}

std::vector<std::uint8_t> read_maybe_gzip(const std::string& path, std::size_t max_bytes) {
  stamp_file(path, "file");  // a missing file is an InputError saying so
  const MappedFile file(path);
  if (ends_with(path, ".gz")) return gunzip(file.data(), file.size(), path, max_bytes);
  return std::vector<std::uint8_t>(file.data(), file.data() + file.size());
}

std::vector<std::uint8_t> gzip_bytes(const std::uint8_t* data, std::size_t size) {
  z_stream z{};
  if (deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw IoError("cannot start gzip compression (zlib)");
  std::vector<std::uint8_t> out(deflateBound(&z, static_cast<uLong>(size)));
  z.next_in = const_cast<Bytef*>(data);
  z.avail_in = static_cast<uInt>(size);
  z.next_out = out.data();
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw IoError("cannot gzip " + std::to_string(size) + " bytes (zlib)");
  return out;
}

}  // namespace plifkit
