#include "plifkit/frames/images_writer.hpp"

#include <zlib.h>

#include <tuple>

#include "plifkit/core/error.hpp"
#include "plifkit/h5/names.hpp"
#include "plifkit/h5/stage_file.hpp"

namespace plifkit::frames {

namespace n = names::frames;

std::vector<std::uint8_t> encode_images_chunk(const std::uint8_t* pixels, std::size_t count,
                                              std::size_t chunk_images, std::size_t image_bytes) {
  if (count > chunk_images) throw UsageError("more images than fit in one chunk");
  std::vector<std::uint8_t> whole(chunk_images * image_bytes, 0);
  std::copy(pixels, pixels + count * image_bytes, whole.begin());
  uLongf size = compressBound(static_cast<uLong>(whole.size()));
  std::vector<std::uint8_t> out(size);
  if (compress2(out.data(), &size, whole.data(), static_cast<uLong>(whole.size()), kImagesDeflateLevel) != Z_OK)
    throw IoError("cannot compress a chunk of images (zlib)");
  out.resize(size);
  return out;
}

ImagesWriter::ImagesWriter(const std::string& path, const FramesHeader& header,
                           std::size_t train_samples, std::size_t test_samples,
                           const std::string& input_fingerprint)
    : path_(path), file_(h5::create_file(path)) {
  const hid_t root = file_.id();
  h5::write_format_stamp(root, n::kFormatName, n::kVersion);
  h5::write_attr_string(root, n::kDataset, name_of_choice(header.dataset));
  h5::write_attr_string(root, n::kInputKind, n::kImages);
  h5::write_attr<std::int32_t>(root, n::kChannels, header.channels);
  h5::write_attr<std::int32_t>(root, n::kHeight, header.height);
  h5::write_attr<std::int32_t>(root, n::kWidth, header.width);
  h5::write_attr<std::int32_t>(root, n::kClassNum, header.class_num);
  h5::write_attr_strings(root, n::kClassNames, header.class_names);
  h5::write_attr_string(root, n::kSourceDir, header.source_dir);
  h5::write_attr_string(root, n::kInputFingerprint, input_fingerprint);

  const auto C = static_cast<hsize_t>(header.channels);
  const auto H = static_cast<hsize_t>(header.height);
  const auto W = static_cast<hsize_t>(header.width);
  h5::DatasetOptions options;
  options.deflate_level = kImagesDeflateLevel;
  for (auto [s, name, samples] : {std::tuple{&train_, n::kTrain, train_samples},
                                  std::tuple{&test_, n::kTest, test_samples}}) {
    if (samples == 0)
      throw UsageError("frames file " + quoted(path) + ": split '" + name + "' has no images");
    s->samples = samples;
    options.chunk = {images_per_chunk(samples), C, H, W};
    s->group = h5::create_group(root, name);
    s->images = h5::create_dataset(s->group.id(), n::kImages, H5T_STD_U8LE,
                                   h5::Dims{samples, C, H, W}, options);
  }
}

ImagesWriter::Split& ImagesWriter::split(const std::string& name) {
  if (name == n::kTrain) return train_;
  if (name == n::kTest) return test_;
  throw UsageError("unknown split '" + name + "' (expected train or test)");
}

void ImagesWriter::write_chunk(const std::string& split_name, std::size_t index,
                               const std::vector<std::uint8_t>& chunk) {
  Split& s = split(split_name);
  const std::size_t first = index * images_per_chunk(s.samples);
  if (first >= s.samples)
    throw UsageError("chunk " + std::to_string(index) + " outside split '" + split_name + "'");
  h5::write_chunk(s.images.id(), h5::Dims{first, 0, 0, 0}, chunk.data(), chunk.size());
}

void ImagesWriter::write_meta(const std::string& split_name, const SplitMeta& meta) {
  Split& s = split(split_name);
  if (meta.size() != s.samples || meta.source.size() != s.samples || meta.segment.size() != s.samples)
    throw UsageError("metadata of split '" + split_name + "' does not have " +
                     std::to_string(s.samples) + " entries");
  const hid_t g = s.group.id();
  h5::write_vector(g, n::kLabels, meta.labels);
  h5::write_strings(g, n::kSource, meta.source);
  h5::write_vector(g, n::kSegment, meta.segment);
}

void ImagesWriter::close() {
  for (Split* s : {&train_, &test_}) {
    s->images.reset();
    s->group.reset();
  }
  h5::close_file(file_, path_);
}

}  // namespace plifkit::frames
