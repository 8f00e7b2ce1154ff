// An exclusive lock on a folder (flock on the folder itself, no file in it),
// held by the process that writes the folder for as long as it writes: a
// second writer is refused at once instead of interleaving its files with
// the first's. The lock ends with the object, or with the process however
// it ends (the kernel releases it), so a killed run leaves no stale lock.
#pragma once

#include <string>

namespace plifkit {

class FolderLock {
 public:
  // Throws IoError naming the folder when it cannot be opened, or when
  // another process (or another FolderLock) holds it: "<what> 'folder' is in
  // use by another process".
  FolderLock(const std::string& folder, const std::string& what);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace plifkit
