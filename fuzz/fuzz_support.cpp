#include "fuzz_support.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>

namespace plifkit::fuzz {

std::string scratch_path(const char* tag) {
  // A safety net for the memory-backed scratch files: no file of this
  // process grows past 256 MiB (a write beyond fails with EFBIG instead).
  std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit limit;
  if (::getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur > (256u << 20)) {
    limit.rlim_cur = 256u << 20;
    ::setrlimit(RLIMIT_FSIZE, &limit);
  }
  std::string dir = "/dev/shm";
  if (::access(dir.c_str(), W_OK) != 0) {
    const char* tmp = std::getenv("TMPDIR");
    dir = tmp != nullptr ? tmp : "/tmp";
  }
  return dir + "/plifkit_fuzz_" + tag + "_" + std::to_string(::getpid()) + ".h5";
}

}  // namespace plifkit::fuzz
