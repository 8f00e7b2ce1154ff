// Inputs the fuzz targets (fuzz/, bench/fuzz.sh) found to break a reader,
// each reduced to what triggers it, with the refusal now expected. Every test
// failed before its fix.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <zlib.h>
#include <functional>
#include <string>

#include "support/tiny.hpp"
#include "plifkit/analysis/checkpoint_taus.hpp"
#include "plifkit/checkpoint/config_group.hpp"
#include "plifkit/core/error.hpp"
#include "plifkit/events/trials.hpp"
#include "plifkit/frames/chunk_codec.hpp"
#include "plifkit/frames/frames_reader.hpp"
#include "plifkit/frames/frames_writer.hpp"
#include "plifkit/h5/h5.hpp"
#include "plifkit/h5/names.hpp"
#include "plifkit/h5/stage_file.hpp"

namespace plifkit {
namespace {

std::string temp_name(const char* tag) {
  return testing::TempDir() + "plifkit_fuzzreg_" + tag + "_" + std::to_string(::getpid()) + ".h5";
}

// A dataset of `dims` declared with chunked storage and never written: it
// occupies no bytes in the file, whatever size it claims.
void declare_unwritten(hid_t loc, const std::string& name, hid_t type, const h5::Dims& dims) {
  h5::DatasetOptions options;
  options.chunk = h5::Dims(dims.size(), 1);
  options.chunk.back() = std::min<hsize_t>(dims.back(), 1024);
  h5::create_dataset(loc, name, type, dims, options);
}

template <typename E>
std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "(no error)";
}

// fuzz_trials: a NUL byte in a listed name was accepted as part of the stem;
// opening the recording then cut the path short at the NUL.
TEST(FuzzRegressions, TrialsRefuseControlBytesInNames) {
  using namespace std::string_literals;
  const std::string msg =
      message_of<InputError>([] { parse_trials("user01_led.aedat\n\0\0.aedat\n"s, "t.txt"); });
  EXPECT_EQ(msg,
            "bad trials list 't.txt' line 2: '\\x00\\x00.aedat' is not a recording file name like "
            "'user01_fluorescent.aedat'");
  EXPECT_THROW(parse_trials("user01\x1b[2J.aedat\n", "t.txt"), InputError);
  EXPECT_THROW(parse_trials("user01\r_led.aedat\n", "t.txt"), InputError);
  EXPECT_EQ(parse_trials("user01_led.aedat\r\n", "t.txt").at(0).stem, "user01_led");
}

// fuzz_frames_file, fuzz_eval_file: a dataset declared with 2^40 (or
// 2^63 - 1) elements but never written made the reader allocate memory for
// all of them (an ASan allocation-size-too-big abort, std::bad_alloc in a
// release build) instead of refusing the file.
TEST(FuzzRegressions, WholeDatasetReadsRefuseDataTheFileDoesNotHold) {
  const std::string path = temp_name("unwritten");
  {
    h5::Handle f = h5::create_file(path);
    declare_unwritten(f.id(), "huge", H5T_STD_U8LE, h5::Dims{hsize_t{1} << 40});
    h5::Handle vlen(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(vlen.id(), H5T_VARIABLE);
    declare_unwritten(f.id(), "strings", vlen.id(), h5::Dims{hsize_t{1} << 40});
    declare_unwritten(f.id(), "small", H5T_IEEE_F32LE, h5::Dims{3});
    const std::vector<float> stored = {1, 2, 3};
    h5::write_vector(f.id(), "stored", stored);
    h5::close_file(f, path);
  }
  h5::Handle f = h5::open_file(path);
  const std::string msg = message_of<FormatError>([&] { h5::read_dataset<std::uint8_t>(f.id(), "huge"); });
  EXPECT_EQ(msg, "'" + path + "': dataset 'huge' declares 1099511627776 values but holds 0 bytes "
                 "(damaged, or its data was never written)");
  EXPECT_THROW(h5::read_strings(f.id(), "strings"), FormatError);
  EXPECT_THROW(h5::read_dataset<float>(f.id(), "small"), FormatError);
  EXPECT_EQ(h5::read_dataset<float>(f.id(), "stored"), (std::vector<float>{1, 2, 3}));
  f.reset();
  std::remove(path.c_str());
}

// fuzz_eval_file, fuzz_checkpoint_taus: a chunk of a chunked dataset that
// holds, or inflates to, fewer bytes than a chunk made HDF5 1.10 read past
// its buffer while reading the dataset whole (ASan: heap-buffer-overflow in
// H5D__select_read); without ASan the values were whatever followed.
TEST(FuzzRegressions, WholeDatasetReadsCheckEveryStoredChunk) {
  const std::string path = temp_name("chunks");
  const std::vector<std::uint8_t> eight = {1, 2, 3, 4, 5, 6, 7, 8};
  {
    h5::Handle f = h5::create_file(path);
    h5::DatasetOptions deflated;
    deflated.chunk = {4};
    deflated.deflate_level = 1;
    h5::write_dataset<std::uint8_t>(f.id(), "good", {8}, eight.data(), deflated);
    h5::write_dataset<std::uint8_t>(f.id(), "short", {8}, eight.data(), deflated);
    h5::Handle ds = h5::open_dataset(f.id(), "short");
    const std::vector<std::uint8_t> two = {9, 9};
    std::vector<std::uint8_t> z(compressBound(2));
    uLongf size = z.size();
    ASSERT_EQ(compress(z.data(), &size, two.data(), two.size()), Z_OK);
    const hsize_t offset[1] = {4};
    ASSERT_GE(H5Dwrite_chunk(ds.id(), H5P_DEFAULT, 0, offset, size, z.data()), 0);
    h5::DatasetOptions plain;
    plain.chunk = {4};
    h5::Handle raw = h5::create_dataset(f.id(), "raw", H5T_STD_U8LE, {8}, plain);
    h5::write_chunk(raw.id(), {0}, eight.data(), 4);
    h5::write_chunk(raw.id(), {4}, eight.data(), 2);
    ds.reset();
    raw.reset();
    h5::close_file(f, path);
  }
  h5::Handle f = h5::open_file(path);
  EXPECT_EQ(h5::read_dataset<std::uint8_t>(f.id(), "good"), eight);
  EXPECT_EQ(message_of<FormatError>([&] { h5::read_dataset<std::uint8_t>(f.id(), "short"); }),
            "'" + path + "': cannot read dataset 'short': stored chunk 1 decodes to 2 bytes, "
            "expected 4");
  EXPECT_EQ(message_of<FormatError>([&] { h5::read_dataset<double>(f.id(), "raw"); }),
            "'" + path + "': cannot read dataset 'raw': stored chunk 1 has 2 bytes, not 4 "
            "(damaged file?)");
  f.reset();
  std::remove(path.c_str());
}

// fuzz_eval_file, fuzz_checkpoint_taus: a string attribute ('format',
// 'split') whose dataspace claims 2^62 strings (HDF5 stores it: the byte
// count overflows) made read_attr_strings ask std::vector for 2^62 pointers,
// which throws std::length_error, not a plifkit::Error.
TEST(FuzzRegressions, StringAttributesRefuseCountsTheFileCannotHold) {
  const std::string path = temp_name("attr");
  {
    h5::Handle f = h5::create_file(path);
    h5::Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type.id(), H5T_VARIABLE);
    const hsize_t n = hsize_t{1} << 62;
    h5::Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose);
    h5::Handle attr(H5Acreate2(f.id(), "format", type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT),
                    H5Aclose);
    ASSERT_TRUE(attr.valid());
    attr.reset();
    h5::write_attr_strings(f.id(), "names", {"a", "bc", ""});
    h5::close_file(f, path);
  }
  h5::Handle f = h5::open_file(path);
  EXPECT_EQ(message_of<FormatError>([&] { h5::read_attr_string(f.id(), "format"); }),
            "'" + path + "': attribute 'format' declares 4611686018427387904 strings but holds 0 "
            "bytes (damaged file?)");
  EXPECT_EQ(h5::read_attr_strings(f.id(), "names"), (std::vector<std::string>{"a", "bc", ""}));
  f.reset();
  EXPECT_EQ(message_of<FormatError>([&] { analysis::read_checkpoint_taus(path); }),
            "'" + path + "': attribute 'format' declares 4611686018427387904 strings but holds 0 "
            "bytes (damaged file?)");
  std::remove(path.c_str());
}

