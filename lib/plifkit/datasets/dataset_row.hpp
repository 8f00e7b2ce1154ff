// One row of the dataset registry: everything the stages know of a dataset,
// as data. The layers that act on it (events, images, frames, model, nn)
// dispatch on the kinds below with exhaustive switches, so a new kind of
// file or network is named by the compiler everywhere it must be handled,
// and a new dataset of an existing kind is one new row.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "plifkit/datasets/dataset.hpp"

namespace plifkit {

enum class InputKind { events, images };

template <>
struct Choices<InputKind> {
  static constexpr std::array<Choice<InputKind>, 2> all{
      {{InputKind::events, "events"}, {InputKind::images, "images"}}};
};

// How a dataset is laid out on disk.
enum class Storage {
  recordings,       // DVS128 Gesture: AEDAT 3.1 recordings, label CSVs, trial lists
  file_per_sample,  // N-MNIST, CIFAR10-DVS, ASL-DVS: one event file per sample
  idx_images,       // MNIST, Fashion-MNIST: IDX images and labels, plain or gzip
  cifar_batches,    // CIFAR-10: the binary or the pickled batches
};

// The decoder of the event files (events/*_reader.hpp); none for images.
enum class EventCodec { aedat31, nmnist_bin, aedat20, asl_mat, none };

// Names for `aedat2frames --list-datasets` (scripts key on them).
template <>
struct Choices<Storage> {
  static constexpr std::array<Choice<Storage>, 4> all{{{Storage::recordings, "recordings"},
                                                       {Storage::file_per_sample, "file_per_sample"},
                                                       {Storage::idx_images, "idx_images"},
                                                       {Storage::cifar_batches, "cifar_batches"}}};
};
template <>
struct Choices<EventCodec> {
  static constexpr std::array<Choice<EventCodec>, 5> all{{{EventCodec::aedat31, "aedat31"},
                                                          {EventCodec::nmnist_bin, "nmnist_bin"},
                                                          {EventCodec::aedat20, "aedat20"},
                                                          {EventCodec::asl_mat, "asl_mat"},
                                                          {EventCodec::none, "none"}}};
};

// The reference's network for the dataset (model/layout.hpp).
enum class NetworkFamily { neuromorphic, mnist, cifar10 };

// The reference's training augmentation of an image dataset (nn/transforms).
enum class Augmentation { none, mnist_affine, crop_and_flip };

// Where the files of a file_per_sample dataset are, and which split each is
// in: DIR/[split dir/]<class>/<file_prefix>[<class>_]<index><suffix>.
struct FileLayout {
  std::vector<std::string> split_dirs;  // {"Train", "Test"}, or none: the index decides
  std::string file_prefix;              // "cifar10_" or ""
  bool class_in_name = false;           // "<class>_" follows the prefix
  std::string suffix;                   // ".bin", ".aedat", ".mat"
  int index_digits = 0;                 // zero padding of the index as distributed (0: none)
  // Without split dirs: indices first_index .. first_index + files_per_class - 1
  // per class, those below train_below in the train split.
  long first_index = 0;
  long files_per_class = 0;
  long train_below = 0;
  // With split dirs: the files per class of a full download (only counts known).
  std::vector<int> train_per_class, test_per_class;
};

// An image dataset's per-channel mean and std (of pixels scaled to [0, 1]),
// as the reference's Normalize transform has them.
struct ImageStatistics {
  std::vector<double> mean, std;
};

struct DatasetRow {
  Dataset id = kDefaultDataset;
  const char* title = "";  // as the dataset's authors write it: "N-MNIST", "CIFAR10-DVS"
  InputKind kind = InputKind::events;
  int64_t channels = 0;  // of one input frame or image
  int64_t height = 0, width = 0;
  int64_t class_num = 0;                 // = class_names.size()
  std::vector<std::string> class_names;  // in label order
  Storage storage = Storage::recordings;
  EventCodec codec = EventCodec::none;
  FileLayout files;  // file_per_sample only
  NetworkFamily network = NetworkFamily::neuromorphic;
  ImageStatistics statistics;  // images only
  Augmentation augmentation = Augmentation::none;
  // The reference's commands for the dataset (the Makefile's defaults).
  // dvs-synth's images: classes as rectangles on a 5 x 2 grid, or on the
  // transposed 2 x 5 grid (so that two image datasets of one size differ).
  bool synthetic_grid_transposed = false;
  int reference_T = 0;
  int reference_number_layer = 0;  // 0: the network's structure is fixed
  const char* description = "";    // one line for --list-datasets
};

}  // namespace plifkit
