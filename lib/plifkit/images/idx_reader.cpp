#include "plifkit/images/idx_reader.hpp"

#include <cstdio>

#include "plifkit/core/error.hpp"
#include "plifkit/images/gzip_file.hpp"

namespace plifkit {

namespace {

std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

std::string hex32(std::uint32_t v) {
  char text[16];
  std::snprintf(text, sizeof text, "0x%08x", v);
  return text;
}

// The dimensions after a checked magic number.
std::vector<std::uint32_t> idx_header(const std::uint8_t* data, std::size_t size,
                                      const std::string& path, std::uint32_t magic,
                                      const char* what) {
  if (size < 4)
    throw FormatError(cannot_decode(path, 0) + "truncated: no IDX magic number");
  const std::uint32_t got = be32(data);
  if (got != magic)
    throw FormatError(cannot_decode(path, 0) + "magic number " + hex32(got) + ", expected " +
                      hex32(magic) + " (IDX " + what + ")");
  const std::size_t dims = magic & 0xff;
  if (size < 4 + 4 * dims)
    throw FormatError(cannot_decode(path, size) + "truncated: the header ends early");
  std::vector<std::uint32_t> out;
  for (std::size_t d = 0; d < dims; ++d) out.push_back(be32(data + 4 + 4 * d));
  return out;
}

// Checks that exactly `body` bytes follow the header.
void check_body(std::size_t size, std::size_t header, std::uint64_t body, const std::string& path,
                const std::string& what) {
  if (size - header < body)
    throw FormatError(cannot_decode(path, size) + "truncated: " + what + " need " +
                      std::to_string(header + body) + " bytes, the file has " + std::to_string(size));
  if (size - header > body)
    throw FormatError(cannot_decode(path, header + body) + std::to_string(size - header - body) +
                      " bytes after the last of " + what);
}

}  // namespace

ImageBatch parse_idx_images(const std::uint8_t* data, std::size_t size, const std::string& path) {
  const auto dims = idx_header(data, size, path, kIdxImagesMagic, "images of unsigned bytes, 3 dimensions");
  ImageBatch batch;
  batch.count = dims[0];
  batch.channels = 1;
  if (dims[1] == 0 || dims[2] == 0 || dims[1] > 4096 || dims[2] > 4096)
    throw FormatError(cannot_decode(path, 8) + "images of " + std::to_string(dims[1]) + "x" +
                      std::to_string(dims[2]) + " pixels");
  batch.height = static_cast<int>(dims[1]);
  batch.width = static_cast<int>(dims[2]);
  const std::uint64_t body = std::uint64_t{dims[0]} * dims[1] * dims[2];
  check_body(size, 16, body, path,
             std::to_string(dims[0]) + " images of " + std::to_string(dims[1]) + "x" +
                 std::to_string(dims[2]));
  batch.pixels.assign(data + 16, data + size);
  return batch;
}

std::vector<std::uint8_t> parse_idx_labels(const std::uint8_t* data, std::size_t size,
                                           const std::string& path) {
  const auto dims = idx_header(data, size, path, kIdxLabelsMagic, "labels of unsigned bytes, 1 dimension");
  check_body(size, 8, dims[0], path, std::to_string(dims[0]) + " labels");
  for (std::size_t i = 8; i < size; ++i)
    if (data[i] >= kImageClassNum)
      throw FormatError(cannot_decode(path, i) + "label " + std::to_string(data[i]) + " outside 0.." +
                        std::to_string(kImageClassNum - 1));
  return std::vector<std::uint8_t>(data + 8, data + size);
}

ImageBatch read_idx_pair(const std::string& images_path, const std::string& labels_path) {
  const std::vector<std::uint8_t> images = read_maybe_gzip(images_path);
  ImageBatch batch = parse_idx_images(images.data(), images.size(), images_path);
  const std::vector<std::uint8_t> labels = read_maybe_gzip(labels_path);
  batch.labels = parse_idx_labels(labels.data(), labels.size(), labels_path);
  if (batch.labels.size() != batch.count)
    throw InputError(quoted(labels_path) + " holds " + std::to_string(batch.labels.size()) +
                     " labels, but " + quoted(images_path) + " holds " +
                     std::to_string(batch.count) + " images");
  return batch;
}

}  // namespace plifkit
