// MNIST and Fashion-MNIST's IDX files (yann.lecun.com/exdb/mnist): a
// big-endian uint32 magic number 0x00000803 (unsigned bytes, 3 dimensions:
// images) or 0x00000801 (1 dimension: labels), the dimensions as big-endian
// uint32, then the bytes, row-major. Plain or gzip-compressed (.gz).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "plifkit/images/image_batch.hpp"

namespace plifkit {

inline constexpr std::uint32_t kIdxImagesMagic = 0x00000803;
inline constexpr std::uint32_t kIdxLabelsMagic = 0x00000801;

// Parses an images file's content: count x rows x cols bytes, one channel.
// `path` names it in messages. Throws FormatError "cannot decode 'path' at
// byte N: ..." for another magic number, a header or image data cut short,
// or bytes after the last image.
ImageBatch parse_idx_images(const std::uint8_t* data, std::size_t size, const std::string& path);

// Parses a labels file's content. Same errors, and a label of
// kImageClassNum or more.
std::vector<std::uint8_t> parse_idx_labels(const std::uint8_t* data, std::size_t size,
                                           const std::string& path);

// Reads an images file and its labels file (each plain or .gz) into one
// batch. Throws as above and read_maybe_gzip, and InputError naming both
// files when their counts differ.
ImageBatch read_idx_pair(const std::string& images_path, const std::string& labels_path);

}  // namespace plifkit