// fuzz_eval_file: a variable-length string element whose stored length was
// damaged (here 64 MiB, in a file of a few KiB) was read as a 64 MiB string
// (HDF5 allocates and copies the claimed length); it is now refused.
TEST(FuzzRegressions, StringDatasetsRefuseLengthsLongerThanTheFile) {
  const std::string path = temp_name("vlen");
  haddr_t offset = HADDR_UNDEF;
  {
    h5::Handle f = h5::create_file(path);
    h5::write_strings(f.id(), "source", {"user01_led", "user02_lab", "x"});
    h5::Handle ds = h5::open_dataset(f.id(), "source");
    offset = H5Dget_offset(ds.id());
    ds.reset();
    h5::close_file(f, path);
  }
  ASSERT_NE(offset, HADDR_UNDEF);
  {
    h5::Handle f = h5::open_file(path);
    EXPECT_EQ(h5::read_strings(f.id(), "source"),
              (std::vector<std::string>{"user01_led", "user02_lab", "x"}));
  }
  // Each element is (u32 length, heap address, u32 index); patch the first length.
  FILE* file = std::fopen(path.c_str(), "r+b");
  ASSERT_NE(file, nullptr);
  const std::uint32_t length = 64u << 20;
  std::fseek(file, static_cast<long>(offset), SEEK_SET);
  std::fwrite(&length, sizeof length, 1, file);
  std::fclose(file);
  h5::Handle f = h5::open_file(path);
  EXPECT_EQ(message_of<FormatError>([&] { h5::read_strings(f.id(), "source"); }),
            "'" + path + "': cannot read dataset 'source': its strings claim more bytes than the "
            "file has (damaged file?)");
  f.reset();
  std::remove(path.c_str());
}

