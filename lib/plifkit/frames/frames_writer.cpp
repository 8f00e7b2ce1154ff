#include "plifkit/frames/frames_writer.hpp"

#include "plifkit/core/error.hpp"
#include "plifkit/frames/chunk_codec.hpp"
#include "plifkit/h5/names.hpp"

namespace plifkit::frames {

namespace n = names::frames;

namespace {

SampleDataset frames_dataset(const FramesHeader& header) {
  const bool counts = header.normalization == Normalization::none;
  const auto T = static_cast<hsize_t>(header.T);
  const auto H = static_cast<hsize_t>(header.height);
  const auto W = static_cast<hsize_t>(header.width);
  return {n::kFrames, counts ? H5T_STD_U16LE : H5T_IEEE_F32LE, h5::Dims{T, 2, H, W},
          [=](std::size_t) {
            h5::DatasetOptions options;
            options.chunk = {1, T, 2, H, W};
            options.shuffle = true;
            options.deflate_level = kFramesDeflateLevel;
            return options;
          }};
}

}  // namespace

FramesWriter::FramesWriter(const std::string& path, const FramesHeader& header,
                           std::size_t train_samples, std::size_t test_samples,
                           const std::string& input_fingerprint)
    : file_(path, header,
            [&](hid_t root) {
              h5::write_attr<std::int32_t>(root, n::kT, header.T);
              h5::write_attr_string(root, n::kSplitBy, name_of(header.split_by));
              h5::write_attr_string(root, n::kNormalization, name_of(header.normalization));
              h5::write_attr_string(root, n::kOrientation, name_of_choice(header.orientation));
            },
            frames_dataset(header), train_samples, test_samples, input_fingerprint) {}

void FramesWriter::write_sample(const std::string& split, std::size_t index,
                                const std::vector<std::uint8_t>& chunk) {
  if (index >= file_.size_of(split))
    throw UsageError("sample " + std::to_string(index) + " outside split '" + split + "'");
  h5::write_chunk(file_.samples_of(split), h5::Dims{index, 0, 0, 0, 0}, chunk.data(), chunk.size());
}

void FramesWriter::write_meta(const std::string& split, const SplitMeta& meta) {
  const hid_t g = file_.write_common_meta(
      split, meta, {meta.t_start.size(), meta.t_end.size(), meta.event_count.size()});
  h5::write_vector(g, n::kTStart, meta.t_start);
  h5::write_vector(g, n::kTEnd, meta.t_end);
  h5::write_vector(g, n::kEventCount, meta.event_count);
}

void FramesWriter::close() { file_.close(); }

}  // namespace plifkit::frames
