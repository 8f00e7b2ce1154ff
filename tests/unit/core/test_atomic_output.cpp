#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <string>

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

// The message of the IoError that constructing AtomicOutput(path) throws.
std::string refusal(const std::string& path) {
  try {
    AtomicOutput out(path);
  } catch (const IoError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(AtomicOutput, RefusesFoldersBeforeWork) {
  const std::string dir = testing::TempDir() + "plifkit_atomic_dir_" + std::to_string(::getpid());
  ASSERT_EQ(::mkdir(dir.c_str(), 0777), 0);
  const std::string file = dir + "/file";
  std::ofstream(file) << "x";
  // The output is an existing folder; the folder of the output is a file.
  EXPECT_EQ(refusal(dir), "cannot write '" + dir + "': it is a folder");
  EXPECT_EQ(refusal(file + "/out.h5"), "cannot write '" + file + "/out.h5': '" + file + "' is not a folder");
  // The temporary exists from construction on and goes with the object.
  std::string temp;
  {
    AtomicOutput out(dir + "/out.h5");
    temp = out.temp_path();
    EXPECT_TRUE(file_exists(temp));
  }
  EXPECT_FALSE(file_exists(temp));
  std::remove(file.c_str());
  ::rmdir(dir.c_str());
}

TEST(AtomicOutput, WriteFileAtomically) {
  const std::string path = testing::TempDir() + "plifkit_atomic_write_" + std::to_string(::getpid());
  const std::string text = "hello\n";
  write_file_atomically(path, text.data(), text.size());
  std::ifstream in(path);
  std::string back((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(back, text);
  std::remove(path.c_str());
  EXPECT_THROW(write_file_atomically("/nonexistent-folder-plifkit/x.txt", text.data(), text.size()),
               IoError);
}

}  // namespace
}  // namespace plifkit