// fuzz_frames_file: the same through the frames reader, /train/frames and
// its metadata columns all claiming 2^40 samples.
TEST(FuzzRegressions, FramesReaderRefusesUnwrittenSamples) {
  namespace n = names::frames;
  const std::string path = temp_name("frames");
  {
    h5::Handle f = h5::create_file(path);
    h5::write_format_stamp(f.id(), n::kFormatName, n::kVersion);
    h5::write_attr_string(f.id(), n::kDataset, "DVS128Gesture");
    h5::write_attr<std::int32_t>(f.id(), n::kT, 1);
    h5::write_attr_string(f.id(), n::kSplitBy, "number");
    h5::write_attr_string(f.id(), n::kNormalization, "none");
    h5::write_attr<std::int32_t>(f.id(), n::kHeight, 1);
    h5::write_attr<std::int32_t>(f.id(), n::kWidth, 1);
    h5::write_attr<std::int32_t>(f.id(), n::kClassNum, 1);
    h5::write_attr_strings(f.id(), n::kClassNames, {"a"});
    h5::write_attr_string(f.id(), n::kSourceDir, "d");
    const hsize_t N = hsize_t{1} << 40;
    for (const char* split : {n::kTrain, n::kTest}) {
      h5::Handle g = h5::create_group(f.id(), split);
      h5::DatasetOptions options;  // as FramesWriter stores frames
      options.chunk = {1, 1, 2, 1, 1};
      options.shuffle = true;
      options.deflate_level = 1;
      h5::create_dataset(g.id(), n::kFrames, H5T_STD_U16LE, h5::Dims{N, 1, 2, 1, 1}, options);
      declare_unwritten(g.id(), n::kLabels, H5T_STD_U8LE, h5::Dims{N});
    }
    h5::close_file(f, path);
  }
  const std::string msg = message_of<FormatError>([&] { frames::FramesReader r(path); });
  EXPECT_NE(msg.find("dataset 'labels' declares 1099511627776 values but holds 0 bytes"),
            std::string::npos)
      << msg;
  std::remove(path.c_str());
}

enum class Layout { as_written, train_sample_1_missing, uncompressed };

