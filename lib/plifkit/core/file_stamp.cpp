#include "plifkit/core/file_stamp.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "plifkit/core/error.hpp"

namespace plifkit {

FileStamp stamp_file(const std::string& path, const std::string& what) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) throw InputError(what + " " + quoted(path) + " does not exist");
    throw IoError("cannot inspect " + quoted(path) + ": " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) throw InputError(what + " " + quoted(path) + " is not a regular file");
  FileStamp stamp;
  stamp.size = static_cast<std::uint64_t>(st.st_size);
  stamp.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return stamp;
}

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace plifkit
