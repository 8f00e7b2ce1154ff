#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "plifkit/core/atomic_output.hpp"
#include "plifkit/core/error.hpp"

namespace plifkit {
namespace {

bool file_exists(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0;
}

TEST(AtomicOutput, CommitRenamesAndAbandonRemoves) {
  const std::string final_path = testing::TempDir() + "plifkit_atomic_" + std::to_string(::getpid());
  {
    AtomicOutput out(final_path);
    std::ofstream(out.temp_path()) << "partial";
    EXPECT_TRUE(file_exists(out.temp_path()));
    EXPECT_FALSE(file_exists(final_path));
    // Destroyed without commit: as if the stage failed.
  }
  EXPECT_FALSE(file_exists(final_path));
  std::string temp;
  {
    AtomicOutput out(final_path);
    temp = out.temp_path();
    std::ofstream(out.temp_path()) << "done";
    out.commit();
  }
  EXPECT_TRUE(file_exists(final_path));
  EXPECT_FALSE(file_exists(temp));
  std::remove(final_path.c_str());
}

TEST(AtomicOutput, MissingFolderIsReportedBeforeWork) {
  try {
    AtomicOutput out("/nonexistent-folder-plifkit/x.h5");
    FAIL();
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent-folder-plifkit/x.h5"), std::string::npos);
  }
  EXPECT_EQ(parent_folder("a/b/c.h5"), "a/b");
  EXPECT_EQ(parent_folder("c.h5"), ".");
  EXPECT_EQ(parent_folder("/c.h5"), "/");
}

}  // namespace
}  // namespace plifkit
