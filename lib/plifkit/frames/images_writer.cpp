#include "plifkit/frames/images_writer.hpp"

#include <zlib.h>

#include "plifkit/core/error.hpp"
#include "plifkit/h5/names.hpp"

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
    : file_(path, header,
            [&](hid_t root) {
              h5::write_attr_string(root, n::kInputKind, n::kImages);
              h5::write_attr<std::int32_t>(root, n::kChannels, header.channels);
            },
            {n::kImages, H5T_STD_U8LE,
             h5::Dims{static_cast<hsize_t>(header.channels), static_cast<hsize_t>(header.height),
                      static_cast<hsize_t>(header.width)},
             [&header](std::size_t samples) {
               h5::DatasetOptions options;
               options.deflate_level = kImagesDeflateLevel;
               options.chunk = {images_per_chunk(samples), static_cast<hsize_t>(header.channels),
                                static_cast<hsize_t>(header.height), static_cast<hsize_t>(header.width)};
               return options;
             }},
            train_samples, test_samples, input_fingerprint) {}

void ImagesWriter::write_chunk(const std::string& split, std::size_t index,
                               const std::vector<std::uint8_t>& chunk) {
  const std::size_t first = index * images_per_chunk(file_.size_of(split));
  if (first >= file_.size_of(split))
    throw UsageError("chunk " + std::to_string(index) + " outside split '" + split + "'");
  h5::write_chunk(file_.samples_of(split), h5::Dims{first, 0, 0, 0}, chunk.data(), chunk.size());
}

void ImagesWriter::write_meta(const std::string& split, const SplitMeta& meta) {
  file_.write_common_meta(split, meta, {});
}

void ImagesWriter::close() { file_.close(); }

}  // namespace plifkit::frames
