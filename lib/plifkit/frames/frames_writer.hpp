// Writes a frames file (shared/specs/formats.md section 1): the root
// attributes, /train and /test with `frames` [N, T, 2, H, W] (uint16 counts
// for normalization "none", else float32; one sample per chunk, shuffle +
// deflate) and the per-sample metadata.
//
// Samples arrive already compressed by encode_chunk (chunk_codec.hpp), so
// the expensive part runs in worker threads and this class, used from one
// thread, only stores bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "plifkit/frames/frames_reader.hpp"
#include "plifkit/frames/split_file_writer.hpp"

namespace plifkit::frames {

class FramesWriter {
 public:
  // Creates `path` (truncating) with the root attributes of `header` plus
  // input_fingerprint, and empty frames datasets of train_samples and
  // test_samples samples (each >= 1). Throws IoError / FormatError.
  FramesWriter(const std::string& path, const FramesHeader& header, std::size_t train_samples,
               std::size_t test_samples, const std::string& input_fingerprint);

  // Stores sample `index` of `split` ("train" or "test"): a chunk encoded by
  // encode_chunk from sample_elements() values of the stored type.
  void write_sample(const std::string& split, std::size_t index,
                    const std::vector<std::uint8_t>& chunk);
  // Stores the per-sample metadata of a split; meta.size() must equal its N.
  void write_meta(const std::string& split, const SplitMeta& meta);
  // Flushes and closes the file. Throws IoError (e.g. disk full).
  void close();

 private:
  SplitFileWriter file_;
};

}  // namespace plifkit::frames
