// dvs-synth: a synthetic dataset in the exact DVS128 Gesture layout (see
// dvs_gesture.hpp), for tests, the demo and the benchmark.
//
// Each recording userNN_<lighting> is a random order of the 11 gestures with
// gaps between them; a gesture is a class-specific motion (gesture_motion.hpp)
// whose moving edges emit events, ON at the leading edge and OFF at the
// trailing one, plus uniform background noise in and between gestures. The
// labels CSV has one row per gesture, its window being the gesture's span.
// Users 1..U are split like the real data: the last (U + 3) / 5 users are the
// test split. Everything depends only on the options (rng.hpp).
//
// With `awkward`, recordings also carry what real files have and a reader
// must survive: packets of varying capacity with unused slots, packets of
// other event types (special, frame), times crossing 2^31 (non-zero
// eventTSOverflow), invalid-marked events, a class repeated in one
// recording, overlapping windows, a window reaching past the recording's
// end, and trials lists with CRLF, blank lines and unsorted names.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "plifkit/events/labels.hpp"

namespace plifkit {

struct SynthOptions {
  int users = 4;                   // 2..99
  int lightings = 2;               // 1..5 (fluorescent, fluorescent_led, lab, led, natural)
  int events_per_gesture = 5000;   // >= 1
  std::uint64_t seed = 2020;
  bool awkward = false;
};

// One recording in memory.
struct SynthRecording {
  std::string stem;                  // "user01_fluorescent"
  std::vector<std::uint8_t> aedat;   // the whole .aedat file
  std::vector<LabelRow> rows;        // its labels, in CSV order
  std::uint64_t events = 0;          // valid polarity events
  std::uint64_t invalid_events = 0;  // invalid-marked ones (awkward only)
};

struct SynthSummary {
  int train_recordings = 0;
  int test_recordings = 0;
  std::uint64_t gestures = 0;  // label rows
  std::uint64_t events = 0;
  std::uint64_t invalid_events = 0;
  std::uint64_t bytes = 0;     // of all .aedat files
};

// Throws UsageError naming the option outside its range.
void validate(const SynthOptions& options);

// user 1..users, lighting 0..lightings-1.
SynthRecording synthesize_recording(int user, int lighting, const SynthOptions& options);

// The labels CSV text of a recording's rows.
std::string labels_csv(const std::vector<LabelRow>& rows);

// Writes the whole dataset into out_dir (created when missing; files of the
// same names are replaced, each atomically). Throws UsageError, IoError.
SynthSummary synthesize_dataset(const std::string& out_dir, const SynthOptions& options);

}  // namespace plifkit
