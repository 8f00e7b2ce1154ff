// N-MNIST files (synth_event_datasets.hpp): 5 bytes per event, the split a
// folder, ids shared by all digits of a split.
#include <vector>

#include "plifkit/core/atomic_output.hpp"
#include "plifkit/events/dvs_gesture.hpp"
#include "plifkit/events/event_datasets.hpp"
#include "plifkit/datasets/file_layout.hpp"
#include "plifkit/events/synth_formats.hpp"
#include "plifkit/events/synth_sample.hpp"

namespace plifkit {
namespace {

namespace nm = event_datasets::nmnist;
using dvs_gesture::join;

constexpr std::uint64_t kSaccadeUs = 100000;  // three per sample, as the sensor moved
constexpr double kSaccadePixels = 2.5;
constexpr int kFewEvents = 12;
constexpr std::uint64_t kTieStepUs = 1000;

enum class Oddity { none, overflow, few, empty, ties };

// Awkward mode: the first train file of digits 0..3 (synth_event_datasets.hpp).
Oddity oddity_of(const EventSynthOptions& o, int split, int digit, int i) {
  if (!o.awkward || split != 0 || i != 0) return Oddity::none;
  switch (digit) {
    case 0: return Oddity::overflow;
    case 1: return Oddity::few;
    case 2: return Oddity::empty;
    case 3: return Oddity::ties;
    default: return Oddity::none;
  }
}

void put_event(std::vector<std::uint8_t>& out, std::uint8_t x, std::uint8_t y, std::uint8_t p,
               std::uint64_t t) {
  const auto t23 = static_cast<std::uint32_t>(t) & 0x7FFFFFu;
  out.push_back(x);
  out.push_back(y);
  out.push_back(static_cast<std::uint8_t>(p << 7 | t23 >> 16));
  out.push_back(static_cast<std::uint8_t>(t23 >> 8));
  out.push_back(static_cast<std::uint8_t>(t23));
}

// With an overflow marker, events from the first one at or past half the
// sample whose time allows it are stored 2^13 us early: a reader adds it back.
void encode(const std::vector<SynthEvent>& events, bool overflow, std::vector<std::uint8_t>& out) {
  out.clear();
  std::size_t marker = events.size() + 1;  // none
  if (overflow) {
    marker = events.size() / 2;
    while (marker < events.size() && events[marker].t < nm::kOverflowIncrement) ++marker;
  }
  std::uint64_t shift = 0;
  for (std::size_t i = 0; i <= events.size(); ++i) {
    if (i == marker) {
      shift = nm::kOverflowIncrement;
      // Its own time is the next event's as stored, so times read as
      // non-decreasing whether a reader dates the marker or not.
      const std::uint64_t t = i < events.size() ? events[i].t : events.empty() ? 0 : events[i - 1].t;
      put_event(out, 0, nm::kOverflowY, 0, t >= shift ? t - shift : 0);
    }
    if (i == events.size()) break;
    const SynthEvent& e = events[i];
    put_event(out, static_cast<std::uint8_t>(e.x), static_cast<std::uint8_t>(e.y), e.p, e.t - shift);
  }
}

}  // namespace

EventSynthSummary synthesize_nmnist(const DatasetRow& row, const std::string& out_dir,
                                    const EventSynthOptions& o) {
  const int digits = static_cast<int>(row.class_num);
  EventSynthSummary summary;
  summary.classes = digits;
  std::vector<SynthEvent> events;
  std::vector<std::uint8_t> bytes;
  events.reserve(static_cast<std::size_t>(o.events_per_sample));
  bytes.reserve((static_cast<std::size_t>(o.events_per_sample) + 1) * nm::kBytesPerEvent);
  for (int split = 0; split < 2; ++split) {
    const std::string split_dir = join(out_dir, row.files.split_dirs.at(static_cast<std::size_t>(split)));
    make_folder(split_dir);
    for (int digit = 0; digit < digits; ++digit) {
      const std::string& digit_name = row.class_names[static_cast<std::size_t>(digit)];
      const std::string dir = join(split_dir, digit_name);
      make_folder(dir);
      int files = split == 0 ? o.samples_per_class : test_files_per_class(o.samples_per_class);
      if (o.awkward && split == 0 && digit == digits - 1 && files >= 2) --files;  // one file fewer
      for (int i = 0; i < files; ++i) {
        const Oddity odd = oddity_of(o, split, digit, i);
        Rng rng(file_seed(o.seed, row.id, split, digit, i));
        SampleSpec spec;
        spec.width = static_cast<int>(row.width);
        spec.height = static_cast<int>(row.height);
        spec.class_index = digit;
        spec.class_num = digits;
        spec.start_us = rng.below(1000);
        spec.duration_us = 3 * kSaccadeUs;
        spec.motion = SynthMotion::saccades;
        spec.amplitude = kSaccadePixels;
        spec.events = odd == Oddity::empty ? 0 : odd == Oddity::few ? kFewEvents : o.events_per_sample;
        synthesize_sample(spec, rng, events);
        if (odd == Oddity::ties)
          for (auto& e : events) e.t -= e.t % kTieStepUs;
        encode(events, odd == Oddity::overflow, bytes);
        // MNIST's own ids are a shuffle of the digits; these interleave them.
        const std::string file = sample_file_name(row.files, digit_name, 1 + i * digits + digit);
        write_file_atomically(join(dir, file), bytes.data(), bytes.size());
        (split == 0 ? summary.train_files : summary.test_files) += 1;
        summary.events += events.size();
        summary.bytes += bytes.size();
      }
    }
  }
  return summary;
}

}  // namespace plifkit
