// Removes a folder and everything under it (test scratch folders). Not
// std::filesystem::remove_all: the libtorch.so of PyTorch 2.11's wheel
// exports std::filesystem symbols of its own, which take the place of
// libstdc++'s and crash (seen at the test suites' teardown).
#pragma once

#include <ftw.h>

#include <cstdio>
#include <string>

namespace plifkit::nn {

inline void remove_tree(const std::string& path) {
  ::nftw(
      path.c_str(),
      [](const char* entry, const struct stat*, int, struct FTW*) { return std::remove(entry); }, 16,
      FTW_DEPTH | FTW_PHYS);
}

}  // namespace plifkit::nn
