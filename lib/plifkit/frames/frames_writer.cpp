#include "plifkit/frames/frames_writer.hpp"

#include <tuple>

#include "plifkit/core/error.hpp"
#include "plifkit/frames/chunk_codec.hpp"
#include "plifkit/h5/names.hpp"
#include "plifkit/h5/stage_file.hpp"

namespace plifkit::frames {

namespace n = names::frames;

FramesWriter::FramesWriter(const std::string& path, const FramesHeader& header,
                           std::size_t train_samples, std::size_t test_samples,
                           const std::string& input_fingerprint)
    : path_(path), file_(h5::create_file(path)) {
  const hid_t root = file_.id();
  h5::write_format_stamp(root, n::kFormatName, n::kVersion);
  h5::write_attr_string(root, n::kDataset, name_of_choice(header.dataset));
  h5::write_attr<std::int32_t>(root, n::kT, header.T);
  h5::write_attr_string(root, n::kSplitBy, name_of(header.split_by));
  h5::write_attr_string(root, n::kNormalization, name_of(header.normalization));
  h5::write_attr<std::int32_t>(root, n::kHeight, header.height);
  h5::write_attr<std::int32_t>(root, n::kWidth, header.width);
  h5::write_attr<std::int32_t>(root, n::kClassNum, header.class_num);
  h5::write_attr_strings(root, n::kClassNames, header.class_names);
  h5::write_attr_string(root, n::kSourceDir, header.source_dir);
  h5::write_attr_string(root, n::kOrientation, name_of_choice(header.orientation));
  h5::write_attr_string(root, n::kInputFingerprint, input_fingerprint);

  const bool counts = header.normalization == Normalization::none;
  const hid_t type = counts ? H5T_STD_U16LE : H5T_IEEE_F32LE;
  const auto T = static_cast<hsize_t>(header.T);
  const auto H = static_cast<hsize_t>(header.height);
  const auto W = static_cast<hsize_t>(header.width);
  h5::DatasetOptions options;
  options.chunk = {1, T, 2, H, W};
  options.shuffle = true;
  options.deflate_level = kFramesDeflateLevel;
  for (auto [s, name, samples] : {std::tuple{&train_, n::kTrain, train_samples},
                                  std::tuple{&test_, n::kTest, test_samples}}) {
    if (samples == 0)
      throw UsageError("frames file " + quoted(path) + ": split '" + name + "' has no samples");
    s->samples = samples;
    s->group = h5::create_group(root, name);
    s->frames = h5::create_dataset(s->group.id(), n::kFrames, type,
                                   h5::Dims{samples, T, 2, H, W}, options);
  }
}

FramesWriter::Split& FramesWriter::split(const std::string& name) {
  if (name == n::kTrain) return train_;
  if (name == n::kTest) return test_;
  throw UsageError("unknown split '" + name + "' (expected train or test)");
}

void FramesWriter::write_sample(const std::string& split_name, std::size_t index,
                                const std::vector<std::uint8_t>& chunk) {
  Split& s = split(split_name);
  if (index >= s.samples)
    throw UsageError("sample " + std::to_string(index) + " outside split '" + split_name + "'");
  h5::write_chunk(s.frames.id(), h5::Dims{index, 0, 0, 0, 0}, chunk.data(), chunk.size());
}

void FramesWriter::write_meta(const std::string& split_name, const SplitMeta& meta) {
  Split& s = split(split_name);
  if (meta.size() != s.samples || meta.source.size() != s.samples ||
      meta.segment.size() != s.samples || meta.t_start.size() != s.samples ||
      meta.t_end.size() != s.samples || meta.event_count.size() != s.samples)
    throw UsageError("metadata of split '" + split_name + "' does not have " +
                     std::to_string(s.samples) + " entries");
  const hid_t g = s.group.id();
  h5::write_vector(g, n::kLabels, meta.labels);
  h5::write_strings(g, n::kSource, meta.source);
  h5::write_vector(g, n::kSegment, meta.segment);
  h5::write_vector(g, n::kTStart, meta.t_start);
  h5::write_vector(g, n::kTEnd, meta.t_end);
  h5::write_vector(g, n::kEventCount, meta.event_count);
}

void FramesWriter::close() {
  for (Split* s : {&train_, &test_}) {
    s->frames.reset();
    s->group.reset();
  }
  h5::close_file(file_, path_);
}

}  // namespace plifkit::frames
