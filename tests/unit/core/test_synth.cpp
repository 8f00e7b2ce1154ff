// dvs-synth's recordings decode cleanly, depend only on the seed, and in
// awkward mode really contain the awkward parts they promise.
#include <gtest/gtest.h>

#include <cstring>
#include <set>

#include "plifkit/core/error.hpp"
#include "plifkit/events/aedat_reader.hpp"
#include "plifkit/events/synth.hpp"

namespace plifkit {
namespace {

constexpr SensorSize kDvs128{128, 128};

SynthOptions small(bool awkward, std::uint64_t seed = 7) {
  SynthOptions o;
  o.events_per_gesture = 600;
  o.seed = seed;
  o.awkward = awkward;
  return o;
}

// Walks the packet headers (not the decoder) to see what a file contains.
struct PacketCensus {
  int polarity = 0, other = 0, spare = 0, overflow = 0;
};
PacketCensus census(const std::vector<std::uint8_t>& file) {
  PacketCensus c;
  std::size_t pos = aedat_header_size(file.data(), file.size(), "x");
  while (pos < file.size()) {
    std::uint16_t type;
    std::uint32_t size, overflow, capacity, number;
    std::memcpy(&type, &file[pos], 2);
    std::memcpy(&size, &file[pos + 4], 4);
    std::memcpy(&overflow, &file[pos + 12], 4);
    std::memcpy(&capacity, &file[pos + 16], 4);
    std::memcpy(&number, &file[pos + 20], 4);
    (type == 1 ? c.polarity : c.other) += 1;
    c.spare += type == 1 && capacity > number;
    c.overflow += type == 1 && overflow > 0;
    pos += 28 + static_cast<std::size_t>(capacity) * size;
  }
  return c;
}

TEST(Synth, RecordingDecodesWithItsLabels) {
  const SynthRecording rec = synthesize_recording(2, 1, small(false));
  EXPECT_EQ(rec.stem, "user02_fluorescent_led");
  EventBuffer ev;
  const AedatStats stats = decode_aedat(rec.aedat.data(), rec.aedat.size(), rec.stem, kDvs128, ev);
  EXPECT_EQ(ev.size(), rec.events);
  EXPECT_EQ(stats.invalid_events, 0u);
  ASSERT_EQ(rec.rows.size(), 11u);
  std::set<int> classes;
  for (std::size_t i = 0; i < rec.rows.size(); ++i) {
    classes.insert(rec.rows[i].label);
    EXPECT_LT(rec.rows[i].t_start, rec.rows[i].t_end);
    if (i > 0) {
      EXPECT_LE(rec.rows[i - 1].t_end, rec.rows[i].t_start);
    }
    // Each gesture's window holds its 600 events (gaps hold the noise).
    std::size_t in = 0;
    for (std::size_t e = 0; e < ev.size(); ++e)
      in += rec.rows[i].t_start <= ev.t()[e] && ev.t()[e] < rec.rows[i].t_end;
    EXPECT_EQ(in, 600u);
  }
  EXPECT_EQ(classes.size(), 11u);
  EXPECT_GT(rec.events, 11u * 600);  // plus background noise between gestures
}

TEST(Synth, DependsOnlyOnTheSeed) {
  const SynthRecording a = synthesize_recording(1, 0, small(true, 5));
  const SynthRecording b = synthesize_recording(1, 0, small(true, 5));
  const SynthRecording c = synthesize_recording(1, 0, small(true, 6));
  const SynthRecording d = synthesize_recording(1, 1, small(true, 5));
  EXPECT_EQ(a.aedat, b.aedat);
  EXPECT_NE(a.aedat, c.aedat);
  EXPECT_NE(a.aedat, d.aedat);
}

TEST(Synth, AwkwardRecordingHasTheAwkwardParts) {
  const SynthRecording rec = synthesize_recording(3, 0, small(true));
  const PacketCensus c = census(rec.aedat);
  EXPECT_GT(c.polarity, 3);
  EXPECT_GT(c.other, 0);
  EXPECT_GT(c.spare, 0);
  EXPECT_GT(c.overflow, 0);
  EventBuffer ev;
  const AedatStats stats = decode_aedat(rec.aedat.data(), rec.aedat.size(), rec.stem, kDvs128, ev);
  EXPECT_EQ(ev.size(), rec.events);
  EXPECT_GT(rec.invalid_events, 0u);
  EXPECT_EQ(stats.invalid_events, rec.invalid_events);
  EXPECT_EQ(stats.skipped_packets, static_cast<std::uint64_t>(c.other));
  EXPECT_LT(ev.t()[0], std::uint64_t{1} << 31);
  EXPECT_GT(ev.t()[ev.size() - 1], std::uint64_t{1} << 31);
  // 12 rows: one class twice; row 1 overlaps row 2; the last ends after the last event.
  ASSERT_EQ(rec.rows.size(), 12u);
  EXPECT_EQ(rec.rows[0].label, rec.rows[11].label);
  EXPECT_GT(rec.rows[1].t_end, rec.rows[2].t_start);
  EXPECT_GT(rec.rows[11].t_end, ev.t()[ev.size() - 1]);
}

TEST(Synth, LabelsCsvParsesBack) {
  const SynthRecording rec = synthesize_recording(1, 0, small(true));
  const auto rows = parse_labels(labels_csv(rec.rows), "x.csv", 11);
  ASSERT_EQ(rows.size(), rec.rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].label, rec.rows[i].label);
    EXPECT_EQ(rows[i].t_start, rec.rows[i].t_start);
    EXPECT_EQ(rows[i].t_end, rec.rows[i].t_end);
  }
}

TEST(Synth, ValidatesOptions) {
  SynthOptions o;
  o.users = 1;
  EXPECT_THROW(validate(o), UsageError);
  o.users = 4;
  o.lightings = 6;
  EXPECT_THROW(validate(o), UsageError);
  o.lightings = 1;
  o.events_per_gesture = 0;
  EXPECT_THROW(validate(o), UsageError);
}

}  // namespace
}  // namespace plifkit
