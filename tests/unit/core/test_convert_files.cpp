// aedat2frames' conversion of the one-file-per-sample datasets (N-MNIST,
// CIFAR10-DVS, ASL-DVS) on hand-made folders: every sample's frames equal a
// naive integration of the events as written (the reference's formulas,
// including N < T, an empty file and ties), source / segment / t_start /
// t_end / split / order as formats.md says, partial downloads counted,
// unknown class folders and empty splits refused with nothing written.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "plifkit/core/error.hpp"
#include "plifkit/events/sample_files.hpp"
#include "plifkit/frames/convert.hpp"
#include "plifkit/frames/frames_reader.hpp"
#include "support/event_files.hpp"

namespace plifkit::frames {
namespace {

namespace fs = std::filesystem;
using test::RawEvent;

constexpr int kT = 4;

// Deterministic events of one sample: class-dependent positions, ties every
// third event, n of them.
std::vector<RawEvent> sample_events(int n, int cls, int width, int height, std::uint64_t t0) {
  std::vector<RawEvent> ev;
  std::uint64_t t = t0;
  for (int i = 0; i < n; ++i) {
    if (i % 3 != 2) t += 1 + static_cast<std::uint64_t>((i * 7 + cls) % 5);
    ev.push_back({t, (cls * 3 + i) % width, (cls + 2 * i) % height, (i + cls) % 2});
  }
  return ev;
}

// The number in a sample's file name: 17 for airplane/cifar10_airplane_17.aedat.
long file_number(const std::string& source) {
  const std::size_t dot = source.rfind('.');
  std::size_t first = dot;
  while (first > 0 && std::isdigit(static_cast<unsigned char>(source[first - 1]))) --first;
  return std::stol(source.substr(first, dot - first));
}

// The reference's integration, one event at a time: counts [T, 2, H, W].
std::vector<std::uint16_t> naive_counts(const std::vector<RawEvent>& ev, int width, int height,
                                        SplitBy split_by) {
  std::vector<std::uint16_t> f(static_cast<std::size_t>(kT) * 2 * width * height, 0);
  const std::size_t N = ev.size();
  if (N == 0) return f;
  const std::uint64_t dt = (ev.back().t - ev.front().t) / kT;
  const std::size_t di = N / kT;
  for (std::size_t i = 0; i < N; ++i) {
    std::size_t j = kT - 1;
    if (split_by == SplitBy::number && di > 0) j = std::min<std::size_t>(i / di, kT - 1);
    if (split_by == SplitBy::time && dt > 0)
      j = std::min<std::size_t>((ev[i].t - ev.front().t) / dt, kT - 1);
    ++f[((j * 2 + ev[i].p) * height + ev[i].y) * width + ev[i].x];
  }
  return f;
}

struct Written {
  std::vector<RawEvent> events;
  int label;
  bool train;
};

class ConvertFiles : public testing::Test {
 protected:
  void SetUp() override {
    root_ = testing::TempDir() + "plifkit_convert_files_" + std::to_string(::getpid());
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  void add(const std::string& relative, Written w, const std::vector<std::uint8_t>& bytes) {
    const std::string path = root_ + "/data/" + relative;
    fs::create_directories(fs::path(path).parent_path());
    test::write_bytes(path, bytes);
    written_[relative] = std::move(w);
  }

  // N-MNIST: 2 train files of class 0, 1 of class 3; 2 test files of 3 (one
  // empty, one with fewer events than T).
  void make_nmnist() {
    auto put = [&](const std::string& rel, int n, int cls, bool train) {
      auto ev = sample_events(n, cls, 34, 34, 100);
      add(rel, {ev, cls, train}, test::nmnist_bytes(ev));
    };
    put("Train/0/00002.bin", 40, 0, true);
    put("Train/0/00010.bin", 41, 0, true);
    put("Train/3/00007.bin", 39, 3, true);
    put("Test/3/00001.bin", 0, 3, false);
    put("Test/3/00005.bin", 3, 3, false);
  }

  void make_cifar() {
    auto put = [&](const std::string& cls_name, int cls, int i, int n) {
      auto ev = sample_events(n, cls, 128, 128, 3000000000u);
      add(cls_name + "/cifar10_" + cls_name + "_" + std::to_string(i) + ".aedat",
          {ev, cls, i < 900}, test::cifar_bytes(ev));
    };
    put("airplane", 0, 0, 50);
    put("airplane", 0, 17, 45);
    put("truck", 9, 3, 44);
    put("truck", 9, 900, 43);
    put("truck", 9, 999, 2);
  }

  void make_asl() {
    auto put = [&](const std::string& letter, int cls, const std::string& id, bool train, int n) {
      auto ev = sample_events(n, cls, 240, 180, 5);
      const std::string rel = letter + "/" + letter + "_" + id + ".mat";
      fs::create_directories(root_ + "/data/" + letter);
      test::write_asl_mat(root_ + "/data/" + rel, ev, cls % 2 == 1);
      written_[rel] = {ev, cls, train};
    };
    put("a", 0, "0001", true, 30);
    put("a", 0, "3361", false, 31);
    put("y", 23, "3360", true, 32);
    put("y", 23, "4200", false, 33);
  }

  ConvertOptions options(Dataset dataset, SplitBy split_by, const std::string& out, int jobs = 2) {
    ConvertOptions o;
    o.dataset = dataset;
    o.source_dir = root_ + "/data";
    o.output = root_ + "/" + out;
    o.T = kT;
    o.split_by = split_by;
    o.jobs = jobs;
    return o;
  }

  // Every sample of the file equals what was written, in formats.md's order.
  void expect_samples_as_written(const ConvertOptions& o, int width, int height) {
    const FramesReader r(o.output);
    EXPECT_EQ(r.header().dataset, o.dataset);
    EXPECT_EQ(r.header().width, width);
    EXPECT_EQ(r.header().height, height);
    std::size_t seen = 0;
    for (const char* split : {"train", "test"}) {
      const SplitMeta& m = r.meta(split);
      // By class, then by the number in the file name (the reference's order).
      for (std::size_t i = 1; i < m.size(); ++i)
        EXPECT_LT(std::make_pair(m.labels[i - 1], file_number(m.source[i - 1])),
                  std::make_pair(m.labels[i], file_number(m.source[i])))
            << m.source[i - 1] << " before " << m.source[i];
      std::vector<std::uint16_t> frames(r.sample_elements());
      for (std::size_t i = 0; i < m.size(); ++i) {
        SCOPED_TRACE(m.source[i]);
        ASSERT_EQ(written_.count(m.source[i]), 1u);
        const Written& w = written_.at(m.source[i]);
        EXPECT_EQ(w.train, std::string(split) == "train");
        EXPECT_EQ(m.labels[i], w.label);
        EXPECT_EQ(m.segment[i], 0u);
        EXPECT_EQ(m.event_count[i], w.events.size());
        EXPECT_EQ(m.t_start[i], w.events.empty() ? 0 : w.events.front().t);
        EXPECT_EQ(m.t_end[i], w.events.empty() ? 0 : w.events.back().t + 1);
        r.read_counts(split, i, 1, frames.data());
        EXPECT_EQ(frames, naive_counts(w.events, width, height, o.split_by));
        ++seen;
      }
    }
    EXPECT_EQ(seen, written_.size());
  }

  std::string root_;
  std::map<std::string, Written> written_;
};

TEST_F(ConvertFiles, NmnistSamplesEqualTheNaiveIntegration) {
  make_nmnist();
  for (SplitBy s : {SplitBy::number, SplitBy::time}) {
    const ConvertOptions o = options(Dataset::NMNIST, s, std::string("n_") + name_of(s) + ".h5");
    const ConvertSummary summary = convert(o);
    expect_samples_as_written(o, 34, 34);
    // The full download has 5923 zeros and 6131 threes in Train.
    EXPECT_EQ(summary.train.missing[0], 5923u - 2);
    EXPECT_EQ(summary.train.missing[3], 6131u - 1);
    EXPECT_EQ(summary.test.missing[3], 1010u - 2);
    EXPECT_EQ(summary.class_names[9], "9");
    EXPECT_EQ(summary.warnings.size(), 2u);  // the empty file and the one with 3 events
  }
}

TEST_F(ConvertFiles, Cifar10DvsSplitsByNumberAndCountsMissingFiles) {
  make_cifar();
  add("airplane/notes.txt", {{}, 0, true}, {'x'});
  written_.erase("airplane/notes.txt");
  for (SplitBy s : {SplitBy::number, SplitBy::time}) {
    const ConvertOptions o = options(Dataset::CIFAR10DVS, s, std::string("c_") + name_of(s) + ".h5");
    const ConvertSummary summary = convert(o);
    expect_samples_as_written(o, 128, 128);
    EXPECT_EQ(summary.train.missing[0], 898u);
    EXPECT_EQ(summary.test.missing[0], 100u);
    EXPECT_EQ(summary.train.missing[9], 899u);
    EXPECT_EQ(summary.test.missing[9], 98u);
    EXPECT_EQ(summary.ignored_files, std::vector<std::string>{"airplane/notes.txt"});
  }
}

TEST_F(ConvertFiles, AslDvsOnItsNonSquareSensor) {
  make_asl();
  const ConvertOptions o = options(Dataset::ASLDVS, SplitBy::number, "a.h5");
  const ConvertSummary summary = convert(o);
  expect_samples_as_written(o, 240, 180);
  EXPECT_EQ(summary.class_names.size(), 24u);
  EXPECT_EQ(summary.train.missing[0], 3359u);
  EXPECT_EQ(summary.test.missing[23], 839u);
  EXPECT_EQ(FramesReader(o.output).header().orientation, Orientation::reference);
}

TEST_F(ConvertFiles, SameBytesForAnyNumberOfThreadsAndCached) {
  make_cifar();
  const ConvertOptions one = options(Dataset::CIFAR10DVS, SplitBy::number, "one.h5", 1);
  const ConvertOptions three = options(Dataset::CIFAR10DVS, SplitBy::number, "three.h5", 3);
  convert(one);
  convert(three);
  auto bytes = [](const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  EXPECT_EQ(bytes(one.output), bytes(three.output));
  EXPECT_TRUE(convert(one).up_to_date);
  ConvertOptions sensor = one;
  sensor.orientation = Orientation::sensor;
  EXPECT_FALSE(convert(sensor).up_to_date);  // the orientation is part of the key
  EXPECT_EQ(FramesReader(one.output).header().orientation, Orientation::sensor);
}

TEST_F(ConvertFiles, RefusesUnknownClassFoldersEmptySplitsAndDamageWritingNothing) {
  make_nmnist();
  fs::create_directories(root_ + "/data/Train/ten");
  const ConvertOptions o = options(Dataset::NMNIST, SplitBy::number, "bad.h5");
  try {
    convert(o);
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("unknown class folder '" + root_ + "/data/Train/ten'", 0), 0u)
        << e.what();
  }
  fs::remove(root_ + "/data/Train/ten");
  fs::remove_all(root_ + "/data/Test/3");
  EXPECT_THROW(convert(o), InputError);  // no test samples
  make_nmnist();
  test::write_bytes(root_ + "/data/Test/3/00001.bin", {1, 2, 3});  // truncated
  EXPECT_THROW(convert(o), FormatError);
  EXPECT_FALSE(fs::exists(o.output));
  for (const auto& e : fs::directory_iterator(root_))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos);
  // An image dataset is converted now (test_images.cpp); an event folder
  // holds none of its files.
  ConvertOptions images = o;
  images.dataset = Dataset::MNIST;
  EXPECT_THROW(convert(images), InputError);
  EXPECT_FALSE(fs::exists(o.output));
}

}  // namespace
}  // namespace plifkit::frames