// A frames file as aedat2frames writes it (counts, T 2, 3x4 pixels, two
// train samples and one test sample), then `damage` applied to its
// /train/frames.
std::string damaged_frames(const char* tag, const std::function<void(hid_t)>& damage,
                           Layout layout = Layout::as_written) {
  namespace n = names::frames;
  const std::string path = temp_name(tag);
  frames::FramesHeader h = test::tiny_frames_header(2, 3, 4, 2);
  frames::SplitMeta m;
  for (std::uint32_t i = 0; i < 2; ++i) {
    m.labels.push_back(static_cast<std::uint8_t>(i));
    m.source.push_back("user01_led");
    m.segment.push_back(i);
    m.t_start.push_back(0);
    m.t_end.push_back(10);
    m.event_count.push_back(5);
  }
  frames::SplitMeta one = m;
  for (auto* v : {&one.t_start, &one.t_end, &one.event_count}) v->resize(1);
  one.labels.resize(1);
  one.source.resize(1);
  one.segment.resize(1);
  {
    frames::FramesWriter w(path, h, 2, 1, "fp");
    std::vector<std::uint16_t> values(2 * 2 * 3 * 4, 3);
    std::vector<std::uint8_t> scratch, chunk;
    frames::encode_chunk(values.data(), values.size(), 2, scratch, chunk);
    w.write_sample(n::kTrain, 0, chunk);
    if (layout != Layout::train_sample_1_missing) w.write_sample(n::kTrain, 1, chunk);
    w.write_sample(n::kTest, 0, chunk);
    w.write_meta(n::kTrain, m);
    w.write_meta(n::kTest, one);
    w.close();
  }
  h5::Handle f = h5::open_file(path, true);
  if (layout == Layout::uncompressed) {  // chunked one sample per chunk, no filters
    H5Ldelete(f.id(), "/train/frames", H5P_DEFAULT);
    h5::DatasetOptions options;
    options.chunk = {1, 2, 2, 3, 4};
    h5::Handle ds = h5::create_dataset(f.id(), "/train/frames", H5T_STD_U16LE, {2, 2, 2, 3, 4},
                                       options);
    const std::vector<std::uint16_t> values(48, 3);  // sample 0; `damage` stores sample 1
    h5::write_chunk(ds.id(), {0, 0, 0, 0, 0}, values.data(), 96);
  }
  h5::Handle ds = h5::open_dataset(f.id(), "/train/frames");
  damage(ds.id());
  ds.reset();
  h5::close_file(f, path);
  return path;
}

void store_chunk(hid_t ds, hsize_t sample, std::uint32_t mask, const std::vector<std::uint8_t>& b) {
  const hsize_t offset[5] = {sample, 0, 0, 0, 0};
  ASSERT_GE(H5Dwrite_chunk(ds, H5P_DEFAULT, mask, offset, b.size(), b.data()), 0);
}

std::vector<std::uint8_t> zlib_of(const std::vector<std::uint8_t>& plain) {
  std::vector<std::uint8_t> out(compressBound(plain.size()));
  uLongf size = out.size();
  EXPECT_EQ(compress(out.data(), &size, plain.data(), plain.size()), Z_OK);
  out.resize(size);
  return out;
}

std::string read_error(const std::string& path, std::size_t sample) {
  const frames::FramesReader r(path);
  std::vector<std::uint16_t> counts(r.sample_elements());
  std::vector<float> values(r.sample_elements());
  const std::string msg = message_of<FormatError>([&] { r.read_counts("train", sample, 1, counts.data()); });
  EXPECT_EQ(message_of<FormatError>([&] { r.read_float("train", sample, 1, values.data()); }), msg);
  return msg;
}

// fuzz_frames_file: a stored sample that decodes to fewer bytes than a sample
// holds (a valid zlib stream of 20 bytes, raw bytes marked "filters skipped",
// or a short chunk of an uncompressed dataset) made HDF5 1.10 copy a whole
// sample's worth of bytes out of the short buffer (ASan: heap-buffer-overflow
// in H5D__select_read); without ASan the reader returned whatever followed.
// Damaged streams and samples never written were not refused either (HDF5
// error, or zeros read silently).
TEST(FuzzRegressions, FramesReaderChecksTheSizeOfEveryStoredSample) {
  std::string path = damaged_frames("short", [](hid_t ds) {
    store_chunk(ds, 1, 0, zlib_of(std::vector<std::uint8_t>(20, 7)));
  });
  EXPECT_EQ(read_error(path, 1),
            "'" + path + "': cannot read sample 1 of /train/frames: compressed data decodes to 20 "
            "bytes, expected 96");
  std::remove(path.c_str());

  path = damaged_frames("long", [](hid_t ds) {
    store_chunk(ds, 1, 0, zlib_of(std::vector<std::uint8_t>(97, 7)));
  });
  EXPECT_EQ(read_error(path, 1), "'" + path + "': cannot read sample 1 of /train/frames: "
                                 "compressed data does not end after the expected 96 bytes");
  std::remove(path.c_str());

  path = damaged_frames("garbage", [](hid_t ds) {
    store_chunk(ds, 0, 0, std::vector<std::uint8_t>(30, 0xAB));
  });
  EXPECT_NE(read_error(path, 0).find("': cannot read sample 0 of /train/frames: compressed data is damaged (zlib:"),
            std::string::npos);
  std::remove(path.c_str());

  path = damaged_frames("skipped", [](hid_t ds) {
    store_chunk(ds, 1, 3, std::vector<std::uint8_t>(20, 7));
  });
  EXPECT_EQ(read_error(path, 1), "'" + path + "': cannot read a chunk stored with some filters "
                                 "skipped (damaged file?)");
  std::remove(path.c_str());

  path = damaged_frames("unwritten", [](hid_t) {}, Layout::train_sample_1_missing);
  EXPECT_EQ(read_error(path, 1),
            "'" + path + "': sample 1 of /train/frames was never written (incomplete file)");
  std::remove(path.c_str());

  // Uncompressed chunks are checked when the file is opened.
  path = damaged_frames(
      "raw_short", [](hid_t ds) { store_chunk(ds, 1, 0, std::vector<std::uint8_t>(20, 7)); },
      Layout::uncompressed);
  EXPECT_EQ(message_of<FormatError>([&] { frames::FramesReader r(path); }),
            "'" + path + "': cannot read dataset '/train/frames': stored chunk 1 has 20 bytes, "
            "not 96 (damaged file?)");
  std::remove(path.c_str());
  path = damaged_frames(
      "raw_ok",
      [](hid_t ds) {
        const std::vector<std::uint16_t> values(48, 3);
        h5::write_chunk(ds, {1, 0, 0, 0, 0}, values.data(), 96);
      },
      Layout::uncompressed);
  {
    const frames::FramesReader r(path);
    std::vector<float> values(2 * r.sample_elements());
    r.read_float("train", 0, 2, values.data());
    EXPECT_EQ(values, std::vector<float>(values.size(), 3.0f));
  }
  std::remove(path.c_str());
}

