#include "plifkit/core/folders.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "plifkit/core/error.hpp"

namespace plifkit {

void make_folder(const std::string& path) {
  if (::mkdir(path.c_str(), 0777) != 0 && errno != EEXIST)
    throw IoError("cannot create folder " + quoted(path) + ": " + std::strerror(errno));
}

}  // namespace plifkit
