// FolderLock: one holder at a time, refused with one line naming the
// folder, free again when the holder ends; no file left in the folder.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <optional>
#include <string>

#include "plifkit/core/error.hpp"
#include "plifkit/core/folder_lock.hpp"

namespace plifkit {
namespace {

namespace fs = std::filesystem;

TEST(FolderLock, OneHolderAtATime) {
  const std::string folder = testing::TempDir() + "plifkit_lock_" + std::to_string(::getpid());
  fs::create_directories(folder);
  {
    std::optional<FolderLock> first;
    first.emplace(folder, "run folder");
    try {
      FolderLock second(folder, "run folder");
      FAIL() << "locked twice";
    } catch (const IoError& e) {
      EXPECT_EQ(std::string(e.what()),
                "run folder '" + folder + "' is in use by another process (it holds the folder's lock)");
    }
    first.reset();
    FolderLock again(folder, "run folder");  // free once the first ended
  }
  EXPECT_TRUE(fs::is_empty(folder));
  EXPECT_THROW(FolderLock(folder + "/missing", "run folder"), IoError);
  fs::remove_all(folder);
}

}  // namespace
}  // namespace plifkit
