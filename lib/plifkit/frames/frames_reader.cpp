#include "plifkit/frames/frames_reader.hpp"

#include <cstring>

#include "plifkit/core/error.hpp"
#include "plifkit/frames/chunk_codec.hpp"
#include "plifkit/frames/frame_params.hpp"
#include "plifkit/frames/images_file.hpp"
#include "plifkit/h5/names.hpp"
#include "plifkit/h5/stage_file.hpp"

namespace plifkit::frames {

namespace n = names::frames;

namespace {

[[noreturn]] void bad(const std::string& path, const std::string& why) {
  throw FormatError(quoted(path) + ": " + why);
}

// A name stored in the file, as the enum it names; the file holds the
// canonical spelling (formats.md), so no other is accepted.
template <typename E>
E stored_choice(hid_t root, const std::string& path, const char* attr) {
  const std::string value = h5::read_attr_string(root, attr);
  const auto parsed = find_choice<E>(value);
  if (!parsed || value != name_of_choice(*parsed))
    bad(path, std::string("attribute '") + attr + "' has the unknown value '" + value + "'");
  return *parsed;
}

template <typename T>
std::vector<T> read_column(hid_t group, const std::string& split, const char* name,
                           std::size_t samples, const std::string& path) {
  h5::Dims dims;
  std::vector<T> values = h5::read_dataset<T>(group, name, &dims);
  if (dims.size() != 1 || dims[0] != samples)
    bad(path, "/" + split + "/" + name + " does not have " + std::to_string(samples) +
                  " entries like /" + split + "/frames");
  return values;
}

// How a split's frames are read. HDF5 1.10 copies a whole chunk's worth of
// bytes out of a stored chunk that holds or decodes to fewer (a heap
// over-read on a damaged file), so chunks are never left to HDF5 unchecked:
// compressed frames, which formats.md stores one sample per chunk with
// deflate (FramesWriter: shuffle, then deflate), are read raw and decoded
// here with their size checked; the stored chunks of uncompressed chunked
// frames have their sizes checked at open. Contiguous frames (as tests write
// them) are read by HDF5, which checks their size itself.
struct Storage {
  bool decode_here = false;  // compressed, one sample per chunk
  bool shuffled = false;     // shuffle before deflate
};

Storage storage_of(hid_t frames, const std::string& path, const FramesHeader& header,
                   const std::string& split, bool check_stored_chunks) {
  const std::string name = "/" + split + "/frames";
  const h5::Dims chunk = h5::chunk_dims(frames);
  if (chunk.empty()) return {};
  const std::vector<H5Z_filter_t> filters = h5::filters(frames);
  if (filters.empty()) {
    if (check_stored_chunks) h5::check_stored_chunks(frames, name);
    return {};
  }
  const bool shuffled = filters == std::vector<H5Z_filter_t>{H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE};
  if (!shuffled && filters != std::vector<H5Z_filter_t>{H5Z_FILTER_DEFLATE})
    bad(path, name + " is compressed with HDF5 filters other than deflate (and shuffle before it)");
  if (chunk != h5::Dims{1, static_cast<hsize_t>(header.T), 2, static_cast<hsize_t>(header.height),
                        static_cast<hsize_t>(header.width)})
    bad(path, name + " is compressed but not stored one sample per chunk");
  if (!h5::stored_as(frames, header.normalization == Normalization::none ? H5T_STD_U16LE : H5T_IEEE_F32LE))
    bad(path, name + " is compressed but not stored little-endian");
  return {true, shuffled};
}

// The per-sample metadata of one split, after checking the shapes, the
// stored type and the storage of its frames.
SplitMeta read_split(hid_t file, const std::string& path, const FramesHeader& header,
                     const std::string& split) {
  h5::Handle group = h5::open_group(file, split);
  h5::Handle frames = h5::open_dataset(group.id(), n::kFrames);
  const h5::Dims dims = h5::dataset_dims(frames.id());
  if (dims.size() != 5 || dims[1] != static_cast<hsize_t>(header.T) || dims[2] != 2 ||
      dims[3] != static_cast<hsize_t>(header.height) ||
      dims[4] != static_cast<hsize_t>(header.width))
    bad(path, "/" + split + "/frames is not shaped [N, T, 2, H, W] with T=" +
                  std::to_string(header.T) + ", H=" + std::to_string(header.height) +
                  ", W=" + std::to_string(header.width));
  const H5T_class_t cls = h5::dataset_class(frames.id());
  const std::size_t size = h5::dataset_type_size(frames.id());
  const bool counts = header.normalization == Normalization::none;
  if (counts ? (cls != H5T_INTEGER || size != 2) : (cls != H5T_FLOAT || size != 4))
    bad(path, "/" + split + "/frames must be " + (counts ? "uint16" : "float32") +
                  " for normalization " + name_of(header.normalization));
  storage_of(frames.id(), path, header, split, true);
  const auto samples = static_cast<std::size_t>(dims[0]);
  const hid_t g = group.id();
  SplitMeta meta;
  meta.labels = read_column<std::uint8_t>(g, split, n::kLabels, samples, path);
  meta.segment = read_column<std::uint32_t>(g, split, n::kSegment, samples, path);
  meta.t_start = read_column<std::uint64_t>(g, split, n::kTStart, samples, path);
  meta.t_end = read_column<std::uint64_t>(g, split, n::kTEnd, samples, path);
  meta.event_count = read_column<std::uint64_t>(g, split, n::kEventCount, samples, path);
  meta.source = h5::read_strings(g, n::kSource);
  if (meta.source.size() != samples)
    bad(path, "/" + split + "/source does not have " + std::to_string(samples) +
                  " entries like /" + split + "/frames");
  for (std::size_t i = 0; i < samples; ++i)
    if (meta.labels[i] >= header.class_num)
      bad(path, "/" + split + "/labels[" + std::to_string(i) + "] = " +
                    std::to_string(meta.labels[i]) + " is not below class_num " +
                    std::to_string(header.class_num));
  return meta;
}

}  // namespace

FramesReader::FramesReader(const std::string& path) : path_(path), file_(h5::open_file(path)) {
  const hid_t root = file_.id();
  h5::require_format(root, path, n::kFormatName, n::kNewestReadable);
  header_.dataset = stored_choice<Dataset>(root, path, n::kDataset);
  if (h5::has_attr(root, n::kInputKind)) {
    const std::string kind = h5::read_attr_string(root, n::kInputKind);
    if (kind == n::kImages) header_.input_kind = InputKind::images;
    else if (kind != "events")
      bad(path, "attribute 'input_kind' has the unknown value '" + kind + "'");
  }
  if (header_.input_kind == InputKind::images) {
    detail::read_images_header(root, path, header_);
    train_ = detail::read_image_split(root, path, header_, n::kTrain);
    test_ = detail::read_image_split(root, path, header_, n::kTest);
    return;
  }
  header_.T = h5::read_attr<std::int32_t>(root, n::kT);
  header_.split_by = stored_choice<SplitBy>(root, path, n::kSplitBy);
  header_.normalization = stored_choice<Normalization>(root, path, n::kNormalization);
  header_.height = h5::read_attr<std::int32_t>(root, n::kHeight);
  header_.width = h5::read_attr<std::int32_t>(root, n::kWidth);
  header_.class_num = h5::read_attr<std::int32_t>(root, n::kClassNum);
  header_.class_names = h5::read_attr_strings(root, n::kClassNames);
  header_.source_dir = h5::read_attr_string(root, n::kSourceDir);
  if (h5::has_attr(root, n::kOrientation))
    header_.orientation = stored_choice<Orientation>(root, path, n::kOrientation);

  if (header_.T < 1 || header_.height < 1 || header_.width < 1 || header_.class_num < 1)
    bad(path, "T, height, width and class_num must be positive");
  if (header_.class_names.size() != static_cast<std::size_t>(header_.class_num))
    bad(path, "class_names has " + std::to_string(header_.class_names.size()) +
                  " entries, class_num is " + std::to_string(header_.class_num));

  train_ = read_split(root, path, header_, n::kTrain);
  test_ = read_split(root, path, header_, n::kTest);
}

std::size_t FramesReader::sample_elements() const {
  if (holds_images())
    return static_cast<std::size_t>(header_.channels) * static_cast<std::size_t>(header_.height) *
           static_cast<std::size_t>(header_.width);
  return static_cast<std::size_t>(header_.T) * 2 * static_cast<std::size_t>(header_.height) *
         static_cast<std::size_t>(header_.width);
}

const SplitMeta& FramesReader::meta(const std::string& split) const {
  if (split == n::kTrain) return train_;
  if (split == n::kTest) return test_;
  throw UsageError("unknown split '" + split + "' (expected train or test)");
}

namespace {

// Reads samples [first, first + count) of a split as T (HDF5 converts the
// stored type when they differ).
template <typename T>
void read_samples(hid_t file, const FramesReader& reader, const std::string& split,
                  std::size_t first, std::size_t count, T* dst) {
  const std::size_t samples = reader.meta(split).size();
  if (first > samples || count > samples - first)
    throw UsageError(quoted(reader.path()) + ": samples [" + std::to_string(first) + ", " +
                     std::to_string(first + count) + ") outside split '" + split + "' of " +
                     std::to_string(samples));
  if (count == 0) return;
  const FramesHeader& h = reader.header();
  h5::Handle group = h5::open_group(file, split);
  h5::Handle frames = h5::open_dataset(group.id(), n::kFrames);
  const Storage storage = storage_of(frames.id(), reader.path(), h, split, false);
  if (!storage.decode_here) {
    h5::read_slab<T>(frames.id(), h5::Dims{first, 0, 0, 0, 0},
                     h5::Dims{count, static_cast<hsize_t>(h.T), 2, static_cast<hsize_t>(h.height),
                              static_cast<hsize_t>(h.width)},
                     dst);
    return;
  }
  const std::size_t elems = reader.sample_elements();
  const std::size_t elem_size = reader.stores_counts() ? 2 : 4;
  const std::size_t bytes = elems * elem_size;
  // Deflate expands incompressible data by a few bytes per 16 KiB block.
  const std::size_t max_stored = bytes + bytes / 8 + 1024;
  // Reused from call to call (samples are read one at a time, per thread).
  thread_local std::vector<std::uint8_t> stored, scratch, decoded;
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t sample = first + i;
    const std::string which = "sample " + std::to_string(sample) + " of /" + split + "/frames";
    if (!h5::read_chunk(frames.id(), h5::Dims{sample, 0, 0, 0, 0}, max_stored, stored))
      throw FormatError(quoted(reader.path()) + ": " + which + " was never written (incomplete file)");
    const std::string where = quoted(reader.path()) + ": cannot read " + which;
    T* out = dst + i * elems;
    if (sizeof(T) == elem_size) {  // the stored type itself (uint16 or float32)
      decode_chunk(stored.data(), stored.size(), elems, elem_size, storage.shuffled, scratch, out,
                   where);
      continue;
    }
    decoded.resize(bytes);  // uint16 counts read as float
    decode_chunk(stored.data(), stored.size(), elems, elem_size, storage.shuffled, scratch,
                 decoded.data(), where);
    for (std::size_t e = 0; e < elems; ++e) {
      std::uint16_t v;
      std::memcpy(&v, decoded.data() + 2 * e, 2);
      out[e] = static_cast<T>(v);
    }
  }
}

}  // namespace

