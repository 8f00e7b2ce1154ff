#include "plifkit/tensorboard/record_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "plifkit/core/error.hpp"
#include "plifkit/tensorboard/crc32c.hpp"

namespace plifkit::tensorboard {

namespace {

constexpr std::size_t kHeaderBytes = 12;  // length + its CRC
constexpr std::size_t kFooterBytes = 4;   // CRC of the data

void put_le(std::string& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

std::uint64_t get_le(const char* p, int bytes) {
  std::uint64_t value = 0;
  for (int i = 0; i < bytes; ++i)
    value |= static_cast<std::uint64_t>(static_cast<unsigned char>(p[i])) << (8 * i);
  return value;
}

std::string read_whole_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw IoError("cannot open " + quoted(path) + ": " + std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw IoError("cannot open " + quoted(path) + ": it is a folder");
  }
  std::string bytes;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int reason = errno;
      ::close(fd);
      throw IoError("cannot read " + quoted(path) + ": " + std::strerror(reason));
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return bytes;
}

}  // namespace

std::string frame_record(const std::string& data) {
  std::string out;
  out.reserve(kHeaderBytes + data.size() + kFooterBytes);
  put_le(out, data.size(), 8);
  put_le(out, masked_crc32c(out.data(), 8), 4);
  out += data;
  put_le(out, masked_crc32c(data.data(), data.size()), 4);
  return out;
}

RecordFile read_record_file(const std::string& path) {
  const std::string bytes = read_whole_file(path);
  RecordFile file;
  std::size_t at = 0;
  auto corrupt = [&](const std::string& what) {
    throw FormatError(quoted(path) + ": record at byte " + std::to_string(at) + ": " + what +
                      " (the file is damaged)");
  };
  while (at < bytes.size()) {
    const std::size_t left = bytes.size() - at;
    if (left < kHeaderBytes) {
      file.truncated_at = static_cast<std::int64_t>(at);
      break;
    }
    const char* header = bytes.data() + at;
    if (static_cast<std::uint32_t>(get_le(header + 8, 4)) != masked_crc32c(header, 8))
      corrupt("the CRC of the length does not match");
    const std::uint64_t length = get_le(header, 8);
    if (length > left - kHeaderBytes || left - kHeaderBytes - length < kFooterBytes) {
      file.truncated_at = static_cast<std::int64_t>(at);
      break;
    }
    const char* data = header + kHeaderBytes;
    if (static_cast<std::uint32_t>(get_le(data + length, 4)) != masked_crc32c(data, length))
      corrupt("the CRC of the data does not match");
    file.records.push_back({at, std::string(data, length)});
    at += kHeaderBytes + length + kFooterBytes;
  }
  return file;
}

}  // namespace plifkit::tensorboard
