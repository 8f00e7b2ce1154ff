// The trials list parser and the dataset listing built on it: names, order,
// and the errors for bad lines, missing recordings and misplaced ones.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <functional>

#include "plifkit/core/error.hpp"
#include "plifkit/events/dataset_listing.hpp"
#include "plifkit/events/trials.hpp"

namespace plifkit {
namespace {

template <typename E = InputError>
void expect_error(const std::function<void()>& f, const std::string& part1,
                  const std::string& part2 = "") {
  try {
    f();
    ADD_FAILURE() << "no error, expected: " << part1 << " " << part2;
  } catch (const E& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find(part1), std::string::npos) << msg;
    EXPECT_NE(msg.find(part2), std::string::npos) << msg;
  }
}

TEST(Trials, ParsesNamesSkippingBlankLines) {
  const auto entries =
      parse_trials("user02_led.aedat\r\n\r\n  \nuser01_lab.aedat\nuser10_natural.aedat", "t.txt");
  ASSERT_EQ(entries.size(), 3u);
  EXPECT_EQ(entries[0].stem, "user02_led");
  EXPECT_EQ(entries[1].stem, "user01_lab");
  EXPECT_EQ(entries[1].line, 4u);
  EXPECT_EQ(entries[2].stem, "user10_natural");
}

TEST(Trials, RejectsBadNames) {
  expect_error([] { parse_trials("user01_led.aedat\nuser02_led.csv\n", "t.txt"); },
               "'t.txt' line 2:", "'user02_led.csv' is not a recording file name");
  expect_error([] { parse_trials("../user01_led.aedat\n", "t.txt"); }, "line 1:",
               "is not a recording file name");
  expect_error([] { parse_trials(".aedat\n", "t.txt"); }, "line 1:");
  expect_error([] { parse_trials("a.aedat\nb.aedat\na.aedat\n", "t.txt"); }, "line 3:",
               "'a.aedat' is listed twice");
}

class ListingFolder : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "plifkit_listing_" + std::to_string(::getpid());
    ::mkdir(dir_.c_str(), 0777);
  }
  void TearDown() override {
    for (const auto& f : files_) std::remove((dir_ + "/" + f).c_str());
    ::rmdir(dir_.c_str());
  }
  void write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name) << text;
    files_.push_back(name);
  }
  void recording(const std::string& stem) {
    write(stem + ".aedat", "");
    write(stem + "_labels.csv", "");
  }
  std::string dir_;
  std::vector<std::string> files_;
};

TEST_F(ListingFolder, ListsBothSplitsSortedByStem) {
  recording("user02_led");
  recording("user01_lab");
  recording("user01_led");
  recording("user03_led");
  write("trials_to_train.txt", "user02_led.aedat\nuser01_led.aedat\nuser01_lab.aedat\n");
  write("trials_to_test.txt", "user03_led.aedat\n");
  const DatasetListing l = list_dataset(dir_);
  ASSERT_EQ(l.train.recordings.size(), 3u);
  EXPECT_EQ(l.train.recordings[0].stem, "user01_lab");
  EXPECT_EQ(l.train.recordings[1].stem, "user01_led");
  EXPECT_EQ(l.train.recordings[2].stem, "user02_led");
  EXPECT_EQ(l.train.recordings[2].aedat_path, dir_ + "/user02_led.aedat");
  EXPECT_EQ(l.train.recordings[2].labels_path, dir_ + "/user02_led_labels.csv");
  ASSERT_EQ(l.test.recordings.size(), 1u);
  EXPECT_EQ(l.test.name, "test");
  EXPECT_EQ(list_dataset(dir_ + "/").train.recordings[0].aedat_path, dir_ + "/user01_lab.aedat");
}

TEST_F(ListingFolder, ReportsMissingFiles) {
  expect_error([&] { list_dataset(dir_ + "/nope"); }, "dataset folder", "does not exist");
  expect_error([&] { list_dataset(dir_); }, "trials_to_train.txt' does not exist");
  recording("user01_led");
  write("trials_to_train.txt", "user01_led.aedat\nuser05_led.aedat\n");
  write("trials_to_test.txt", "user01_led.aedat\n");
  expect_error([&] { list_dataset(dir_); }, "trials_to_train.txt' line 2:",
               "recording '" + dir_ + "/user05_led.aedat' does not exist");
  write("user05_led.aedat", "");
  expect_error([&] { list_dataset(dir_); }, "line 2:", "labels file '" + dir_ +
                                                           "/user05_led_labels.csv' does not exist");
}

TEST_F(ListingFolder, RejectsEmptyListsAndRecordingsInBothSplits) {
  recording("user01_led");
  recording("user02_led");
  write("trials_to_train.txt", "user01_led.aedat\n");
  write("trials_to_test.txt", "\n");
  expect_error([&] { list_dataset(dir_); }, "trials_to_test.txt'", "lists no recordings");
  write("trials_to_test.txt", "user02_led.aedat\nuser01_led.aedat\n");
  expect_error([&] { list_dataset(dir_); }, "trials_to_test.txt'",
               "'user01_led.aedat' is also listed in");
}

}  // namespace
}  // namespace plifkit
