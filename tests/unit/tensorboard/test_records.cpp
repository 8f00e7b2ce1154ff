// CRC-32C against published test vectors, TFRecord framing by round trip,
// and the reader's answer to damaged and cut files.
#include <gtest/gtest.h>

#include <string>

#include "plifkit/core/error.hpp"
#include "plifkit/tensorboard/crc32c.hpp"
#include "plifkit/tensorboard/record_file.hpp"
#include "scratch.hpp"

namespace plifkit::tensorboard {
namespace {

TEST(Crc32c, PublishedTestVectors) {
  // The check value of the CRC catalogue, and RFC 3720 (iSCSI) B.4.
  EXPECT_EQ(crc32c("123456789", 9), 0xE3069283u);
  EXPECT_EQ(crc32c("", 0), 0u);
  const std::string zeros(32, '\0'), ones(32, '\xFF');
  std::string ascending, descending;
  for (int i = 0; i < 32; ++i) {
    ascending.push_back(static_cast<char>(i));
    descending.push_back(static_cast<char>(31 - i));
  }
  EXPECT_EQ(crc32c(zeros.data(), zeros.size()), 0x8A9136AAu);
  EXPECT_EQ(crc32c(ones.data(), ones.size()), 0x62A8AB43u);
  EXPECT_EQ(crc32c(ascending.data(), ascending.size()), 0x46DD794Eu);
  EXPECT_EQ(crc32c(descending.data(), descending.size()), 0x113FDB5Cu);
}

TEST(Crc32c, MaskRotatesRightBy15AndAddsTheConstant) {
  EXPECT_EQ(mask_crc(0), 0xA282EAD8u);
  EXPECT_EQ(mask_crc(0x00008000u), 0xA282EAD9u);           // bit 15 -> bit 0
  EXPECT_EQ(mask_crc(0x00000001u), 0xA282EAD8u + 0x20000u);  // bit 0 -> bit 17
  EXPECT_EQ(mask_crc(0xFFFFFFFFu), 0xA282EAD7u);             // wraps mod 2^32
  EXPECT_EQ(masked_crc32c("123456789", 9), mask_crc(0xE3069283u));
}

TEST(RecordFile, FramingLayout) {
  const std::string framed = frame_record("abc");
  ASSERT_EQ(framed.size(), 12u + 3u + 4u);
  EXPECT_EQ(framed.substr(0, 8), std::string("\x03\0\0\0\0\0\0\0", 8));
  auto u32_at = [&](size_t at) {
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(static_cast<unsigned char>(framed[at + i])) << (8 * i);
    return v;
  };
  EXPECT_EQ(u32_at(8), masked_crc32c(framed.data(), 8));
  EXPECT_EQ(framed.substr(12, 3), "abc");
  EXPECT_EQ(u32_at(15), masked_crc32c("abc", 3));
}

TEST(RecordFile, RoundTripWithOffsets) {
  ScratchFolder dir;
  const std::string path = dir.path() + "/records";
  const std::string big(70000, 'x');  // longer than one read of the reader
  write_bytes(path, frame_record("first") + frame_record("") + frame_record(big));
  const RecordFile file = read_record_file(path);
  ASSERT_EQ(file.records.size(), 3u);
  EXPECT_EQ(file.truncated_at, -1);
  EXPECT_EQ(file.records[0].data, "first");
  EXPECT_EQ(file.records[0].offset, 0u);
  EXPECT_EQ(file.records[1].data, "");
  EXPECT_EQ(file.records[1].offset, 21u);
  EXPECT_EQ(file.records[2].data, big);
  EXPECT_EQ(file.records[2].offset, 37u);
}

TEST(RecordFile, EveryCutOfTheLastRecordIsSkipped) {
  ScratchFolder dir;
  const std::string path = dir.path() + "/records";
  const std::string whole = frame_record("kept") + frame_record("cut short");
  const size_t last = frame_record("kept").size();
  for (size_t size = last + 1; size < whole.size(); ++size) {
    write_bytes(path, whole.substr(0, size));
    const RecordFile file = read_record_file(path);
    ASSERT_EQ(file.records.size(), 1u) << "cut at " << size;
    EXPECT_EQ(file.records[0].data, "kept");
    EXPECT_EQ(file.truncated_at, static_cast<int64_t>(last)) << "cut at " << size;
  }
  write_bytes(path, whole.substr(0, last));
  EXPECT_EQ(read_record_file(path).truncated_at, -1);
}

// The message of the FormatError reading `bytes` throws.
std::string damage_message(const std::string& path, const std::string& bytes) {
  write_bytes(path, bytes);
  try {
    read_record_file(path);
  } catch (const FormatError& e) {
    return e.what();
  }
  return "no error";
}

TEST(RecordFile, DamageIsReportedWithFileAndOffset) {
  ScratchFolder dir;
  const std::string path = dir.path() + "/records";
  const std::string first = frame_record("one"), second = frame_record("two");
  std::string bytes = first + second;
  bytes[first.size() + 12] ^= 0x01;  // a bit of the second record's data
  EXPECT_EQ(damage_message(path, bytes), "'" + path + "': record at byte " +
                                             std::to_string(first.size()) +
                                             ": the CRC of the data does not match (the file is damaged)");
  bytes = first + second;
  bytes[first.size() + 2] ^= 0x40;  // its length
  EXPECT_NE(damage_message(path, bytes).find("record at byte 19: the CRC of the length does not match"),
            std::string::npos);
  bytes = first + second;
  bytes[bytes.size() - 1] ^= 0x80;  // its stored data CRC
  EXPECT_NE(damage_message(path, bytes).find("record at byte 19: the CRC of the data"), std::string::npos);
}

TEST(RecordFile, MissingFileAndFolder) {
  ScratchFolder dir;
  EXPECT_THROW(read_record_file(dir.path() + "/none"), IoError);
  try {
    read_record_file(dir.path());
    FAIL();
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("it is a folder"), std::string::npos);
  }
}

}  // namespace
}  // namespace plifkit::tensorboard
