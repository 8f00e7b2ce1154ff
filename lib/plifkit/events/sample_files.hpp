// Which files a one-file-per-sample event dataset (N-MNIST, CIFAR10-DVS,
// ASL-DVS; event_datasets.hpp) folder holds, per split and class, with the
// size and modification time of each (for the output cache), and what a
// full download would hold that is absent.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "plifkit/datasets/registry.hpp"
#include "plifkit/core/file_stamp.hpp"

namespace plifkit {

struct SampleFile {
  std::string path;    // as opened: DIR/Train/3/00012.bin
  std::string source;  // relative to DIR, '/'-separated: Train/3/00012.bin
  std::uint8_t label = 0;
  long number = 0;     // the index in the file name: 12 for 00012.bin
  FileStamp stamp;
};

struct SampleSplit {
  std::string name;                    // "train" or "test"
  // Sorted by label, then by the number in the file name: the reference's
  // order (its datasets list a class's files by index, cifar10_<class>_0,
  // _1, ..., _899, not in byte order _0, _1, _10, _100), on which its
  // train/validation split takes the first part of each class.
  std::vector<SampleFile> files;
  std::vector<std::uint64_t> missing;  // per class: files of the full dataset not present
};

struct SampleListing {
  SampleSplit train;
  SampleSplit test;
  // Entries that are no sample of the layout (other names, hidden files,
  // macOS's __MACOSX folders), relative to DIR; reported, never read.
  std::vector<std::string> ignored;
};

// Lists DIR for `dataset` (one of the three above). Throws InputError naming
// the folder: DIR missing, a split folder missing (N-MNIST), a folder that is
// no class of the dataset, no sample at all in a split; UsageError for a
// dataset of another layout.
SampleListing list_sample_files(Dataset dataset, const std::string& dir);

}  // namespace plifkit
