#include "plifkit/events/synth.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "plifkit/core/atomic_output.hpp"
#include "plifkit/core/folders.hpp"
#include "plifkit/datasets/registry.hpp"
#include "plifkit/core/setting_error.hpp"
#include "plifkit/events/aedat_writer.hpp"
#include "plifkit/events/dvs_gesture.hpp"
#include "plifkit/events/gesture_motion.hpp"
#include "plifkit/events/synth_sample.hpp"

namespace plifkit {
namespace {

constexpr double kTwoPi = 6.28318530717958647692;
constexpr double kNoiseInGesture = 0.05;  // share of a gesture's events that are noise
// Background noise between gestures, per microsecond, relative to a gesture's
// mean event rate (events_per_gesture over ~1.2 s).
constexpr double kGapNoiseShare = 0.03;
constexpr std::uint32_t kPacketEvents = 4096;
constexpr double kInvalidShare = 0.01;  // awkward: events marked invalid

std::uint64_t recording_seed(std::uint64_t seed, int user, int lighting) {
  std::uint64_t state = seed ^ (static_cast<std::uint64_t>(user) << 32 | lighting);
  return splitmix64(state);
}

class RecordingBuilder {
 public:
  RecordingBuilder(const SynthOptions& options, Rng& rng) : options_(options), rng_(rng) {}

  void noise(std::uint64_t start, std::uint64_t span) {
    const double rate = kGapNoiseShare * options_.events_per_gesture / 1.2e6;
    const auto n = static_cast<std::uint64_t>(rate * static_cast<double>(span));
    for (std::uint64_t i = 0; i < n; ++i) push_noise(stratified_time(rng_, start, span, i, n));
  }

  void gesture(int class_index, std::uint64_t start, std::uint64_t span) {
    const GestureMotion motion(class_index, rng_);
    const auto n = static_cast<std::uint64_t>(options_.events_per_gesture);
    for (std::uint64_t i = 0; i < n; ++i) {
      const std::uint64_t t = stratified_time(rng_, start, span, i, n);
      if (rng_.chance(kNoiseInGesture)) {
        push_noise(t);
        continue;
      }
      const double u = static_cast<double>(t - start) / static_cast<double>(span);
      const int k = static_cast<int>(rng_.below(static_cast<std::uint64_t>(motion.blobs())));
      const Point c = motion.centre(k, u);
      const Point ahead = motion.centre(k, u + 1e-3);
      const double angle = rng_.uniform(0, kTwoPi);
      const double dx = portable_cos(angle);
      const double dy = portable_sin(angle);
      const double r = motion.radius() * rng_.uniform(0.8, 1.1);
      // The edge facing the motion brightens (ON), the one behind darkens.
      const bool on = dx * (ahead.x - c.x) + dy * (ahead.y - c.y) > 0;
      push(t, pixel(c.x + r * dx, dvs_gesture::kWidth), pixel(c.y + r * dy, dvs_gesture::kHeight),
           on ? 1 : 0);
    }
  }

  std::vector<AedatEvent>& events() { return events_; }
  std::uint64_t valid() const { return valid_; }
  std::uint64_t invalid() const { return invalid_; }

 private:
  static std::uint32_t pixel(double v, int size) {
    const double r = std::floor(v + 0.5);
    return static_cast<std::uint32_t>(std::min(std::max(r, 0.0), size - 1.0));
  }

  void push_noise(std::uint64_t t) {
    push(t, static_cast<std::uint32_t>(rng_.below(dvs_gesture::kWidth)),
         static_cast<std::uint32_t>(rng_.below(dvs_gesture::kHeight)),
         static_cast<std::uint32_t>(rng_.below(2)));
  }

  void push(std::uint64_t t, std::uint32_t x, std::uint32_t y, std::uint32_t p) {
    if (options_.awkward && rng_.chance(kInvalidShare)) {
      // An invalid-marked event next to this one; readers must drop it.
      events_.push_back({t, aedat_data(static_cast<std::uint32_t>(rng_.below(128)),
                                       static_cast<std::uint32_t>(rng_.below(128)), p, false)});
      ++invalid_;
    }
    events_.push_back({t, aedat_data(x, y, p, true)});
    ++valid_;
  }

  const SynthOptions& options_;
  Rng& rng_;
  std::vector<AedatEvent> events_;
  std::uint64_t valid_ = 0;
  std::uint64_t invalid_ = 0;
};

// Cuts the events into packets. Plain: full packets of 4096. Awkward:
// random capacities with unused slots, special and frame packets in
// between. Either way a packet never spans two values of t >> 31.
std::vector<std::uint8_t> packetize(const std::vector<AedatEvent>& events, bool awkward,
                                    Rng& rng) {
  AedatWriter writer({"#Format: RAW", "#Source 1: DVS128",
                      "#Start-Time: 2017-06-01 10:00:00 (TZ+0000)"});
  std::size_t i = 0;
  for (int packet = 0; i < events.size(); ++packet) {
    std::uint32_t capacity = kPacketEvents;
    std::uint32_t want = kPacketEvents;
    if (awkward) {
      capacity = 1 + static_cast<std::uint32_t>(rng.below(5000));
      want = capacity - static_cast<std::uint32_t>(rng.below(capacity / 4 + 1));
      if (want == 0) want = 1;
      if (packet % 7 == 3) writer.other_packet(0, 8, 4, 3, 0xFF);  // special events
      if (packet == 5) writer.other_packet(2, 1024, 2, 2, 0xAB);   // frame events
    }
    const std::uint64_t overflow = events[i].t >> 31;
    std::uint32_t n = 0;
    while (n < want && i + n < events.size() && (events[i + n].t >> 31) == overflow) ++n;
    writer.polarity_packet(&events[i], n, awkward ? capacity : n);
    i += n;
  }
  return writer.bytes();
}

void write_file(const std::string& path, const void* data, std::size_t size) {
  write_file_atomically(path, data, size);
}

void write_text(const std::string& path, const std::string& text) {
  write_file(path, text.data(), text.size());
}

std::string stem_of(int user, int lighting) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "user%02d_", user);
  return buf + std::string(dvs_gesture::kLightings[static_cast<std::size_t>(lighting)]);
}

