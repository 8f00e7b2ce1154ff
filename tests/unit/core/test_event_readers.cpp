// The N-MNIST, CIFAR10-DVS and ASL-DVS decoders on hand-made files: every
// field placed by hand (tests/support/event_files.hpp), both orientations
// against their formulas, the N-MNIST overflow marker, and one error line
// naming the file and byte (or variable) for each kind of damage.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "plifkit/core/error.hpp"
#include "plifkit/events/asldvs_reader.hpp"
#include "plifkit/events/cifar10dvs_reader.hpp"
#include "plifkit/events/nmnist_reader.hpp"
#include "support/event_files.hpp"

namespace plifkit {
namespace {

using test::RawEvent;

std::uint32_t address(int width, int height, int x, int y, int p) {
  return SensorSize{width, height}.address(static_cast<std::uint32_t>(x),
                                           static_cast<std::uint32_t>(y),
                                           static_cast<std::uint32_t>(p));
}

template <typename F>
std::string message_of(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(NmnistReader, DecodesEveryField) {
  const std::vector<RawEvent> ev = {{0, 0, 0, 0}, {5, 33, 0, 1}, {5, 0, 33, 0}, {0x7FFFFF, 17, 9, 1}};
  const auto bytes = test::nmnist_bytes(ev);
  EventBuffer out;
  const NmnistStats s = decode_nmnist(bytes.data(), bytes.size(), "a.bin", out);
  EXPECT_EQ(s.overflow_markers, 0u);
  ASSERT_EQ(out.size(), ev.size());
  for (std::size_t i = 0; i < ev.size(); ++i) {
    EXPECT_EQ(out.t()[i], ev[i].t);
    EXPECT_EQ(out.addr()[i], address(34, 34, ev[i].x, ev[i].y, ev[i].p));
  }
}

TEST(NmnistReader, OverflowMarkerShiftsLaterTimesAndIsNoEvent) {
  std::vector<std::uint8_t> bytes;
  test::append_nmnist(bytes, 3, 4, 1, 100);
  test::append_nmnist(bytes, 0, 240, 0, 0);  // the marker
  test::append_nmnist(bytes, 5, 6, 0, 50);    // 50 + 8192
  test::append_nmnist(bytes, 0, 240, 1, 7);   // another one
  test::append_nmnist(bytes, 7, 8, 1, 10);    // 10 + 2 * 8192
  EventBuffer out;
  EXPECT_EQ(decode_nmnist(bytes.data(), bytes.size(), "o.bin", out).overflow_markers, 2u);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out.t()[0], 100u);
  EXPECT_EQ(out.t()[1], 50u + 8192u);
  EXPECT_EQ(out.t()[2], 10u + 16384u);
  EXPECT_EQ(out.addr()[2], address(34, 34, 7, 8, 1));
}

TEST(NmnistReader, EmptyFileHasNoEvents) {
  EventBuffer out;
  EXPECT_EQ(decode_nmnist(nullptr, 0, "e.bin", out).overflow_markers, 0u);
  EXPECT_EQ(out.size(), 0u);
}

TEST(NmnistReader, RefusesDamageNamingFileAndByte) {
  EventBuffer out;
  auto bytes = test::nmnist_bytes({{1, 1, 1, 0}, {2, 2, 2, 1}});
  bytes.pop_back();  // 9 bytes
  EXPECT_EQ(message_of([&] { decode_nmnist(bytes.data(), bytes.size(), "t.bin", out); }),
            "cannot decode 't.bin' at byte 5: truncated event (9 bytes is not a whole number of "
            "5-byte events)");
  bytes = test::nmnist_bytes({{1, 1, 1, 0}, {2, 34, 2, 1}});
  EXPECT_EQ(message_of([&] { decode_nmnist(bytes.data(), bytes.size(), "x.bin", out); }),
            "cannot decode 'x.bin' at byte 5: event at x=34, y=2 is outside the 34x34 sensor");
  bytes = test::nmnist_bytes({{9, 1, 1, 0}, {8, 2, 2, 1}});
  EXPECT_EQ(message_of([&] { decode_nmnist(bytes.data(), bytes.size(), "b.bin", out); }),
            "cannot decode 'b.bin' at byte 5: time goes backwards: event at 8 us after one at 9 us");
  EXPECT_THROW(decode_nmnist(bytes.data(), bytes.size(), "b.bin", out), InputError);
}

TEST(Cifar10DvsReader, ReferenceOrientationFollowsTheReferenceFormula) {
  const std::vector<RawEvent> ev = {{1000, 0, 0, 0}, {1000, 127, 0, 1}, {1001, 3, 127, 1},
                                    {4000000000u, 64, 5, 0}};
  const auto bytes = test::cifar_bytes(ev);
  EventBuffer out;
  const Cifar10DvsStats s =
      decode_cifar10dvs(bytes.data(), bytes.size(), "c.aedat", Orientation::reference, out);
  EXPECT_EQ(s.header_bytes, std::string("#!AER-DAT2.0\r\n# This is a raw AE data file\r\n").size());
  EXPECT_EQ(s.special_events, 0u);
  ASSERT_EQ(out.size(), ev.size());
  for (std::size_t i = 0; i < ev.size(); ++i) {
    EXPECT_EQ(out.t()[i], ev[i].t);
    EXPECT_EQ(out.addr()[i], address(128, 128, ev[i].x, ev[i].y, ev[i].p));
  }
}

TEST(Cifar10DvsReader, SensorOrientationTransposesAndFlips) {
  // Raw fields chosen directly: a = y_raw << 8 | x_raw << 1 | bit.
  const std::uint32_t x_raw = 10, y_raw = 100;
  std::vector<std::uint8_t> bytes = {'#', '!', 'A', 'E', 'R', '-', 'D', 'A', 'T', '2', '.', '0', '\n'};
  test::append_be32(bytes, (y_raw << 8) | (x_raw << 1) | 1u);  // bit 1: polarity 0
  test::append_be32(bytes, 7);
  EventBuffer out;
  decode_cifar10dvs(bytes.data(), bytes.size(), "s.aedat", Orientation::sensor, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out.addr()[0], address(128, 128, 127 - y_raw, 127 - x_raw, 0));
  decode_cifar10dvs(bytes.data(), bytes.size(), "s.aedat", Orientation::reference, out);
  EXPECT_EQ(out.addr()[0], address(128, 128, 127 - x_raw, y_raw, 0));
}

TEST(Cifar10DvsReader, KeepsSpecialEventsAsTheReferenceDoes) {
  std::vector<std::uint8_t> bytes = {'#', '\n'};
  test::append_be32(bytes, 0x80000000u | test::cifar_address(5, 6, 1));
  test::append_be32(bytes, 3);
  EventBuffer out;
  EXPECT_EQ(decode_cifar10dvs(bytes.data(), bytes.size(), "k.aedat", Orientation::reference, out)
                .special_events,
            1u);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out.addr()[0], address(128, 128, 5, 6, 1));
}

TEST(Cifar10DvsReader, RefusesDamageNamingFileAndByte) {
  EventBuffer out;
  auto bytes = test::cifar_bytes({{1, 1, 1, 0}}, "#!AER-DAT2.0\n");
  bytes.push_back(0);
  EXPECT_EQ(message_of([&] {
              decode_cifar10dvs(bytes.data(), bytes.size(), "o.aedat", Orientation::reference, out);
            }),
            "cannot decode 'o.aedat' at byte 21: truncated event (9 bytes after the header are not "
            "whole 8-byte address/timestamp pairs)");
  bytes = test::cifar_bytes({{1, 1, 1, 0}}, "#!AER-DAT3.1\r\n");
  EXPECT_THROW(decode_cifar10dvs(bytes.data(), bytes.size(), "v.aedat", Orientation::reference, out),
               FormatError);
  bytes = test::cifar_bytes({}, "#!AER-DAT2.0");  // no newline
  EXPECT_THROW(decode_cifar10dvs(bytes.data(), bytes.size(), "n.aedat", Orientation::reference, out),
               FormatError);
  bytes = test::cifar_bytes({{5, 1, 1, 0}, {4, 1, 1, 0}}, "#\n");
  EXPECT_EQ(message_of([&] {
              decode_cifar10dvs(bytes.data(), bytes.size(), "b.aedat", Orientation::reference, out);
            }),
            "cannot decode 'b.aedat' at byte 10: time goes backwards: event at 4 us after one at 5 us");
}

class AslDvsReader : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir() + "plifkit_asl_" + std::to_string(::getpid());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(AslDvsReader, ReadsLargeCompressedFiles) {
  // Each variable inflates to far more than the check's 4 KiB prefix.
  std::vector<RawEvent> ev;
  for (int i = 0; i < 3000; ++i) ev.push_back({static_cast<std::uint64_t>(10 * i), i % 240, i % 180, i % 2});
  const std::string path = dir_ + "/e_0005.mat";
  test::write_asl_mat(path, ev, /*compress=*/true);
  EventBuffer out;
  read_asldvs(path, Orientation::reference, out);
  ASSERT_EQ(out.size(), ev.size());
  EXPECT_EQ(out.t()[2999], 29990u);
  EXPECT_EQ(out.addr()[2999], address(240, 180, 2999 % 240, 2999 % 180, 1));
}

TEST_F(AslDvsReader, ReadsDoublesBothOrientationsCompressedOrNot) {
  const std::vector<RawEvent> ev = {{10, 0, 0, 0}, {10, 239, 0, 1}, {12, 0, 179, 1}, {99, 100, 50, 0}};
  for (bool compress : {false, true}) {
    const std::string path = dir_ + "/a_0001.mat";
    test::write_asl_mat(path, ev, compress);
    EventBuffer out;
    read_asldvs(path, Orientation::reference, out);
    ASSERT_EQ(out.size(), ev.size());
    for (std::size_t i = 0; i < ev.size(); ++i) {
      EXPECT_EQ(out.t()[i], ev[i].t);
      EXPECT_EQ(out.addr()[i], address(240, 180, ev[i].x, ev[i].y, ev[i].p));
    }
    read_asldvs(path, Orientation::sensor, out);
    for (std::size_t i = 0; i < ev.size(); ++i)
      EXPECT_EQ(out.addr()[i], address(240, 180, 239 - ev[i].x, 179 - ev[i].y, ev[i].p));
  }
}

// Writes one variable of a given class as a row vector, the others double columns.
void write_mixed(const std::string& path, const char* odd_name, matio_classes cls, matio_types type,
                 const void* data, std::size_t n) {
  mat_t* mat = Mat_CreateVer(path.c_str(), nullptr, MAT_FT_MAT5);
  const std::vector<double> col(n, 1.0);
  std::vector<double> ts(n);
  for (std::size_t i = 0; i < n; ++i) ts[i] = static_cast<double>(i);
  for (const char* name : {"ts", "x", "y", "pol"}) {
    matvar_t* v;
    if (std::string(name) == odd_name) {
      std::size_t dims[2] = {1, n};
      v = Mat_VarCreate(name, cls, type, 2, dims, const_cast<void*>(data), 0);
    } else {
      std::size_t dims[2] = {n, 1};
      v = Mat_VarCreate(name, MAT_C_DOUBLE, MAT_T_DOUBLE, 2, dims,
                        const_cast<double*>(std::string(name) == "ts" ? ts.data() : col.data()), 0);
    }
    Mat_VarWrite(mat, v, MAT_COMPRESSION_NONE);
    Mat_VarFree(v);
  }
  Mat_Close(mat);
}

TEST_F(AslDvsReader, AcceptsAnyNumericClassAndRowVectors) {
  const std::string path = dir_ + "/b_0002.mat";
  const std::uint8_t pol[3] = {0, 1, 1};
  write_mixed(path, "pol", MAT_C_UINT8, MAT_T_UINT8, pol, 3);
  EventBuffer out;
  read_asldvs(path, Orientation::reference, out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out.addr()[2], address(240, 180, 1, 1, 1));
  const std::int64_t ts[3] = {5, 6, 7};
  write_mixed(path, "ts", MAT_C_INT64, MAT_T_INT64, ts, 3);
  read_asldvs(path, Orientation::reference, out);
  EXPECT_EQ(out.t()[2], 7u);
  const float x[3] = {0, 2, 239};
  write_mixed(path, "x", MAT_C_SINGLE, MAT_T_SINGLE, x, 3);
  read_asldvs(path, Orientation::reference, out);
  EXPECT_EQ(out.addr()[2], address(240, 180, 239, 1, 1));
}

TEST_F(AslDvsReader, RefusesDamageNamingFileAndVariable) {
  const std::string path = dir_ + "/c_0003.mat";
  EventBuffer out;
  const std::uint8_t pol2[2] = {0, 2};
  write_mixed(path, "pol", MAT_C_UINT8, MAT_T_UINT8, pol2, 2);
  EXPECT_EQ(message_of([&] { read_asldvs(path, Orientation::reference, out); }),
            "'" + path + "': pol(2) is not a whole number in [0, 2)");
  const double x_half[2] = {1.5, 2};
  write_mixed(path, "x", MAT_C_DOUBLE, MAT_T_DOUBLE, x_half, 2);
  EXPECT_EQ(message_of([&] { read_asldvs(path, Orientation::reference, out); }),
            "'" + path + "': x(1) is not a whole number in [0, 240)");
  const double y_out[2] = {0, 180};
  write_mixed(path, "y", MAT_C_DOUBLE, MAT_T_DOUBLE, y_out, 2);
  EXPECT_THROW(read_asldvs(path, Orientation::reference, out), InputError);
  const double ts_back[2] = {5, 4};
  write_mixed(path, "ts", MAT_C_DOUBLE, MAT_T_DOUBLE, ts_back, 2);
  EXPECT_EQ(message_of([&] { read_asldvs(path, Orientation::reference, out); }),
            "'" + path + "': time goes backwards: ts(2) = 4 us after 5 us");
  const double ts_short[1] = {5};
  write_mixed(path, "ts", MAT_C_DOUBLE, MAT_T_DOUBLE, ts_short, 1);  // others have 1 too
  EXPECT_NO_THROW(read_asldvs(path, Orientation::reference, out));

  // A missing variable.
  {
    mat_t* mat = Mat_CreateVer(path.c_str(), nullptr, MAT_FT_MAT5);
    double v[1] = {0};
    std::size_t dims[2] = {1, 1};
    for (const char* name : {"ts", "x", "y"}) {
      matvar_t* var = Mat_VarCreate(name, MAT_C_DOUBLE, MAT_T_DOUBLE, 2, dims, v, 0);
      Mat_VarWrite(mat, var, MAT_COMPRESSION_NONE);
      Mat_VarFree(var);
    }
    Mat_Close(mat);
  }
  EXPECT_EQ(message_of([&] { read_asldvs(path, Orientation::reference, out); }).rfind(
                "'" + path + "': no variable 'pol'", 0),
            0u);
  // Not a MATLAB file at all.
  test::write_bytes(path, {'n', 'o', 't', ' ', 'm', 'a', 't'});
  EXPECT_THROW(read_asldvs(path, Orientation::reference, out), FormatError);
}

// Sizes that a damaged file claims are checked before libmatio allocates
// them (mat5_check.hpp): a dimension or an element size beyond the file is
// one error line, not a request for gigabytes.
TEST_F(AslDvsReader, RefusesSizeClaimsBeyondTheFileBeforeReading) {
  const std::string path = dir_ + "/d_0004.mat";
  test::write_asl_mat(path, {{1, 2, 3, 1}, {2, 3, 4, 0}});
  std::ifstream in(path, std::ios::binary);
  std::vector<std::uint8_t> good((std::istreambuf_iterator<char>(in)), {});
  // The first matrix: tag at 128, array flags 136..151, dims tag 152, dims 160.
  auto damaged = good;
  damaged[160] = 0xFF, damaged[161] = 0xFF, damaged[162] = 0xFF, damaged[163] = 0x7F;
  test::write_bytes(path, damaged);
  EventBuffer out;
  EXPECT_EQ(message_of([&] { read_asldvs(path, Orientation::reference, out); }),
            "cannot decode '" + path + "' at byte 160: matrix dimensions claim more elements than "
            "the file holds");
  damaged = good;
  damaged[132] = 0xF0, damaged[133] = 0xFF, damaged[134] = 0xFF, damaged[135] = 0x7F;  // matrix size
  test::write_bytes(path, damaged);
  EXPECT_NE(message_of([&] { read_asldvs(path, Orientation::reference, out); })
                .find("at byte 128: MAT-file element of 2147483632 bytes, only"),
            std::string::npos);
  damaged = good;
  damaged[144] = 5;  // the first matrix's class: sparse
  test::write_bytes(path, damaged);
  EXPECT_EQ(message_of([&] { read_asldvs(path, Orientation::reference, out); }),
            "cannot decode '" + path + "' at byte 144: MATLAB array class 5 (sparse, object or "
            "other), not a dense array");
  damaged = good;
  damaged[124] = 0x00, damaged[125] = 0x02;  // version 7.3
  test::write_bytes(path, damaged);
  EXPECT_EQ(message_of([&] { read_asldvs(path, Orientation::reference, out); }),
            "'" + path + "': MAT-file version 0x0200 (7.3, HDF5-based); ASL-DVS files are MATLAB 5 "
            "files (version 0x0100)");
  test::write_bytes(path, good);
  EXPECT_NO_THROW(read_asldvs(path, Orientation::reference, out));
  EXPECT_EQ(out.size(), 2u);
}

}  // namespace
}  // namespace plifkit
