// The AEDAT 3.1 decoder on byte buffers built by hand in this file: headers
// with LF and CRLF, several packets, spare capacity, other event types,
// timestamp overflow, invalid marks, and every error with its byte offset.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "plifkit/core/error.hpp"
#include "plifkit/events/aedat_reader.hpp"

namespace plifkit {
namespace {

constexpr SensorSize kDvs128{128, 128};
const std::string kPath = "rec.aedat";

struct Bytes {
  std::vector<std::uint8_t> b;
  void text(const std::string& s) { b.insert(b.end(), s.begin(), s.end()); }
  void u16(std::uint16_t v) {
    b.push_back(v & 0xFF);
    b.push_back(v >> 8);
  }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  std::size_t size() const { return b.size(); }
};

std::uint32_t word(std::uint32_t x, std::uint32_t y, std::uint32_t p, bool valid = true) {
  return (x << 17) | (y << 2) | (p << 1) | (valid ? 1 : 0);
}

struct Raw {
  std::uint32_t data;
  std::uint32_t ts;
};

Bytes with_header(const std::string& eol = "\r\n") {
  Bytes f;
  f.text("#!AER-DAT3.1" + eol + "#Format: RAW" + eol + "#Source 1: DVS128" + eol +
         "#!END-HEADER" + eol);
  return f;
}

// A packet header; `number` events follow from `events`, then capacity -
// number slots of `fill` bytes.
void packet(Bytes& f, std::uint16_t type, std::uint32_t size, std::uint32_t overflow,
            std::uint32_t capacity, const std::vector<Raw>& events, std::uint8_t fill = 0xFF) {
  f.u16(type);
  f.u16(1);
  f.u32(size);
  f.u32(4);
  f.u32(overflow);
  f.u32(capacity);
  f.u32(static_cast<std::uint32_t>(events.size()));
  f.u32(static_cast<std::uint32_t>(events.size()));
  for (const Raw& e : events) {
    f.u32(e.data);
    f.u32(e.ts);
  }
  f.b.insert(f.b.end(), (capacity - events.size()) * size, fill);
}

void other_packet(Bytes& f, std::uint16_t type, std::uint32_t size, std::uint32_t capacity) {
  f.u16(type);
  f.u16(1);
  f.u32(size);
  f.u32(4);
  f.u32(0);
  f.u32(capacity);
  f.u32(capacity);
  f.u32(capacity);
  f.b.insert(f.b.end(), static_cast<std::size_t>(capacity) * size, 0xFF);
}

AedatStats decode(const Bytes& f, EventBuffer& out) {
  return decode_aedat(f.b.data(), f.size(), kPath, kDvs128, out);
}

// Decoding throws E whose message names the file, the byte and the reason.
template <typename E>
void expect_error(const Bytes& f, std::size_t byte, const std::string& reason) {
  EventBuffer out;
  try {
    decode(f, out);
    ADD_FAILURE() << "no error, expected: " << reason;
  } catch (const E& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("'" + kPath + "'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("at byte " + std::to_string(byte) + ":"), std::string::npos) << msg;
    EXPECT_NE(msg.find(reason), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
}

TEST(AedatReader, HeaderWithCrlfOrLf) {
  for (const std::string eol : {"\r\n", "\n"}) {
    const Bytes f = with_header(eol);
    EXPECT_EQ(aedat_header_size(f.b.data(), f.size(), kPath), f.size());
    EventBuffer out;
    const AedatStats s = decode(f, out);
    EXPECT_EQ(out.size(), 0u);
    EXPECT_EQ(s.header_bytes, f.size());
  }
}

TEST(AedatReader, DecodesPolarityEventsAcrossPackets) {
  Bytes f = with_header();
  packet(f, 1, 8, 0, 2, {{word(0, 0, 0), 5}, {word(127, 0, 1), 5}});
  packet(f, 1, 8, 0, 3, {{word(3, 127, 1), 9}, {word(64, 32, 0), 10}, {word(1, 2, 1), 4000}});
  EventBuffer out;
  const AedatStats s = decode(f, out);
  ASSERT_EQ(out.size(), 5u);
  const std::uint64_t t[] = {5, 5, 9, 10, 4000};
  // address = p * 128 * 128 + y * 128 + x
  const std::uint32_t a[] = {0, 16384 + 127, 16384 + 127 * 128 + 3, 32 * 128 + 64,
                             16384 + 2 * 128 + 1};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(out.t()[i], t[i]) << i;
    EXPECT_EQ(out.addr()[i], a[i]) << i;
  }
  EXPECT_EQ(s.polarity_packets, 2u);
  EXPECT_EQ(s.skipped_packets, 0u);
  EXPECT_EQ(s.invalid_events, 0u);
}

TEST(AedatReader, TimestampOverflowAddsBit31) {
  Bytes f = with_header();
  packet(f, 1, 8, 0, 1, {{word(1, 1, 0), 0x7FFFFFF0u}});
  packet(f, 1, 8, 1, 1, {{word(1, 1, 0), 0x10u}});
  packet(f, 1, 8, 5, 1, {{word(1, 1, 0), 0x0u}});
  EventBuffer out;
  decode(f, out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out.t()[0], 0x7FFFFFF0u);
  EXPECT_EQ(out.t()[1], (std::uint64_t{1} << 31) + 0x10);
  EXPECT_EQ(out.t()[2], std::uint64_t{5} << 31);
}

TEST(AedatReader, SkipsOtherTypesAndSpareCapacity) {
  Bytes f = with_header();
  other_packet(f, 0, 8, 3);     // special events
  other_packet(f, 2, 1000, 2);  // frame events: any size is fine
  // Capacity 6, 2 events: the 4 spare slots are 0xFF (x = 32767 if decoded).
  packet(f, 1, 8, 0, 6, {{word(1, 2, 1), 7}, {word(2, 3, 0), 8}});
  other_packet(f, 7, 13, 0);  // empty packet of an unknown type
  EventBuffer out;
  const AedatStats s = decode(f, out);
  EXPECT_EQ(out.size(), 2u);
  EXPECT_EQ(s.skipped_packets, 3u);
  EXPECT_EQ(s.polarity_packets, 1u);
}

TEST(AedatReader, SkipsAndCountsInvalidEventsWithoutCheckingThem) {
  Bytes f = with_header();
  // Invalid events may hold anything: out-of-sensor x, a time far back.
  packet(f, 1, 8, 0, 4,
         {{word(5, 5, 1), 100}, {word(4000, 9, 1, false), 1}, {word(6, 6, 0), 101},
          {word(7, 7, 1, false), 50}});
  packet(f, 1, 8, 0, 1, {{word(8, 8, 1), 102}});
  EventBuffer out;
  const AedatStats s = decode(f, out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(s.invalid_events, 2u);
  EXPECT_EQ(out.t()[0], 100u);
  EXPECT_EQ(out.t()[1], 101u);
  EXPECT_EQ(out.t()[2], 102u);
  EXPECT_EQ(out.addr()[1], 6u * 128 + 6);
  EXPECT_EQ(out.addr()[2], 16384u + 8 * 128 + 8);
}

TEST(AedatReader, BufferIsReusedBetweenFiles) {
  Bytes big = with_header();
  std::vector<Raw> events;
  for (std::uint32_t i = 0; i < 100; ++i) events.push_back({word(i % 128, 1, 1), i});
  packet(big, 1, 8, 0, 100, events);
  Bytes small = with_header();
  packet(small, 1, 8, 0, 1, {{word(9, 9, 0), 3}});
  EventBuffer out;
  decode(big, out);
  EXPECT_EQ(out.size(), 100u);
  decode(small, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out.t()[0], 3u);
}

TEST(AedatReader, RejectsMissingOrOtherVersions) {
  Bytes none;
  none.text("hello\n");
  expect_error<FormatError>(none, 0, "not an AEDAT file");
  expect_error<FormatError>(Bytes{}, 0, "not an AEDAT file");
  Bytes v2;
  v2.text("#!AER-DAT2.0\r\n#!END-HEADER\r\n");
  expect_error<FormatError>(v2, 0, "AEDAT 2.0 file, only 3.1 is supported");
  Bytes v4;
  v4.text("#!AER-DAT4.0\r\n#!END-HEADER\r\n");
  expect_error<FormatError>(v4, 0, "AEDAT 4.0 file, only 3.1 is supported");
}

TEST(AedatReader, RejectsHeaderWithoutEnd) {
  Bytes eof;
  eof.text("#!AER-DAT3.1\r\n#Format: RAW\r\n");
  expect_error<FormatError>(eof, eof.size(), "no '#!END-HEADER'");
  Bytes binary;
  binary.text("#!AER-DAT3.1\n#Format: RAW\n");
  const std::size_t at = binary.size();
  binary.u32(0x01020304);
  expect_error<FormatError>(binary, at, "no '#!END-HEADER'");
}

TEST(AedatReader, RejectsTruncatedPackets) {
  Bytes header_cut = with_header();
  const std::size_t at = header_cut.size();
  header_cut.text("0123456789");
  expect_error<FormatError>(header_cut, at, "truncated packet header");

  Bytes body_cut = with_header();
  packet(body_cut, 1, 8, 0, 1, {{word(1, 1, 1), 1}});
  const std::size_t second = body_cut.size();
  packet(body_cut, 1, 8, 0, 3, {{word(1, 1, 1), 2}, {word(1, 1, 1), 3}, {word(1, 1, 1), 4}});
  body_cut.b.resize(body_cut.size() - 1);
  expect_error<FormatError>(body_cut, second, "truncated packet");

  Bytes other_cut = with_header();
  other_packet(other_cut, 2, 500, 2);
  other_cut.b.resize(other_cut.size() - 10);
  expect_error<FormatError>(other_cut, with_header().size(), "truncated packet");
}

TEST(AedatReader, RejectsPolarityEventSizeOtherThan8) {
  Bytes f = with_header();
  const std::size_t at = f.size();
  packet(f, 1, 12, 0, 1, {});
  expect_error<FormatError>(f, at, "eventSize 12 (expected 8)");
}

TEST(AedatReader, RejectsEventNumberAboveCapacity) {
  Bytes f = with_header();
  const std::size_t at = f.size();
  f.u16(1);
  f.u16(1);
  f.u32(8);
  f.u32(4);
  f.u32(0);
  f.u32(1);  // capacity
  f.u32(2);  // number
  f.u32(2);
  f.u32(word(1, 1, 1));
  f.u32(1);
  expect_error<FormatError>(f, at, "eventNumber 2 exceeds eventCapacity 1");
}

TEST(AedatReader, RejectsEventsOutsideTheSensor) {
  Bytes x = with_header();
  const std::size_t events = x.size() + kAedatPacketHeaderSize;
  packet(x, 1, 8, 0, 3, {{word(1, 1, 1), 1}, {word(128, 5, 1), 2}, {word(1, 1, 1), 3}});
  expect_error<InputError>(x, events + 8, "x=128, y=5 is outside the 128x128 sensor");
  Bytes y = with_header();
  packet(y, 1, 8, 0, 1, {{word(0, 200, 0), 2}});
  expect_error<InputError>(y, events, "x=0, y=200 is outside");
}

TEST(AedatReader, RejectsTimeGoingBackwards) {
  Bytes within = with_header();
  const std::size_t events = within.size() + kAedatPacketHeaderSize;
  packet(within, 1, 8, 0, 3, {{word(1, 1, 1), 10}, {word(1, 1, 1), 10}, {word(1, 1, 1), 9}});
  expect_error<InputError>(within, events + 16, "time goes backwards: event at 9 us after one at 10 us");
  // Across packets, through the overflow counter going down.
  Bytes across = with_header();
  packet(across, 1, 8, 1, 1, {{word(1, 1, 1), 5}});
  const std::size_t second = across.size() + kAedatPacketHeaderSize;
  packet(across, 1, 8, 0, 1, {{word(1, 1, 1), 6}});
  expect_error<InputError>(across, second, "time goes backwards");
}

TEST(AedatReader, MissingFileIsAnIoError) {
  EventBuffer out;
  EXPECT_THROW(read_aedat("/nonexistent/rec.aedat", kDvs128, out), IoError);
}

}  // namespace
}  // namespace plifkit
