// CIFAR10-DVS files (synth_event_datasets.hpp): AEDAT 2.0 as jAER wrote
// them, a text header then big-endian (address, timestamp) pairs.
#include <string>
#include <vector>

#include "plifkit/core/atomic_output.hpp"
#include "plifkit/events/dvs_gesture.hpp"
#include "plifkit/events/event_datasets.hpp"
#include "plifkit/datasets/file_layout.hpp"
#include "plifkit/events/synth_formats.hpp"
#include "plifkit/events/synth_sample.hpp"

namespace plifkit {
namespace {

namespace cd = event_datasets::cifar10dvs;
using dvs_gesture::join;

constexpr std::uint64_t kDurationUs = 1200000;
constexpr double kLoopPixels = 6;
// Real files carry absolute times; any start below this leaves room for a
// sample before the 32-bit timestamp wraps.
constexpr std::uint64_t kEarliestStartUs = 100000000;
constexpr std::uint64_t kStartSpreadUs = 3000000000;
constexpr int kFewEvents = 12;
constexpr std::uint64_t kTieStepUs = 1000;
// An address with bit 31 set is a special (non-polarity) event in jAER.
constexpr std::uint32_t kSpecialAddress = 0x80000000u;

enum class Oddity { none, special, extra_line, lf_only, ties, few };

// Awkward mode: the first train file of classes 0..4 (synth_event_datasets.hpp).
Oddity oddity_of(const EventSynthOptions& o, int split, int class_index, int i) {
  if (!o.awkward || split != 0 || i != 0) return Oddity::none;
  switch (class_index) {
    case 0: return Oddity::special;
    case 1: return Oddity::extra_line;
    case 2: return Oddity::lf_only;
    case 3: return Oddity::ties;
    case 4: return Oddity::few;
    default: return Oddity::none;
  }
}

void put_header(std::vector<std::uint8_t>& out, Oddity odd) {
  const char* eol = odd == Oddity::lf_only ? "\n" : "\r\n";
  std::string text;
  auto line = [&](const char* s) { text += std::string(s) + eol; };
  line("#!AER-DAT2.0");
  line("# This is a raw AE data file - do not edit");
  line("# Data format is int32 address, int32 timestamp (8 bytes total), repeated for each event");
  line("# Timestamps tick is 1 us");
  if (odd == Oddity::extra_line) line("# AEChip: ch.unizh.ini.jaer.chip.retina.DVS128");
  // Fixed, so that the bytes depend on the options only.
  line("# created Mon Apr 10 10:00:00 CST 2017");
  out.assign(text.begin(), text.end());
}

void put_be32(std::vector<std::uint8_t>& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

// The inverse of the reference decoder: x = 127 - ((a & 0xFE) >> 1),
// y = (a & 0x7F00) >> 8, polarity = 1 - (a & 1).
std::uint32_t address(const SynthEvent& e) {
  return static_cast<std::uint32_t>(e.y) << 8 | static_cast<std::uint32_t>(cd::kWidth - 1 - e.x) << 1 |
         static_cast<std::uint32_t>(1 - e.p);
}

void encode(const std::vector<SynthEvent>& events, Oddity odd, std::vector<std::uint8_t>& out) {
  put_header(out, odd);
  const std::size_t special_at = odd == Oddity::special ? events.size() / 2 : events.size() + 1;
  for (std::size_t i = 0; i <= events.size(); ++i) {
    if (i == special_at) {
      // Dated like its neighbours, so times stay non-decreasing.
      const std::uint64_t t = i < events.size() ? events[i].t : i > 0 ? events[i - 1].t : 0;
      put_be32(out, kSpecialAddress);
      put_be32(out, static_cast<std::uint32_t>(t));
    }
    if (i == events.size()) break;
    put_be32(out, address(events[i]));
    put_be32(out, static_cast<std::uint32_t>(events[i].t));
  }
}

}  // namespace

EventSynthSummary synthesize_cifar10dvs(const DatasetRow& row, const std::string& out_dir,
                                        const EventSynthOptions& o) {
  const int classes = static_cast<int>(row.class_num);
  EventSynthSummary summary;
  summary.classes = classes;
  std::vector<SynthEvent> events;
  std::vector<std::uint8_t> bytes;
  events.reserve(static_cast<std::size_t>(o.events_per_sample));
  bytes.reserve(256 + (static_cast<std::size_t>(o.events_per_sample) + 1) * 8);
  for (int c = 0; c < classes; ++c) {
    const std::string& name = row.class_names[static_cast<std::size_t>(c)];
    const std::string dir = join(out_dir, name);
    make_folder(dir);
    for (int split = 0; split < 2; ++split) {
      // Train files from the first index, test files from the first index the
      // split rule (i < train_below) puts in the test split.
      const long first = split == 0 ? row.files.first_index : row.files.train_below;
      const int files = split == 0 ? o.samples_per_class : test_files_per_class(o.samples_per_class);
      for (int i = 0; i < files; ++i) {
        const Oddity odd = oddity_of(o, split, c, i);
        Rng rng(file_seed(o.seed, row.id, split, c, i));
        SampleSpec spec;
        spec.width = static_cast<int>(row.width);
        spec.height = static_cast<int>(row.height);
        spec.class_index = c;
        spec.class_num = classes;
        spec.start_us = kEarliestStartUs + rng.below(kStartSpreadUs);
        spec.duration_us = kDurationUs;
        spec.motion = SynthMotion::loop;
        spec.amplitude = kLoopPixels;
        spec.events = odd == Oddity::few ? kFewEvents : o.events_per_sample;
        synthesize_sample(spec, rng, events);
        if (odd == Oddity::ties)
          for (auto& e : events) e.t -= e.t % kTieStepUs;
        encode(events, odd, bytes);
        const std::string file = sample_file_name(row.files, name, first + i);
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
