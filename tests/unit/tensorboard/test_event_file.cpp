// Event files by round trip, the bytes of an event against TensorBoard's
// field numbers worked out by hand, file naming, and the resume filter.
#include <gtest/gtest.h>
#include <unistd.h>

#include <regex>
#include <string>

#include "plifkit/core/error.hpp"
#include "plifkit/tensorboard/event_file.hpp"
#include "plifkit/tensorboard/histogram.hpp"
#include "plifkit/tensorboard/record_file.hpp"
#include "scratch.hpp"

namespace plifkit::tensorboard {
namespace {

TEST(EventFile, NothingIsCreatedBeforeTheFirstFlush) {
  ScratchFolder dir;
  {
    EventFileWriter writer(dir.path());
    writer.flush();
    writer.sync();
    EXPECT_EQ(writer.path(), "");
  }
  EXPECT_TRUE(list_event_files(dir.path()).empty());
}

TEST(EventFile, ScalarsAndHistogramsRoundTrip) {
  ScratchFolder dir;
  EventFileWriter writer(dir.path());
  writer.add_scalar("train_accuracy", 0, 0.125);
  writer.add_scalar("train_loss", 256, 0.1);  // not a float: stored rounded to float32
  const Histogram h = make_histogram({1.5, 2.0, 2.5, 4.0}, 5);
  writer.add_histogram("plifkit/tau0", 3, h);
  writer.sync();
  const std::string name = writer.path().substr(dir.path().size() + 1);
  EXPECT_TRUE(std::regex_match(name, std::regex(R"(events\.out\.tfevents\.\d{10}\..+\.)" +
                                                std::to_string(::getpid()) + R"(\.\d+)")))
      << name;
  ASSERT_EQ(list_event_files(dir.path()), std::vector<std::string>{writer.path()});

  const EventFileContents contents = read_event_file(writer.path());
  EXPECT_EQ(contents.file_version, "brain.Event:2");
  EXPECT_EQ(contents.truncated_at, -1);
  ASSERT_EQ(contents.scalars.size(), 2u);
  EXPECT_EQ(contents.scalars[0].tag, "train_accuracy");
  EXPECT_EQ(contents.scalars[0].step, 0);
  EXPECT_EQ(contents.scalars[0].value, 0.125f);
  EXPECT_EQ(contents.scalars[1].tag, "train_loss");
  EXPECT_EQ(contents.scalars[1].step, 256);
  EXPECT_EQ(contents.scalars[1].value, 0.1f);
  EXPECT_GT(contents.scalars[1].wall_time, 1.7e9);
  ASSERT_EQ(contents.histograms.size(), 1u);
  const auto& back = contents.histograms[0];
  EXPECT_EQ(back.tag, "plifkit/tau0");
  EXPECT_EQ(back.step, 3);
  EXPECT_EQ(back.histogram.min, h.min);
  EXPECT_EQ(back.histogram.max, h.max);
  EXPECT_EQ(back.histogram.num, h.num);
  EXPECT_EQ(back.histogram.sum, h.sum);
  EXPECT_EQ(back.histogram.sum_squares, h.sum_squares);
  EXPECT_EQ(back.histogram.bucket_limit, h.bucket_limit);
  EXPECT_EQ(back.histogram.bucket, h.bucket);
}

TEST(EventFile, ScalarEventBytesFollowTensorBoardsFieldNumbers) {
  // Event { wall_time (1, double), step (2, varint) = 256,
  //         summary (5) { value (1) { tag (1) = "a", simple_value (2, float) = 0.5 } } }
  // worked out by hand from the protobuf encoding rules.
  ScratchFolder dir;
  EventFileWriter writer(dir.path());
  writer.add_scalar("a", 256, 0.5);
  writer.flush();
  const RecordFile file = read_record_file(writer.path());
  ASSERT_EQ(file.records.size(), 2u);
  const std::string& first = file.records[0].data;
  // wall_time, then field 3 (file_version), length 13, "brain.Event:2".
  EXPECT_EQ(first.substr(9), std::string("\x1a\x0d") + "brain.Event:2");
  const std::string& data = file.records[1].data;
  ASSERT_EQ(data.size(), 24u);
  EXPECT_EQ(data[0], '\x09');  // field 1, 64-bit
  EXPECT_EQ(data.substr(9), std::string("\x10\x80\x02"                // field 2: 256
                                        "\x2a\x0a"                    // field 5, 10 bytes
                                        "\x0a\x08"                    // value, 8 bytes
                                        "\x0a\x01" "a"                // tag
                                        "\x15\x00\x00\x00\x3f", 15));  // simple_value 0.5f
}

TEST(EventFile, LaterFilesSortAfterEarlierOnes) {
  ScratchFolder dir;
  std::vector<std::string> made;
  for (int i = 0; i < 3; ++i) {
    EventFileWriter writer(dir.path());
    writer.add_scalar("x", i, i);
    writer.flush();
    made.push_back(writer.path());
  }
  EXPECT_EQ(list_event_files(dir.path()), made);
}

TEST(EventFile, ListingSkipsOtherFilesAndTemporaries) {
  ScratchFolder dir;
  write_bytes(dir.path() + "/metrics.csv", "x");
  write_bytes(dir.path() + "/events.out.tfevents.1.h.2.0.tmp-77", "");
  write_bytes(dir.path() + "/events.out.tfevents.1.h.2.0", "");
  EXPECT_EQ(list_event_files(dir.path()),
            std::vector<std::string>{dir.path() + "/events.out.tfevents.1.h.2.0"});
  remove_stale_temporaries(dir.path());
  EXPECT_NE(::access((dir.path() + "/metrics.csv").c_str(), F_OK), -1);
  EXPECT_EQ(::access((dir.path() + "/events.out.tfevents.1.h.2.0.tmp-77").c_str(), F_OK), -1);
  EXPECT_THROW(list_event_files(dir.path() + "/none"), IoError);
}

TEST(EventFile, FilterKeepsWhatIsAskedAndDropsACutRecord) {
  ScratchFolder dir;
  EventFileWriter writer(dir.path());
  for (int step = 0; step < 5; ++step) writer.add_scalar("s", step, step);
  writer.add_scalar("other", 9, 1);
  writer.flush();
  const std::string path = writer.path();
  const std::string before = file_bytes(path);
  auto below3 = [](const std::string& tag, int64_t step) { return tag != "s" || step < 3; };

  // Nothing to take out: the file stays byte for byte.
  EXPECT_FALSE(filter_event_file(path, [](const std::string&, int64_t) { return true; }));
  EXPECT_EQ(file_bytes(path), before);

  // A cut last record alone is a change.
  write_bytes(path, before.substr(0, before.size() - 3));
  EXPECT_TRUE(filter_event_file(path, [](const std::string&, int64_t) { return true; }));
  auto contents = read_event_file(path);
  EXPECT_EQ(contents.truncated_at, -1);
  EXPECT_EQ(contents.scalars.size(), 5u);  // "other" was the cut one

  EXPECT_TRUE(filter_event_file(path, below3));
  contents = read_event_file(path);
  EXPECT_EQ(contents.file_version, "brain.Event:2");
  ASSERT_EQ(contents.scalars.size(), 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(contents.scalars[static_cast<size_t>(i)].step, i);

  // No value left: the file goes.
  EXPECT_TRUE(filter_event_file(path, [](const std::string&, int64_t) { return false; }));
  EXPECT_TRUE(list_event_files(dir.path()).empty());
}

TEST(Histogram, EqualWidthBucketsByHand) {
  const Histogram h = make_histogram({1, 2, 3, 4}, 3);
  EXPECT_EQ(h.min, 1);
  EXPECT_EQ(h.max, 4);
  EXPECT_EQ(h.num, 4);
  EXPECT_EQ(h.sum, 10);
  EXPECT_EQ(h.sum_squares, 30);
  EXPECT_EQ(h.bucket_limit, (std::vector<double>{2, 3, 4}));
  EXPECT_EQ(h.bucket, (std::vector<double>{1, 1, 2}));  // [1,2) [2,3) [3,4]
  const Histogram same = make_histogram({2.5, 2.5}, 30);
  EXPECT_EQ(same.bucket_limit, std::vector<double>{2.5});
  EXPECT_EQ(same.bucket, std::vector<double>{2});
  EXPECT_THROW(make_histogram({}, 3), Error);
  EXPECT_THROW(make_histogram({1, 0.0 / 0.0}, 3), Error);
}

}  // namespace
}  // namespace plifkit::tensorboard