int test_users(int users) { return (users + 3) / 5; }

}  // namespace

void validate(const SynthOptions& o) {
  if (o.users < 2 || o.users > 99) throw SettingError("users", "must be in 2..99 (train and test need one each)");
  if (o.lightings < 1 || o.lightings > static_cast<int>(dvs_gesture::kLightings.size()))
    throw SettingError("lightings", "must be in 1..5");
  if (o.events_per_gesture < 1) throw SettingError("events_per_gesture", "must be at least 1");
}

SynthRecording synthesize_recording(int user, int lighting, const SynthOptions& options) {
  validate(options);
  Rng rng(recording_seed(options.seed, user, lighting));
  SynthRecording rec;
  rec.stem = stem_of(user, lighting);

  std::vector<int> classes(static_cast<std::size_t>(row_of(Dataset::DVS128Gesture).class_num));
  for (std::size_t c = 0; c < classes.size(); ++c) classes[c] = static_cast<int>(c);
  for (std::size_t c = classes.size() - 1; c > 0; --c)
    std::swap(classes[c], classes[rng.below(c + 1)]);
  if (options.awkward) classes.push_back(classes[0]);  // a class performed twice

  // Awkward recordings start 2.5 s before 2^31 us, so the third gesture or
  // so crosses into eventTSOverflow 1.
  std::uint64_t t = options.awkward ? (std::uint64_t{1} << 31) - 2500000 + rng.below(200000)
                                    : 1000000 + rng.below(500000);
  RecordingBuilder builder(options, rng);
  builder.events().reserve((classes.size() + 1) * static_cast<std::size_t>(options.events_per_gesture) * 103 / 100);
  for (const int c : classes) {
    const std::uint64_t gap = 200000 + rng.below(300000);
    builder.noise(t, gap);
    t += gap;
    const std::uint64_t span = 900000 + rng.below(600000);
    builder.gesture(c, t, span);
    LabelRow row;
    row.label = static_cast<std::uint8_t>(c);
    row.t_start = t;
    row.t_end = t + span;
    rec.rows.push_back(row);
    t += span;
  }
  builder.noise(t, 300000);
  t += 300000;
  if (options.awkward) {
    rec.rows[1].t_end += 800000;           // reaches into the next gesture's window
    rec.rows.back().t_end = t + 1000000;  // reaches past the last event
  }
  rec.events = builder.valid();
  rec.invalid_events = builder.invalid();
  rec.aedat = packetize(builder.events(), options.awkward, rng);
  return rec;
}

std::string labels_csv(const std::vector<LabelRow>& rows) {
  std::string text = std::string(kLabelsHeader) + "\n";
  for (const auto& r : rows)
    text += std::to_string(r.label + 1) + "," + std::to_string(r.t_start) + "," +
            std::to_string(r.t_end) + "\n";
  return text;
}

SynthSummary synthesize_dataset(const std::string& out_dir, const SynthOptions& options) {
  validate(options);
  make_folder(out_dir);
  SynthSummary summary;
  std::vector<std::string> lists[2];  // train, test
  const int first_test_user = options.users - test_users(options.users) + 1;
  for (int user = 1; user <= options.users; ++user) {
    for (int lighting = 0; lighting < options.lightings; ++lighting) {
      const SynthRecording rec = synthesize_recording(user, lighting, options);
      write_file(dvs_gesture::join(out_dir, dvs_gesture::aedat_name(rec.stem)), rec.aedat.data(),
                 rec.aedat.size());
      write_text(dvs_gesture::join(out_dir, dvs_gesture::labels_name(rec.stem)),
                 labels_csv(rec.rows));
      const bool test = user >= first_test_user;
      lists[test ? 1 : 0].push_back(dvs_gesture::aedat_name(rec.stem));
      (test ? summary.test_recordings : summary.train_recordings) += 1;
      summary.gestures += rec.rows.size();
      summary.events += rec.events;
      summary.invalid_events += rec.invalid_events;
      summary.bytes += rec.aedat.size();
    }
  }
  const char* names[2] = {dvs_gesture::kTrainList, dvs_gesture::kTestList};
  for (int s = 0; s < 2; ++s) {
    std::string text;
    if (options.awkward) {
      // Unsorted, CRLF, a blank line: the converter must not care.
      std::reverse(lists[s].begin(), lists[s].end());
      for (std::size_t i = 0; i < lists[s].size(); ++i)
        text += lists[s][i] + (i == 0 ? "\r\n\r\n" : "\r\n");
    } else {
      for (const auto& name : lists[s]) text += name + "\n";
    }
    write_text(dvs_gesture::join(out_dir, names[s]), text);
  }
  return summary;
}

}  // namespace plifkit
