#include "plifkit/core/atomic_output.hpp"

#include <fcntl.h>
#include <sys/stat.h>
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
  auto refuse = [&](const std::string& why) {
    throw IoError("cannot write " + quoted(final_path_) + ": " + why);
  };
  struct stat st;
  if (::stat(folder.c_str(), &st) != 0) refuse("folder " + quoted(folder) + ": " + std::strerror(errno));
  if (!S_ISDIR(st.st_mode)) refuse(quoted(folder) + " is not a folder");
  if (::stat(final_path_.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) refuse("it is a folder");
  temp_path_ = final_path_ + ".tmp-" + std::to_string(::getpid());
  // Creating the temporary now finds what a permission check cannot: a
  // read-only file system, or a folder such as /proc that takes no new files
  // even from root. The destructor removes it again unless committed.
  const int fd = ::open(temp_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  if (fd < 0)
    refuse("cannot create a file in folder " + quoted(folder) + ": " + std::strerror(errno));
  ::close(fd);
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

void write_file_atomically(const std::string& path, const void* data, std::size_t size) {
  AtomicOutput out(path);
  auto refuse = [&](int reason) {
    throw IoError("cannot write " + quoted(path) + ": " + std::strerror(reason));
  };
  const int fd = ::open(out.temp_path().c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) refuse(errno);
  const char* p = static_cast<const char*>(data);
  for (std::size_t left = size; left > 0;) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int reason = errno;
      ::close(fd);
      refuse(reason);
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) refuse(errno);
  out.commit();
}

}  // namespace plifkit