// fuzz_checkpoint_taus: /config number_layer 2^30 made read_checkpoint_taus
// list 2^30 layer names (out of memory); 2^40 was silently read as 0 conv
// blocks, 2^32 + 1 as 1 (the int64 cut to int). The one checkpoint reader
// refuses them all, as any number that pools the input to nothing.
TEST(FuzzRegressions, CheckpointTausRefuseAbsurdNumberLayer) {
  namespace n = names::checkpoint;
  const std::string path = temp_name("ckpt");
  const auto write = [&](std::int64_t number_layer) {
    h5::Handle f = h5::create_file(path);
    h5::write_format_stamp(f.id(), n::kFormatName, n::kVersion);
    TrainConfig config;  // 128x128 DVS128 Gesture, LIF
    config.dataset = Dataset::DVS128Gesture;
    config.T = 4;
    config.split_by = frames::SplitBy::number;
    config.normalization = frames::Normalization::none;
    config.net.number_layer = number_layer;
    write_config_attributes(h5::create_group(f.id(), n::kConfig).id(), config);
    h5::create_group(f.id(), n::kModel);
    h5::create_group(f.id(), n::kLog);
    h5::close_file(f, path);
  };
  for (const std::int64_t number_layer : {std::int64_t{1} << 30, std::int64_t{1} << 40,
                                          (std::int64_t{1} << 32) + 1, std::int64_t{63}}) {
    write(number_layer);
    const std::string expected = "'" + path + "': /config number_layer must be in 1..62, got " +
                                 std::to_string(number_layer);
    EXPECT_EQ(message_of<FormatError>([&] { analysis::read_checkpoint_taus(path); }), expected);
    EXPECT_EQ(message_of<FormatError>([&] { analysis::read_tau_log(path); }), expected);
  }
  write(8);  // 128 >> 8 is nothing left
  EXPECT_EQ(message_of<FormatError>([&] { analysis::read_checkpoint_taus(path); }),
            "'" + path + "': /config number_layer 8 pools a 128x128 input to nothing");
  write(7);  // the largest number_layer of a 128x128 input: 7 blocks + 2 linear
  EXPECT_EQ(analysis::read_checkpoint_taus(path).size(), 9u);
  std::remove(path.c_str());
}

// fuzz_checkpoint_taus: a group linked into itself sent the checksum walk
// (h5::verify_checksums) round the cycle until the stack overflowed.
TEST(FuzzRegressions, ChecksumWalkStopsAtLinkCycles) {
  const std::string path = temp_name("cycle");
  {
    h5::Handle f = h5::create_file(path);
    h5::Handle g = h5::create_group(f.id(), "model");
    ASSERT_GE(H5Lcreate_hard(g.id(), ".", g.id(), "again", H5P_DEFAULT, H5P_DEFAULT), 0);
    h5::close_file(f, path);
  }
  h5::Handle f = h5::open_file(path);
  EXPECT_NE(message_of<FormatError>([&] { h5::verify_checksums(f.id()); })
                .find("groups nested deeper than 16 (a link cycle? damaged file)"),
            std::string::npos);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace plifkit
