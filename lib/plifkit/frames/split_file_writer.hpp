// What both frames-file writers (FramesWriter for event frames,
// ImagesWriter for images) share: the file with its format stamp and the
// root attributes every frames file has, the /train and /test groups with
// one chunked sample dataset each, the metadata every sample has (labels,
// source, segment), and closing. Used from one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "plifkit/frames/frames_reader.hpp"
#include "plifkit/h5/h5.hpp"

namespace plifkit::frames {

// The sample dataset of each split: its name, element type, the shape of
// one sample, and the storage options for a split of N samples.
struct SampleDataset {
  const char* name;
  hid_t type;
  h5::Dims sample_shape;
  std::function<h5::DatasetOptions(std::size_t samples)> options;
};

class SplitFileWriter {
 public:
  // Creates `path` (truncating): format stamp, dataset, the kind's own root
  // attributes (written by kind_attributes), height, width, class_num,
  // class_names, source_dir, input_fingerprint; then both splits' groups and
  // sample datasets. Throws IoError / FormatError, UsageError for an empty
  // split.
  SplitFileWriter(const std::string& path, const FramesHeader& header,
                  const std::function<void(hid_t root)>& kind_attributes, const SampleDataset& samples,
                  std::size_t train_samples, std::size_t test_samples,
                  const std::string& input_fingerprint);

  // The sample dataset and size of "train" or "test" (else UsageError).
  hid_t samples_of(const std::string& split) const;
  std::size_t size_of(const std::string& split) const;
  // Writes labels, source and segment of a split, checking that these and
  // `also_sized` (the kind's own columns) have N entries; returns its group.
  hid_t write_common_meta(const std::string& split, const SplitMeta& meta,
                          const std::vector<std::size_t>& also_sized);
  // Flushes and closes the file. Throws IoError (e.g. disk full).
  void close();

 private:
  struct Split {
    h5::Handle group;
    h5::Handle samples;
    std::size_t size = 0;
  };
  const Split& split(const std::string& name) const;

  std::string path_;
  h5::Handle file_;
  Split train_;
  Split test_;
};

}  // namespace plifkit::frames
