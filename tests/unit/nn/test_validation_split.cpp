// The validation samples of a one-file-per-sample dataset are the reference's:
// per class, the files of the training split in the order of the number in
// their names, the last 15 % validating. For CIFAR10-DVS (indices 0..899 in
// training, not zero-padded) that is cifar10_<class>_765 .. _899 of every
// class; in byte order of the names it would be another 135.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <string>

#include "plifkit/frames/convert.hpp"
#include "plifkit/frames/frames_reader.hpp"
#include "plifkit/nn/sample_store.hpp"
#include "support/event_files.hpp"

namespace plifkit::nn {
namespace {

namespace fs = std::filesystem;

TEST(ValidationSplit, Cifar10DvsValidatesOnIndices765To899OfEveryClass) {
  const std::string root =
      testing::TempDir() + "plifkit_validation_split_" + std::to_string(::getpid());
  const char* classes[] = {"airplane", "truck"};
  for (const char* cls : classes) {
    fs::create_directories(root + "/data/" + cls);
    for (int i = 0; i < 1000; ++i) {
      // Four events: one per frame of T = 4.
      std::vector<test::RawEvent> ev;
      for (int e = 0; e < 4; ++e)
        ev.push_back({static_cast<std::uint64_t>(10 * e + 1), i % 128, e, e % 2});
      test::write_bytes(root + "/data/" + cls + "/cifar10_" + cls + "_" + std::to_string(i) +
                            ".aedat",
                        test::cifar_bytes(ev));
    }
  }
  frames::ConvertOptions o;
  o.dataset = Dataset::CIFAR10DVS;
  o.source_dir = root + "/data";
  o.output = root + "/frames.h5";
  o.T = 4;
  o.split_by = frames::SplitBy::number;
  frames::convert(o);

  const frames::FramesReader reader(o.output);
  const frames::SplitMeta& train = reader.meta("train");
  ASSERT_EQ(train.size(), 1800u);
  const TrainValSplit division = split_train_val(train, 10, 0.15);
  std::set<std::string> want_val;
  for (const char* cls : classes)
    for (int i = 765; i < 900; ++i)
      want_val.insert(std::string(cls) + "/cifar10_" + cls + "_" + std::to_string(i) + ".aedat");
  std::set<std::string> got_val;
  for (size_t row : division.val) got_val.insert(train.source[row]);
  EXPECT_EQ(got_val, want_val);
  EXPECT_EQ(division.train.size(), 2u * 765);
  // The training rows in the reference's order too: _0, _1, _2, ..., not _0, _1, _10.
  EXPECT_EQ(train.source[division.train[2]], "airplane/cifar10_airplane_2.aedat");
  fs::remove_all(root);
}

}  // namespace
}  // namespace plifkit::nn
