// Reads a frames file (formats.md section 1) written by aedat2frames: the
// header attributes, the per-sample metadata of each split, and the frames
// one sample (one HDF5 chunk) or a range of samples at a time.
//
// A file's input_kind says what its samples are. `events` (the default when
// the attribute is absent): /split/frames [N, T, 2, H, W], read with
// read_counts / read_float. `images` (MNIST, FashionMNIST, CIFAR10):
// /split/images [N, C, H, W] uint8, the pixels as distributed, read with
// read_images; T, split_by and normalization do not apply (header().T is 0)
// and meta() has no t_start, t_end or event_count (empty vectors).
//
// For images, a training loop typically does:
//   FramesReader r(path);                       // throws on a bad file
//   const auto& h = r.header();                 // h.input_kind == InputKind::images
//   std::vector<std::uint8_t> x(batch * r.sample_elements());  // C * H * W each
//   r.read_images("train", first, batch, x.data());
//   const SplitMeta& m = r.meta("train");       // m.labels[first + i]
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "plifkit/datasets/registry.hpp"
#include "plifkit/events/orientation.hpp"
#include "plifkit/frames/frame_params.hpp"
#include "plifkit/h5/h5.hpp"

namespace plifkit::frames {

struct FramesHeader {
  Dataset dataset = kDefaultDataset;
  InputKind input_kind = InputKind::events;
  int channels = 2;  // of a frame (events: 2) or an image (1 or 3)
  int T = 0;  // frames per sample (events only)
  SplitBy split_by = SplitBy::number;
  Normalization normalization = Normalization::none;
  int height = 0;
  int width = 0;
  int class_num = 0;
  std::vector<std::string> class_names;  // class_num entries, label order
  std::string source_dir;
  Orientation orientation = Orientation::reference;
};

// Per-sample metadata of one split, N entries each.
struct SplitMeta {
  std::vector<std::uint8_t> labels;   // 0-based class
  std::vector<std::string> source;    // recording stem, sample file, distributed file
  std::vector<std::uint32_t> segment;  // row of the labels CSV, index in the file
  std::vector<std::uint64_t> t_start, t_end, event_count;  // events only, else empty
  std::size_t size() const { return labels.size(); }
};

class FramesReader {
 public:
  // Opens and validates the file: format stamp and version, header attributes,
  // both splits present (images: [N, C, H, W] uint8, chunked with deflate
  // only or without filters; the rest as for events, below) with consistent shapes ([N, T, 2, H, W]) and types
  // (uint16 when normalization is "none", else float32), labels < class_num,
  // frames stored contiguous, chunked without filters (every stored chunk of
  // full size) or one sample per chunk with deflate (after shuffle or not).
  // Throws IoError / FormatError naming the file.
  explicit FramesReader(const std::string& path);

  const std::string& path() const { return path_; }
  const FramesHeader& header() const { return header_; }
  bool holds_images() const { return header_.input_kind == InputKind::images; }
  // True when frames are stored as uint16 event counts (normalization none).
  bool stores_counts() const {
    return !holds_images() && header_.normalization == Normalization::none;
  }
  // Elements of one sample: T * 2 * H * W for events, C * H * W for images.
  std::size_t sample_elements() const;

  // split: "train" or "test". Metadata is read once at open.
  const SplitMeta& meta(const std::string& split) const;

  // Reads samples [first, first + count) of a split into dst, laid out
  // [count, T, 2, H, W] row-major. The _counts variant requires
  // stores_counts(); the _float variant converts counts to float. Throws
  // UsageError for samples outside the split, FormatError naming the file
  // and the sample for one stored damaged (its compressed data does not
  // decode to exactly one sample) or never written.
  void read_counts(const std::string& split, std::size_t first, std::size_t count,
                   std::uint16_t* dst) const;
  void read_float(const std::string& split, std::size_t first, std::size_t count,
                  float* dst) const;

  // Images files only (else UsageError): samples [first, first + count) of
  // a split into dst, laid out [count, C, H, W] row-major, uint8 pixels as
  // distributed (CIFAR10: channels R, G, B). Decompresses each chunk the
  // range touches once (aedat2frames stores 64 images per chunk, so one
  // image costs one chunk). Throws UsageError for
  // samples outside the split, FormatError naming the file and the chunk
  // for one damaged or never written.
  void read_images(const std::string& split, std::size_t first, std::size_t count,
                   std::uint8_t* dst) const;

 private:
  std::string path_;
  h5::Handle file_;
  FramesHeader header_;
  SplitMeta train_, test_;
};

}  // namespace plifkit::frames
