#include "plifkit/core/folder_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "plifkit/core/error.hpp"

namespace plifkit {

FolderLock::FolderLock(const std::string& folder, const std::string& what) {
  fd_ = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd_ < 0) throw IoError("cannot open " + what + " " + quoted(folder) + ": " + std::strerror(errno));
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd_);
    fd_ = -1;
    if (error == EWOULDBLOCK)
      throw IoError(what + " " + quoted(folder) + " is in use by another process (it holds the folder's lock)");
    throw IoError("cannot lock " + what + " " + quoted(folder) + ": " + std::strerror(error));
  }
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

}  // namespace plifkit
