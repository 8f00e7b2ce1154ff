// Which recordings a DVS128 Gesture folder holds, per split, with the size
// and modification time of every input file (for the output cache).
#pragma once

#include <string>
#include <vector>

#include "plifkit/core/file_stamp.hpp"

namespace plifkit {

struct RecordingFiles {
  std::string stem;  // "user01_fluorescent"
  std::string aedat_path;
  std::string labels_path;
  FileStamp aedat;
  FileStamp labels;
};

struct SplitListing {
  std::string name;       // "train" or "test"
  std::string list_path;  // DIR/trials_to_<name>.txt
  FileStamp list;
  std::vector<RecordingFiles> recordings;  // sorted by stem, byte order
};

struct DatasetListing {
  SplitListing train;
  SplitListing test;
};

// Reads DIR/trials_to_train.txt and DIR/trials_to_test.txt and checks that
// every listed recording and its labels CSV exist. Throws InputError naming
// the file (and list line): a missing folder, list or listed file, an empty
// list, a recording listed in both splits; IoError when a file cannot be read.
DatasetListing list_dataset(const std::string& dir);

}  // namespace plifkit
