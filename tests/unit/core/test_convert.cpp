// The conversion driver end to end on a dvs-synth folder: content checked
// against the labels and a plain count of the decoded events, identical
// bytes for any number of jobs, the cache, and all-or-nothing output.
#include <dirent.h>
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "plifkit/core/error.hpp"
#include "plifkit/core/file_stamp.hpp"
#include "plifkit/events/aedat_reader.hpp"
#include "plifkit/events/synth.hpp"
#include "plifkit/frames/convert.hpp"
#include "plifkit/frames/frames_reader.hpp"

namespace plifkit::frames {
namespace {

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

bool has_temporary_file(const std::string& dir) {
  DIR* d = ::opendir(dir.c_str());
  bool found = false;
  while (const dirent* e = ::readdir(d)) found |= std::string(e->d_name).find(".tmp-") != std::string::npos;
  ::closedir(d);
  return found;
}

class Convert : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = testing::TempDir() + "plifkit_convert_" + std::to_string(::getpid());
    ::mkdir(root_.c_str(), 0777);
    SynthOptions o;
    o.users = 3;
    o.lightings = 2;
    o.events_per_gesture = 400;
    o.awkward = true;
    synthesize_dataset(root_ + "/data", o);
  }
  static void TearDownTestSuite() { std::filesystem::remove_all(root_); }

  ConvertOptions options(const std::string& out, int jobs = 2) const {
    ConvertOptions o;
    o.source_dir = root_ + "/data";
    o.output = root_ + "/" + out;
    o.T = 4;
    o.jobs = jobs;
    return o;
  }

  static std::string root_;
};
std::string Convert::root_;

TEST_F(Convert, SamplesHoldExactlyTheirWindows) {
  const ConvertOptions o = options("content.h5");
  const ConvertSummary s = convert(o);
  EXPECT_FALSE(s.up_to_date);
  const FramesReader r(o.output);
  EXPECT_EQ(r.header().source_dir, o.source_dir);
  EXPECT_EQ(r.header().class_names.front(), "hand_clapping");
  EXPECT_EQ(r.header().class_names.back(), "other_gestures");
  std::uint64_t decoded = 0;
  for (const char* split : {"train", "test"}) {
    const SplitMeta& m = r.meta(split);
    const SplitSummary& ss = std::string(split) == "train" ? s.train : s.test;
    EXPECT_EQ(ss.samples, m.size());
    // 12 rows per awkward recording; users 1-2 train, user 3 test.
    EXPECT_EQ(m.size(), (std::string(split) == "train" ? 4u : 2u) * 12);
    std::vector<std::uint16_t> frames(r.sample_elements());
    std::string stem;
    std::vector<LabelRow> rows;
    EventBuffer ev;
    for (std::size_t i = 0; i < m.size(); ++i) {
      if (m.source[i] != stem) {
        ASSERT_TRUE(stem.empty() || stem < m.source[i]) << "sources out of order";
        stem = m.source[i];
        rows = read_labels(o.source_dir + "/" + stem + "_labels.csv", 11);
        read_aedat(o.source_dir + "/" + stem + ".aedat", SensorSize{128, 128}, ev);
        decoded += ev.size();
        ASSERT_EQ(m.segment[i], 0u);
      } else {
        ASSERT_EQ(m.segment[i], m.segment[i - 1] + 1);
      }
      const LabelRow& row = rows[m.segment[i]];
      EXPECT_EQ(m.labels[i], row.label);
      EXPECT_EQ(m.t_start[i], row.t_start);
      EXPECT_EQ(m.t_end[i], row.t_end);
      std::uint64_t in_window = 0;
      for (std::size_t e = 0; e < ev.size(); ++e)
        in_window += row.t_start <= ev.t()[e] && ev.t()[e] < row.t_end;
      EXPECT_EQ(m.event_count[i], in_window) << stem << " row " << m.segment[i];
      r.read_counts(split, i, 1, frames.data());
      std::uint64_t sum = 0;
      for (auto v : frames) sum += v;
      EXPECT_EQ(sum, m.event_count[i]);
    }
  }
  EXPECT_EQ(s.events_decoded, decoded);
  EXPECT_GT(s.invalid_events, 0u);
}

