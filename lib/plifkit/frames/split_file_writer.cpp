#include "plifkit/frames/split_file_writer.hpp"

#include <tuple>

#include "plifkit/core/error.hpp"
#include "plifkit/h5/names.hpp"
#include "plifkit/h5/stage_file.hpp"

namespace plifkit::frames {

namespace n = names::frames;

SplitFileWriter::SplitFileWriter(const std::string& path, const FramesHeader& header,
                                 const std::function<void(hid_t root)>& kind_attributes,
                                 const SampleDataset& samples, std::size_t train_samples,
                                 std::size_t test_samples, const std::string& input_fingerprint)
    : path_(path), file_(h5::create_file(path)) {
  const hid_t root = file_.id();
  h5::write_format_stamp(root, n::kFormatName, n::kVersion);
  h5::write_attr_string(root, n::kDataset, name_of_choice(header.dataset));
  kind_attributes(root);
  h5::write_attr<std::int32_t>(root, n::kHeight, header.height);
  h5::write_attr<std::int32_t>(root, n::kWidth, header.width);
  h5::write_attr<std::int32_t>(root, n::kClassNum, header.class_num);
  h5::write_attr_strings(root, n::kClassNames, header.class_names);
  h5::write_attr_string(root, n::kSourceDir, header.source_dir);
  h5::write_attr_string(root, n::kInputFingerprint, input_fingerprint);
  for (auto [s, name, size] : {std::tuple{&train_, n::kTrain, train_samples},
                               std::tuple{&test_, n::kTest, test_samples}}) {
    if (size == 0)
      throw UsageError("frames file " + quoted(path) + ": split '" + name + "' has no samples");
    h5::Dims dims = {size};
    dims.insert(dims.end(), samples.sample_shape.begin(), samples.sample_shape.end());
    s->size = size;
    s->group = h5::create_group(root, name);
    s->samples = h5::create_dataset(s->group.id(), samples.name, samples.type, dims, samples.options(size));
  }
}

const SplitFileWriter::Split& SplitFileWriter::split(const std::string& name) const {
  if (name == n::kTrain) return train_;
  if (name == n::kTest) return test_;
  throw UsageError("unknown split '" + name + "' (expected train or test)");
}

hid_t SplitFileWriter::samples_of(const std::string& name) const { return split(name).samples.id(); }

std::size_t SplitFileWriter::size_of(const std::string& name) const { return split(name).size; }

hid_t SplitFileWriter::write_common_meta(const std::string& name, const SplitMeta& meta,
                                         const std::vector<std::size_t>& also_sized) {
  const Split& s = split(name);
  bool sized = meta.size() == s.size && meta.source.size() == s.size && meta.segment.size() == s.size;
  for (std::size_t n_entries : also_sized) sized = sized && n_entries == s.size;
  if (!sized)
    throw UsageError("metadata of split '" + name + "' does not have " + std::to_string(s.size) +
                     " entries");
  const hid_t g = s.group.id();
  h5::write_vector(g, n::kLabels, meta.labels);
  h5::write_strings(g, n::kSource, meta.source);
  h5::write_vector(g, n::kSegment, meta.segment);
  return g;
}

void SplitFileWriter::close() {
  for (Split* s : {&train_, &test_}) {
    s->samples.reset();
    s->group.reset();
  }
  h5::close_file(file_, path_);
}

}  // namespace plifkit::frames
