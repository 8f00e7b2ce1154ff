// The aedat2frames stage: an event or image dataset's folder to one frames
// file (shared/specs/formats.md section 1).
//
// DVS128 Gesture: every row of every recording listed in trials_to_train.txt
// / trials_to_test.txt becomes one sample with exactly the events of its own
// window (windows are independent: overlaps and repeated classes are fine).
// N-MNIST, CIFAR10-DVS, ASL-DVS: every file is one sample holding all its
// events (sample_files.hpp for the layouts and splits). Samples are
// integrated as in integrate.hpp. Input files are decoded in parallel; the
// file is written in sample order (source byte order, then segment), so its
// bytes do not depend on the number of jobs. The output is written to a
// temporary file and renamed when complete, and is skipped when it was
// already made from the same inputs with the same parameters.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "plifkit/datasets/registry.hpp"
#include "plifkit/events/orientation.hpp"
#include "plifkit/frames/frame_params.hpp"

namespace plifkit::frames {

struct ConvertProgress {
  std::size_t recordings_done = 0;
  std::size_t recordings_total = 0;
  std::uint64_t events_done = 0;  // decoded so far
};

struct ConvertOptions {
  Dataset dataset = kDefaultDataset;  // an event dataset
  Orientation orientation = Orientation::reference;
  std::string source_dir;  // the dataset's folder, as given (stored as source_dir)
  std::string output;      // the frames file
  int T = 20;
  SplitBy split_by = SplitBy::number;
  Normalization normalization = Normalization::none;
  int jobs = 1;        // worker threads, >= 1
  bool force = false;  // rebuild even when the output is up to date
  // Called on the calling thread after each recording is written.
  std::function<void(const ConvertProgress&)> progress;
  // When set (e.g. by a SIGINT handler) the conversion stops, leaves no
  // output, and throws Interrupted.
  const std::atomic<bool>* cancel = nullptr;
};

struct SplitSummary {
  std::uint64_t samples = 0;
  std::vector<std::uint64_t> per_class;  // class_num entries, label order
  std::uint64_t events = 0;              // sum of event_count over the samples
  std::size_t recordings = 0;            // input files read
  // One-file-per-sample datasets: per class, files of the full dataset that
  // the folder lacks (a partial download); empty for DVS128 Gesture.
  std::vector<std::uint64_t> missing;
};

struct ConvertSummary {
  bool up_to_date = false;  // the output was already current; nothing was done
  std::vector<std::string> class_names;  // label order
  SplitSummary train;
  SplitSummary test;
  std::uint64_t events_decoded = 0;  // valid polarity events of all recordings
  std::uint64_t invalid_events = 0;  // DVS128 Gesture: skipped, valid mark 0
  std::uint64_t overflow_markers = 0;  // N-MNIST: timestamp-overflow records, not events
  std::uint64_t special_events = 0;    // CIFAR10-DVS: address bit 31 set, kept
  // Entries of the folder that are no sample (sample_files.hpp), relative.
  std::vector<std::string> ignored_files;
  std::uint64_t input_bytes = 0;     // size of all .aedat files read
  // split_by time: samples with time slices that hold no event (zero frames
  // here; the reference raises on them). Each is also a warning line.
  std::uint64_t samples_with_empty_slices = 0;
  // One line per sample the formulas treat specially: "user01_led row 3
  // (line 5): 12 events, fewer than T=20" (see integrate.hpp); the row is
  // the sample's segment. Sample order.
  std::vector<std::string> warnings;
  double seconds = 0;
};

// Runs the conversion for options.dataset. An image dataset (MNIST,
// FashionMNIST, CIFAR10; images/image_datasets.hpp for the layouts) becomes
// a file of the `images` layout, one sample per image, T, split_by,
// normalization and orientation unused; its summary counts input files as
// recordings and images as samples, no events, and its progress counts
// images. Throws UsageError for bad options, InputError / FormatError naming the file
// (and line or byte) for bad inputs, IoError, Interrupted; on any error no
// output file is left (an existing one is kept).
ConvertSummary convert(const ConvertOptions& options);

}  // namespace plifkit::frames