TEST_F(Convert, SameBytesForAnyNumberOfJobs) {
  const ConvertOptions one = options("jobs1.h5", 1);
  const ConvertOptions three = options("jobs3.h5", 3);
  convert(one);
  convert(three);
  const std::string a = read_bytes(one.output);
  EXPECT_FALSE(a.empty());
  EXPECT_TRUE(a == read_bytes(three.output));
}

TEST_F(Convert, SkipsUpToDateOutputAndRebuildsOnChange) {
  ConvertOptions o = options("cache.h5");
  ASSERT_FALSE(convert(o).up_to_date);
  const ConvertSummary again = convert(o);
  EXPECT_TRUE(again.up_to_date);
  EXPECT_EQ(again.train.samples, 48u);
  EXPECT_EQ(again.test.per_class.size(), 11u);
  o.force = true;
  EXPECT_FALSE(convert(o).up_to_date);
  o.force = false;
  o.T = 5;
  EXPECT_FALSE(convert(o).up_to_date);
  EXPECT_TRUE(convert(o).up_to_date);
  // A newer modification time of one input makes it stale.
  const FileStamp before = stamp_file(o.source_dir + "/user01_fluorescent_labels.csv", "x");
  const timespec times[2] = {{0, UTIME_OMIT}, {before.mtime_ns / 1000000000 + 10, 0}};
  ASSERT_EQ(::utimensat(AT_FDCWD, (o.source_dir + "/user01_fluorescent_labels.csv").c_str(),
                        times, 0),
            0);
  EXPECT_FALSE(convert(o).up_to_date);
  // An unreadable output is simply rebuilt.
  std::ofstream(o.output) << "not hdf5";
  EXPECT_FALSE(convert(o).up_to_date);
  EXPECT_TRUE(convert(o).up_to_date);
}

TEST_F(Convert, WarnsAboutSamplesWithFewerEventsThanFrames) {
  SynthOptions so;
  so.users = 2;
  so.lightings = 1;
  so.events_per_gesture = 5;  // fewer than T = 8
  synthesize_dataset(root_ + "/sparse", so);
  ConvertOptions o = options("warn.h5");
  o.source_dir = root_ + "/sparse";
  o.T = 8;
  o.normalization = Normalization::frequency;
  const ConvertSummary s = convert(o);
  ASSERT_EQ(s.warnings.size(), s.train.samples + s.test.samples);
  EXPECT_EQ(s.warnings[0].rfind("user01_fluorescent row 0 (line 2): 5 events, fewer than T=8; ", 0), 0u)
      << s.warnings[0];
  EXPECT_NE(s.warnings[0].find("divided by 1 us"), std::string::npos) << s.warnings[0];
  const FramesReader r(o.output);
  EXPECT_EQ(r.header().normalization, Normalization::frequency);
  EXPECT_FALSE(r.stores_counts());
}

TEST_F(Convert, BadInputLeavesNoOutput) {
  const std::string bad = root_ + "/bad";
  SynthOptions so;
  so.users = 2;
  so.lightings = 1;
  so.events_per_gesture = 50;
  synthesize_dataset(bad, so);
  std::ofstream(bad + "/user02_fluorescent_labels.csv", std::ios::app) << "12,5,6\n";
  ConvertOptions o = options("bad.h5");
  o.source_dir = bad;
  try {
    convert(o);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("user02_fluorescent_labels.csv' line 13: class 12"),
              std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(file_exists(o.output));
  // A damaged recording fails during decoding, after the output was started.
  std::ofstream(bad + "/user02_fluorescent_labels.csv") << "class,startTime_usec,endTime_usec\n1,0,9\n";
  {
    std::fstream f(bad + "/user01_fluorescent.aedat", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(0);
    f << "#!AER-DAT2.0";
  }
  EXPECT_THROW(convert(o), FormatError);
  EXPECT_FALSE(file_exists(o.output));
  EXPECT_FALSE(has_temporary_file(root_));
}

TEST_F(Convert, CancelLeavesNoOutput) {
  ConvertOptions o = options("cancel.h5");
  std::atomic<bool> cancel{true};
  o.cancel = &cancel;
  EXPECT_THROW(convert(o), Interrupted);
  EXPECT_FALSE(file_exists(o.output));
}

}  // namespace
}  // namespace plifkit::frames
