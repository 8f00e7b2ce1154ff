// Frames files by round trip: samples written as encoded chunks read back
// through HDF5's own filters, the attributes and metadata of formats.md
// section 1, and the reader's refusals.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <numeric>

#include "support/tiny.hpp"
#include "plifkit/core/error.hpp"
#include "plifkit/frames/chunk_codec.hpp"
#include "plifkit/frames/frames_reader.hpp"
#include "plifkit/frames/frames_writer.hpp"
#include "plifkit/h5/h5.hpp"
#include "plifkit/h5/names.hpp"

namespace plifkit::frames {
namespace {

std::string temp_name(const char* tag) {
  return testing::TempDir() + "plifkit_frames_" + tag + "_" + std::to_string(::getpid()) + ".h5";
}

FramesHeader small_header(const std::string& normalization) {
  FramesHeader h = test::tiny_frames_header(3, 4, 5, 2);
  h.split_by = SplitBy::time;
  h.normalization = parse_normalization(normalization);
  h.class_names = {"a", "b"};
  h.source_dir = "some/dir";
  return h;
}

SplitMeta meta_of(std::size_t n, std::uint8_t label0) {
  SplitMeta m;
  for (std::size_t i = 0; i < n; ++i) {
    m.labels.push_back(static_cast<std::uint8_t>((label0 + i) % 2));
    m.source.push_back("user0" + std::to_string(i / 2 + 1) + "_led");
    m.segment.push_back(static_cast<std::uint32_t>(i % 2));
    m.t_start.push_back(1000 * i);
    m.t_end.push_back(1000 * i + 500);
    m.event_count.push_back((std::uint64_t{1} << 40) + i);
  }
  return m;
}

template <typename T>
std::vector<T> sample_values(std::size_t n, int seed) {
  std::vector<T> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<T>((i * 7 + seed * 13) % 300) / T(2);
  return v;
}

TEST(ChunkCodec, IsShuffleThenAZlibStream) {
  const std::vector<std::uint16_t> values = {0x0102, 0x0304, 0x0506};
  std::vector<std::uint8_t> scratch, out;
  encode_chunk(values.data(), values.size(), 2, scratch, out);
  std::vector<std::uint8_t> plain(6);
  uLongf size = plain.size();
  ASSERT_EQ(uncompress(plain.data(), &size, out.data(), out.size()), Z_OK);
  ASSERT_EQ(size, 6u);
  // Little-endian low bytes first, then the high bytes.
  EXPECT_EQ(plain, (std::vector<std::uint8_t>{0x02, 0x04, 0x06, 0x01, 0x03, 0x05}));
  const std::vector<float> floats = {1.0f, -2.5f};  // 0x3F800000, 0xC0200000
  encode_chunk(floats.data(), floats.size(), 4, scratch, out);
  plain.resize(8);
  size = plain.size();
  ASSERT_EQ(uncompress(plain.data(), &size, out.data(), out.size()), Z_OK);
  EXPECT_EQ(plain, (std::vector<std::uint8_t>{0x00, 0x00, 0x00, 0x00, 0x80, 0x20, 0x3F, 0xC0}));
  EXPECT_THROW(encode_chunk(floats.data(), 1, 8, scratch, out), UsageError);
}

template <typename T>
void round_trip(const std::string& normalization) {
  const std::string path = temp_name(normalization.c_str());
  const FramesHeader header = small_header(normalization);
  const std::size_t elems = 3 * 2 * 4 * 5;
  {
    FramesWriter w(path, header, 3, 2, "fp:1234");
    std::vector<std::uint8_t> scratch, chunk;
    for (std::size_t i = 0; i < 3; ++i) {
      const auto v = sample_values<T>(elems, static_cast<int>(i));
      encode_chunk(v.data(), elems, sizeof(T), scratch, chunk);
      w.write_sample("train", i, chunk);
    }
    for (std::size_t i = 0; i < 2; ++i) {
      const auto v = sample_values<T>(elems, 10 + static_cast<int>(i));
      encode_chunk(v.data(), elems, sizeof(T), scratch, chunk);
      w.write_sample("test", i, chunk);
    }
    w.write_meta("train", meta_of(3, 0));
    w.write_meta("test", meta_of(2, 1));
    w.close();
  }
  const FramesReader r(path);
  EXPECT_EQ(r.header().dataset, Dataset::DVS128Gesture);
  EXPECT_EQ(r.header().T, 3);
  EXPECT_EQ(r.header().split_by, SplitBy::time);
  EXPECT_EQ(name_of(r.header().normalization), normalization);
  EXPECT_EQ(r.header().height, 4);
  EXPECT_EQ(r.header().width, 5);
  EXPECT_EQ(r.header().class_names, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(r.header().source_dir, "some/dir");
  EXPECT_EQ(r.sample_elements(), elems);
  const SplitMeta& m = r.meta("train");
  const SplitMeta want = meta_of(3, 0);
  EXPECT_EQ(m.labels, want.labels);
  EXPECT_EQ(m.source, want.source);
  EXPECT_EQ(m.segment, want.segment);
  EXPECT_EQ(m.t_start, want.t_start);
  EXPECT_EQ(m.t_end, want.t_end);
  EXPECT_EQ(m.event_count, want.event_count);
  EXPECT_EQ(r.meta("test").size(), 2u);

  std::vector<float> got(2 * elems);
  r.read_float("train", 1, 2, got.data());
  for (std::size_t s = 0; s < 2; ++s) {
    const auto v = sample_values<T>(elems, static_cast<int>(s + 1));
    for (std::size_t e = 0; e < elems; ++e)
      ASSERT_EQ(got[s * elems + e], static_cast<float>(v[e])) << s << " " << e;
  }
  h5::Handle f = h5::open_file(path);
  EXPECT_EQ(h5::read_attr_string(f.id(), names::frames::kInputFingerprint), "fp:1234");
  EXPECT_EQ(h5::read_attr<int>(f.id(), names::kFormatVersion), 1);
  EXPECT_THROW(r.meta("val"), UsageError);
  EXPECT_THROW(r.read_float("test", 1, 2, got.data()), UsageError);
  std::remove(path.c_str());
}

TEST(FramesFile, CountsRoundTrip) {
  round_trip<std::uint16_t>("none");
  const std::string path = temp_name("counts");
  {
    FramesWriter w(path, small_header("none"), 1, 1, "x");
    std::vector<std::uint8_t> scratch, chunk;
    const auto v = sample_values<std::uint16_t>(120, 3);
    encode_chunk(v.data(), 120, 2, scratch, chunk);
    w.write_sample("train", 0, chunk);
    w.write_sample("test", 0, chunk);
    EXPECT_THROW(w.write_sample("test", 1, chunk), UsageError);
    w.write_meta("train", meta_of(1, 0));
    w.write_meta("test", meta_of(1, 0));
    EXPECT_THROW(w.write_meta("test", meta_of(2, 0)), UsageError);
    w.close();
  }
  const FramesReader r(path);
  EXPECT_TRUE(r.stores_counts());
  std::vector<std::uint16_t> got(120);
  r.read_counts("test", 0, 1, got.data());
  EXPECT_EQ(got, sample_values<std::uint16_t>(120, 3));
  std::remove(path.c_str());
}

// Samples the size and sparsity of real frames (some counts above 255),
// written by encode_chunk, read back by HDF5's own shuffle and deflate
// filters (H5Dread), as h5py does, and by the FramesReader.
TEST(FramesFile, SparseCountsReadBackThroughHdf5Filters) {
  const std::string path = temp_name("sparse");
  FramesHeader header = test::tiny_frames_header(4, 64, 64, 2);
  header.normalization = Normalization::none;
  const std::size_t elems = 4 * 2 * 64 * 64;
  std::vector<std::uint16_t> want(3 * elems, 0);
  std::uint64_t x = 5;
  for (auto& v : want) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    if (x >> 59 == 0) v = static_cast<std::uint16_t>((x >> 40) % 4 == 0 ? x >> 20 : x >> 62 | 1);
  }
  {
    FramesWriter w(path, header, 2, 1, "x");
    std::vector<std::uint8_t> scratch, chunk;
    for (std::size_t s = 0; s < 3; ++s) {
      encode_chunk(want.data() + s * elems, elems, 2, scratch, chunk);
      w.write_sample(s < 2 ? "train" : "test", s < 2 ? s : 0, chunk);
    }
    w.write_meta("train", meta_of(2, 0));
    w.write_meta("test", meta_of(1, 0));
    w.close();
  }
  {
    h5::Handle f = h5::open_file(path);
    h5::Handle train = h5::open_group(f.id(), names::frames::kTrain);
    h5::Handle test = h5::open_group(f.id(), names::frames::kTest);
    std::vector<std::uint16_t> got = h5::read_dataset<std::uint16_t>(train.id(), names::frames::kFrames);
    const std::vector<std::uint16_t> last =
        h5::read_dataset<std::uint16_t>(test.id(), names::frames::kFrames);
    got.insert(got.end(), last.begin(), last.end());
    EXPECT_TRUE(got == want);
  }
  const FramesReader r(path);
  std::vector<std::uint16_t> got(2 * elems);
  r.read_counts("train", 0, 2, got.data());
  EXPECT_TRUE(std::equal(got.begin(), got.end(), want.begin()));
  std::remove(path.c_str());
}

TEST(FramesFile, FloatRoundTrip) {
  round_trip<float>("max");
  const std::string path = temp_name("float");
  {
    FramesWriter w(path, small_header("norm"), 1, 1, "x");
    std::vector<std::uint8_t> scratch, chunk;
    const auto v = sample_values<float>(120, 3);
    encode_chunk(v.data(), 120, 4, scratch, chunk);
    w.write_sample("train", 0, chunk);
    w.write_sample("test", 0, chunk);
    w.write_meta("train", meta_of(1, 0));
    w.write_meta("test", meta_of(1, 0));
    w.close();
  }
  const FramesReader r(path);
  std::vector<std::uint16_t> counts(120);
  EXPECT_THROW(r.read_counts("train", 0, 1, counts.data()), UsageError);
  std::remove(path.c_str());
}

TEST(FramesFile, WriterRefusesEmptySplits) {
  const std::string path = temp_name("empty");
  EXPECT_THROW(FramesWriter(path, small_header("none"), 2, 0, "x"), UsageError);
  std::remove(path.c_str());
}

// A valid two-sample file, then one change that the reader must refuse.
void expect_refused(const std::function<void(hid_t)>& damage, const std::string& reason) {
  const std::string path = temp_name("bad");
  {
    h5::Handle f = h5::create_file(path);
    h5::write_attr_string(f.id(), names::kFormat, names::frames::kFormatName);
    h5::write_attr<std::int32_t>(f.id(), names::kFormatVersion, 1);
    h5::write_attr_string(f.id(), "dataset", "DVS128Gesture");
    h5::write_attr<std::int32_t>(f.id(), "T", 3);
    h5::write_attr_string(f.id(), "split_by", "number");
    h5::write_attr_string(f.id(), "normalization", "none");
    h5::write_attr<std::int32_t>(f.id(), "height", 4);
    h5::write_attr<std::int32_t>(f.id(), "width", 5);
    h5::write_attr<std::int32_t>(f.id(), "class_num", 2);
    h5::write_attr_strings(f.id(), "class_names", {"a", "b"});
    h5::write_attr_string(f.id(), "source_dir", "d");
    for (const char* split : {"train", "test"}) {
      h5::Handle g = h5::create_group(f.id(), split);
      std::vector<std::uint16_t> frames(2 * 120, 1);
      h5::write_dataset<std::uint16_t>(g.id(), "frames", h5::Dims{2, 3, 2, 4, 5}, frames.data());
      const SplitMeta m = meta_of(2, 0);
      h5::write_vector(g.id(), "labels", m.labels);
      h5::write_strings(g.id(), "source", m.source);
      h5::write_vector(g.id(), "segment", m.segment);
      h5::write_vector(g.id(), "t_start", m.t_start);
      h5::write_vector(g.id(), "t_end", m.t_end);
      h5::write_vector(g.id(), "event_count", m.event_count);
    }
    damage(f.id());
    h5::close_file(f, path);
  }
  try {
    FramesReader r(path);
    if (!reason.empty()) ADD_FAILURE() << "no error, expected: " << reason;
  } catch (const FormatError& e) {
    const std::string msg = e.what();
    EXPECT_FALSE(reason.empty()) << msg;
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
    EXPECT_NE(msg.find(reason), std::string::npos) << msg;
  }
  std::remove(path.c_str());
}

TEST(FramesFile, ReaderChecksTheContract) {
  expect_refused([](hid_t) {}, "");  // the baseline is accepted
  expect_refused([](hid_t f) { h5::write_attr_string(f, names::kFormat, "plif-eval"); },
                 "expected plif-frames");
  // formats.md section 1: readers accept versions 1 and 2; a newer one is refused.
  expect_refused([](hid_t f) { h5::write_attr<std::int32_t>(f, names::kFormatVersion, 2); }, "");
  expect_refused([](hid_t f) { h5::write_attr<std::int32_t>(f, names::kFormatVersion, 3); },
                 "version 3 is not supported");
  expect_refused([](hid_t f) { h5::write_attr_string(f, "dataset", "Tiny"); },
                 "attribute 'dataset' has the unknown value 'Tiny'");
  expect_refused([](hid_t f) { h5::write_attr_string(f, "normalization", "None"); },
                 "'normalization' has the unknown value 'None'");
  expect_refused([](hid_t f) { h5::write_attr_string(f, "split_by", "count"); },
                 "'split_by' has the unknown value");
  expect_refused([](hid_t f) { h5::write_attr<std::int32_t>(f, "class_num", 3); },
                 "class_names has 2 entries");
  expect_refused([](hid_t f) { h5::write_attr<std::int32_t>(f, "T", 4); },
                 "/train/frames is not shaped");
  expect_refused([](hid_t f) { h5::write_attr_string(f, "normalization", "sum"); },
                 "/train/frames must be float32");
  expect_refused([](hid_t f) { H5Ldelete(f, "test/labels", H5P_DEFAULT); },
                 "missing dataset 'labels'");
  expect_refused(
      [](hid_t f) {
        H5Ldelete(f, "test/t_end", H5P_DEFAULT);
        h5::write_vector<std::uint64_t>(f, "test/t_end", {1, 2, 3});
      },
      "/test/t_end does not have 2 entries");
  expect_refused(
      [](hid_t f) {
        H5Ldelete(f, "train/labels", H5P_DEFAULT);
        h5::write_vector<std::uint8_t>(f, "train/labels", {0, 2});
      },
      "/train/labels[1] = 2 is not below class_num 2");
  expect_refused([](hid_t f) { H5Ldelete(f, "test", H5P_DEFAULT); }, "missing group 'test'");
}

}  // namespace
}  // namespace plifkit::frames
