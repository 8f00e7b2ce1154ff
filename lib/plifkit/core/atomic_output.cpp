#include "plifkit/core/atomic_output.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "plifkit/core/error.hpp"

namespace plifkit {

std::string parent_folder(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

namespace {

void fsync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) throw IoError("cannot open " + quoted(path) + ": " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  // Some file systems cannot fsync a folder (EINVAL); the rename still holds.
  if (rc != 0 && saved != EINVAL)
    throw IoError("cannot sync " + quoted(path) + ": " + std::strerror(saved));
}

}  // namespace

AtomicOutput::AtomicOutput(std::string final_path) : final_path_(std::move(final_path)) {
  const std::string folder = parent_folder(final_path_);
  if (::access(folder.c_str(), W_OK | X_OK) != 0)
    throw IoError("cannot write " + quoted(final_path_) + ": folder " + quoted(folder) + " " +
                  std::strerror(errno));
  temp_path_ = final_path_ + ".tmp-" + std::to_string(::getpid());
}

AtomicOutput::~AtomicOutput() {
  if (!committed_) std::remove(temp_path_.c_str());
}

void AtomicOutput::commit() {
  fsync_path(temp_path_, O_RDONLY);
  if (std::rename(temp_path_.c_str(), final_path_.c_str()) != 0)
    throw IoError("cannot rename " + quoted(temp_path_) + " to " + quoted(final_path_) + ": " +
                  std::strerror(errno));
  committed_ = true;
  fsync_path(parent_folder(final_path_), O_RDONLY | O_DIRECTORY);
}

}  // namespace plifkit