void FramesReader::read_counts(const std::string& split, std::size_t first, std::size_t count,
                               std::uint16_t* dst) const {
  if (holds_images()) throw UsageError(quoted(path_) + ": holds images, not event frames (read_images)");
  if (!stores_counts())
    throw UsageError(quoted(path_) + ": frames are float32 (normalization " +
                     name_of(header_.normalization) + "), not event counts");
  read_samples(file_.id(), *this, split, first, count, dst);
}

void FramesReader::read_float(const std::string& split, std::size_t first, std::size_t count,
                              float* dst) const {
  if (holds_images()) throw UsageError(quoted(path_) + ": holds images, not event frames (read_images)");
  read_samples(file_.id(), *this, split, first, count, dst);
}

void FramesReader::read_images(const std::string& split, std::size_t first, std::size_t count,
                               std::uint8_t* dst) const {
  if (!holds_images()) throw UsageError(quoted(path_) + ": holds event frames, not images");
  const std::size_t samples = meta(split).size();
  if (first > samples || count > samples - first)
    throw UsageError(quoted(path_) + ": samples [" + std::to_string(first) + ", " +
                     std::to_string(first + count) + ") outside split '" + split + "' of " +
                     std::to_string(samples));
  detail::read_image_range(file_.id(), path_, header_, split, first, count, dst);
}

}  // namespace plifkit::frames
