// dvs-synth --dataset NMNIST | CIFAR10DVS | ASLDVS: synthetic datasets in
// the exact one-file-per-sample layouts of event_datasets.hpp, for tests and
// demos of their readers. The samples are class-specific moving bars
// (synth_sample.hpp) written in each dataset's own file format:
//
//   N-MNIST      .bin, 5 bytes per event (x, y, polarity bit and 23-bit
//                microseconds, big-endian), ~300 ms in three saccades;
//                train ids then test ids 1 + i * 10 + digit, 5 digits.
//   CIFAR10-DVS  .aedat AEDAT 2.0: '#' header lines ending in CRLF, then
//                big-endian uint32 (address, timestamp) pairs, the address
//                (y << 8) | ((127 - x) << 1) | (1 - polarity); ~1.2 s from
//                a large absolute start time; train i = 0..N-1, test
//                i = 900..900+M-1.
//   ASL-DVS      .mat MATLAB 5 (libmatio): ts (us), x, y, pol as N x 1
//                doubles, ~100 ms; train i = 1..N, test 3361..3361+M-1.
//
// N = samples_per_class train files per class, M = test_files_per_class(N).
// Everything depends only on the options (rng.hpp).
//
// With `awkward`, some files carry what real downloads have and a reader
// must survive:
//   N-MNIST      digit 0's first file has an overflow marker (y byte 240;
//                later stored times exclude the 2^13 us it adds), digit 1's
//                has 12 events, digit 2's is empty (0 bytes), digit 3's has
//                times in whole milliseconds (ties), and digit 9 has one
//                train file fewer (when N >= 2).
//   CIFAR10-DVS  airplane's first file has a special event (address bit 31
//                set), automobile's an extra '#' header line, bird's LF-only
//                header lines, cat's times in whole milliseconds (ties),
//                deer's 12 events.
//   ASL-DVS      a's first file stores pol uint8, x and y uint16, ts int32;
//                b's ts int64, x and y single; c's are 1 x N row vectors;
//                d's is zlib-compressed (no other file is); e lacks train
//                index 2 (when N >= 3), as after a partial download.
#pragma once

#include <cstdint>
#include <string>

#include "plifkit/datasets/registry.hpp"

namespace plifkit {

struct EventSynthOptions {
  int samples_per_class = 8;     // train files per class, 1..max_samples_per_class
  int events_per_sample = 3000;  // 1..10^7, about 5% of them noise
  std::uint64_t seed = 2020;
  bool awkward = false;
};

struct EventSynthSummary {
  int classes = 0;
  int train_files = 0;
  int test_files = 0;
  std::uint64_t events = 0;  // events written, markers and special events excluded
  std::uint64_t bytes = 0;   // of all sample files
};

// Test files per class for n train files per class: about n / 4, at least 1.
int test_files_per_class(int samples_per_class);

// The most train files per class whose file names the dataset's split rule
// still places right (and the real download's counts allow).
int max_samples_per_class(Dataset dataset);

// Throws SettingError naming the option (dataset, samples_per_class,
// events_per_sample): the image datasets and DVS128 Gesture (whose
// synthesizer is synthesize_dataset, synth.hpp) are refused.
void validate(Dataset dataset, const EventSynthOptions& options);

// Writes the dataset into out_dir (created when missing, with its class
// folders; files of the same names are replaced, each atomically).
// Throws SettingError, IoError.
EventSynthSummary synthesize_event_dataset(Dataset dataset, const std::string& out_dir,
                                           const EventSynthOptions& options);

}  // namespace plifkit
