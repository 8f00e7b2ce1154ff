// Writes a frames file of the `images` layout (formats.md section 1): the
// root attributes (input_kind "images", channels, no T / split_by /
// normalization), /train and /test with `images` [N, C, H, W] uint8 in
// chunks of images_per_chunk(N) images, deflate-compressed, and labels, source,
// segment.
//
// Chunks arrive already compressed by encode_images_chunk, so compression
// runs in worker threads and this class, used from one thread, only stores
// bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "plifkit/frames/frames_reader.hpp"
#include "plifkit/frames/split_file_writer.hpp"

namespace plifkit::frames {

// Images per chunk: reading one image inflates one chunk (at most 64 KiB
// of MNIST, 192 KiB of CIFAR-10), and deflate still sees enough to compress.
inline constexpr std::size_t kImagesPerChunk = 64;
inline constexpr int kImagesDeflateLevel = 1;

// Images per chunk of a split of `samples` images: kImagesPerChunk, or all
// of them when fewer (HDF5 wants chunks no larger than the dataset).
inline std::size_t images_per_chunk(std::size_t samples) {
  return samples < kImagesPerChunk ? samples : kImagesPerChunk;
}

// Compresses images [0, count) at `pixels` (count <= chunk_images, each
// image_bytes) as one stored chunk: padded with zeros to chunk_images
// images, as HDF5 stores the last, partial chunk, then deflated (a zlib
// stream at kImagesDeflateLevel, the same bytes on every run).
std::vector<std::uint8_t> encode_images_chunk(const std::uint8_t* pixels, std::size_t count,
                                              std::size_t chunk_images, std::size_t image_bytes);

class ImagesWriter {
 public:
  // Creates `path` (truncating) with the root attributes of `header`
  // (input_kind images; its channels, height, width, class_num,
  // class_names, source_dir) plus input_fingerprint, and empty images
  // datasets of train_samples and test_samples images (each >= 1). Throws
  // IoError / FormatError, UsageError for an empty split.
  ImagesWriter(const std::string& path, const FramesHeader& header, std::size_t train_samples,
               std::size_t test_samples, const std::string& input_fingerprint);

  // Stores chunk `index` of `split` ("train" or "test"), images from index *
  // images_per_chunk(N) on, as made by encode_images_chunk.
  void write_chunk(const std::string& split, std::size_t index, const std::vector<std::uint8_t>& chunk);
  // Stores labels, source and segment of a split; each of its N entries.
  void write_meta(const std::string& split, const SplitMeta& meta);
  // Flushes and closes the file. Throws IoError (e.g. disk full).
  void close();

 private:
  SplitFileWriter file_;
};

}  // namespace plifkit::frames
