#include "plifkit/frames/images_file.hpp"

#include <algorithm>
#include <cstring>

#include "plifkit/core/error.hpp"
#include "plifkit/core/zlib_inflate.hpp"
#include "plifkit/h5/names.hpp"

namespace plifkit::frames::detail {

namespace n = names::frames;

namespace {

[[noreturn]] void bad(const std::string& path, const std::string& why) {
  throw FormatError(quoted(path) + ": " + why);
}

// How a split's images are read. As for event frames (frames_reader.cpp),
// compressed chunks are never left to HDF5 1.10, which over-reads a chunk
// that decodes short: they are read raw and inflated here with their size
// checked. Chunks without filters have their sizes checked at open.
struct ImageStorage {
  hsize_t chunk_images = 0;  // > 0: deflate-compressed chunks of this many images
};

ImageStorage storage_of(hid_t images, const std::string& path, const FramesHeader& h,
                        const std::string& split, bool check_stored_chunks) {
  const std::string name = "/" + split + "/images";
  const h5::Dims chunk = h5::chunk_dims(images);
  if (chunk.empty()) return {};
  const std::vector<H5Z_filter_t> filters = h5::filters(images);
  if (filters.empty()) {
    if (check_stored_chunks) h5::check_stored_chunks(images, name);
    return {};
  }
  if (filters != std::vector<H5Z_filter_t>{H5Z_FILTER_DEFLATE})
    bad(path, name + " is compressed with HDF5 filters other than deflate alone");
  if (chunk.size() != 4 || chunk[0] < 1 || chunk[1] != static_cast<hsize_t>(h.channels) ||
      chunk[2] != static_cast<hsize_t>(h.height) || chunk[3] != static_cast<hsize_t>(h.width))
    bad(path, name + " is compressed but its chunks are not whole images");
  return {chunk[0]};
}

}  // namespace

void read_images_header(hid_t root, const std::string& path, FramesHeader& header) {
  header.T = 0;
  header.channels = h5::read_attr<std::int32_t>(root, n::kChannels);
  header.height = h5::read_attr<std::int32_t>(root, n::kHeight);
  header.width = h5::read_attr<std::int32_t>(root, n::kWidth);
  header.class_num = h5::read_attr<std::int32_t>(root, n::kClassNum);
  header.class_names = h5::read_attr_strings(root, n::kClassNames);
  header.source_dir = h5::read_attr_string(root, n::kSourceDir);
  if (header.channels < 1 || header.height < 1 || header.width < 1 || header.class_num < 1 ||
      header.class_num > 256)
    bad(path, "channels, height, width and class_num must be positive (class_num at most 256)");
  if (header.class_names.size() != static_cast<std::size_t>(header.class_num))
    bad(path, "class_names has " + std::to_string(header.class_names.size()) +
                  " entries, class_num is " + std::to_string(header.class_num));
}

SplitMeta read_image_split(hid_t root, const std::string& path, const FramesHeader& h,
                           const std::string& split) {
  h5::Handle group = h5::open_group(root, split);
  h5::Handle images = h5::open_dataset(group.id(), n::kImages);
  const h5::Dims dims = h5::dataset_dims(images.id());
  if (dims.size() != 4 || dims[1] != static_cast<hsize_t>(h.channels) ||
      dims[2] != static_cast<hsize_t>(h.height) || dims[3] != static_cast<hsize_t>(h.width))
    bad(path, "/" + split + "/images is not shaped [N, C, H, W] with C=" + std::to_string(h.channels) +
                  ", H=" + std::to_string(h.height) + ", W=" + std::to_string(h.width));
  if (h5::dataset_class(images.id()) != H5T_INTEGER || h5::dataset_type_size(images.id()) != 1)
    bad(path, "/" + split + "/images must be uint8");
  storage_of(images.id(), path, h, split, true);
  const auto samples = static_cast<std::size_t>(dims[0]);
  const hid_t g = group.id();
  SplitMeta meta;
  auto check = [&](std::size_t size, const char* name) {
    if (size != samples)
      bad(path, "/" + split + "/" + name + " does not have " + std::to_string(samples) +
                    " entries like /" + split + "/images");
  };
  h5::Dims column;
  meta.labels = h5::read_dataset<std::uint8_t>(g, n::kLabels, &column);
  check(column.size() == 1 ? meta.labels.size() : 0, n::kLabels);
  meta.segment = h5::read_dataset<std::uint32_t>(g, n::kSegment, &column);
  check(column.size() == 1 ? meta.segment.size() : 0, n::kSegment);
  meta.source = h5::read_strings(g, n::kSource);
  check(meta.source.size(), n::kSource);
  for (std::size_t i = 0; i < samples; ++i)
    if (meta.labels[i] >= h.class_num)
      bad(path, "/" + split + "/labels[" + std::to_string(i) + "] = " + std::to_string(meta.labels[i]) +
                    " is not below class_num " + std::to_string(h.class_num));
  return meta;
}

void read_image_range(hid_t root, const std::string& path, const FramesHeader& h,
                      const std::string& split, std::size_t first, std::size_t count,
                      std::uint8_t* dst) {
  if (count == 0) return;
  h5::Handle group = h5::open_group(root, split);
  h5::Handle images = h5::open_dataset(group.id(), n::kImages);
  const ImageStorage storage = storage_of(images.id(), path, h, split, false);
  const auto C = static_cast<hsize_t>(h.channels), H = static_cast<hsize_t>(h.height),
             W = static_cast<hsize_t>(h.width);
  if (storage.chunk_images == 0) {
    h5::read_slab<std::uint8_t>(images.id(), h5::Dims{first, 0, 0, 0}, h5::Dims{count, C, H, W}, dst);
    return;
  }
  const std::size_t image = static_cast<std::size_t>(C * H * W);
  const std::size_t per_chunk = static_cast<std::size_t>(storage.chunk_images);
  const std::size_t bytes = per_chunk * image;
  // Deflate expands incompressible data by a few bytes per 16 KiB block.
  const std::size_t max_stored = bytes + bytes / 8 + 1024;
  thread_local std::vector<std::uint8_t> stored, decoded;
  decoded.resize(bytes);
  const std::size_t last = first + count;  // exclusive
  for (std::size_t c = first / per_chunk; c * per_chunk < last; ++c) {
    const std::string which = "chunk " + std::to_string(c) + " (images from " +
                              std::to_string(c * per_chunk) + ") of /" + split + "/images";
    if (!h5::read_chunk(images.id(), h5::Dims{c * per_chunk, 0, 0, 0}, max_stored, stored))
      throw FormatError(quoted(path) + ": " + which + " was never written (incomplete file)");
    const std::string why = inflate_exact(stored.data(), stored.size(), decoded.data(), bytes);
    if (!why.empty()) throw FormatError(quoted(path) + ": " + which + " " + why);
    const std::size_t from = std::max(first, c * per_chunk);
    const std::size_t to = std::min(last, (c + 1) * per_chunk);
    std::memcpy(dst + (from - first) * image, decoded.data() + (from - c * per_chunk) * image,
                (to - from) * image);
  }
}

}  // namespace plifkit::frames::detail
