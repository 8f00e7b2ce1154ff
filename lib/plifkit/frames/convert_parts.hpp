// What the conversions of both kinds of layout share (convert.cpp for DVS128
// Gesture's recordings with label windows, convert_files.cpp for datasets of
// one file per sample): the frame parameters, the file header, the warning
// text of a sample, the split summaries, the up-to-date check, and the
// ordered, parallel write of encoded samples.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "plifkit/frames/convert.hpp"
#include "plifkit/frames/frames_reader.hpp"
#include "plifkit/frames/frames_writer.hpp"
#include "plifkit/frames/integrate.hpp"

namespace plifkit::frames::detail {

// The options' T, split and normalization on the dataset's sensor, checked.
FrameParams frame_params(const ConvertOptions& options);

FramesHeader make_header(const ConvertOptions& options);

// "<sample>: 12 events, fewer than T=20; ...", or "" when nothing is special
// (integrate.hpp lists the cases).
std::string describe(const SampleNotes& notes, const std::string& sample, int T);

SplitSummary summarize(const SplitMeta& meta, std::size_t inputs, std::size_t class_num);

// Refuses (UsageError) fewer than one job or no output file.
void check_output_options(const ConvertOptions& options);

// True (and summary.up_to_date set, its split summaries filled from the
// file) when options.output is a frames file made from the same inputs and
// parameters and options.force is not set. Anything unreadable is simply
// out of date.
bool up_to_date(const ConvertOptions& options, const std::string& fingerprint,
                std::size_t class_num, ConvertSummary& summary);

// Seconds since `start`, for the summaries.
double seconds_since(std::chrono::steady_clock::time_point start);

void check_cancel(const std::atomic<bool>* cancel);

// One input file's encoded samples, in segment order, and what decoding it
// counted.
struct EncodedInput {
  std::vector<std::vector<std::uint8_t>> chunks;
  std::vector<std::uint64_t> event_counts;
  std::vector<std::uint64_t> t_start, t_end;  // only where the events decide them
  std::vector<std::string> warnings;
  std::uint64_t events = 0;  // decoded
  std::uint64_t invalid_events = 0, overflow_markers = 0, special_events = 0;
  std::uint64_t samples_with_empty_slices = 0;
};

// Where an input's samples go: split 0 (train) or 1 (test), from index
// first_sample on.
struct InputSlot {
  int split = 0;
  std::size_t first_sample = 0;
};

// Encodes the inputs on options.jobs threads (encode(input, worker)) and
// writes their samples in input order, which makes the file's bytes
// independent of the number of threads. Fills meta's event_count (and
// t_start, t_end where the input returns them) and the summary's counts;
// reports progress and honours cancellation as options ask.
void encode_and_write(const std::vector<InputSlot>& inputs, const ConvertOptions& options,
                      const std::function<EncodedInput(std::size_t input, int worker)>& encode,
                      FramesWriter& writer, SplitMeta (&meta)[2], ConvertSummary& summary);

// The conversion of N-MNIST, CIFAR10-DVS and ASL-DVS (convert_files.cpp).
ConvertSummary convert_sample_files(const ConvertOptions& options, const FrameParams& params);

// The conversion of MNIST, FashionMNIST and CIFAR10 (convert_images.cpp).
ConvertSummary convert_images(const ConvertOptions& options);

}  // namespace plifkit::frames::detail
