#include "plifkit/images/cifar_reader.hpp"

#include "plifkit/core/error.hpp"
#include "plifkit/core/file_stamp.hpp"
#include "plifkit/core/mapped_file.hpp"
#include "plifkit/images/cifar_pickle.hpp"

namespace plifkit {

ImageBatch parse_cifar_bin(const std::uint8_t* data, std::size_t size, const std::string& path) {
  constexpr std::size_t record = 1 + kCifarImageBytes;
  if (size == 0) throw FormatError(cannot_decode(path, 0) + "empty file, no images");
  if (size % record != 0)
    throw FormatError(cannot_decode(path, size - size % record) + "truncated: the last record has " +
                      std::to_string(size % record) + " of its " + std::to_string(record) + " bytes");
  ImageBatch batch;
  batch.count = size / record;
  batch.channels = 3;
  batch.height = batch.width = kCifarSide;
  batch.pixels.resize(batch.count * kCifarImageBytes);
  batch.labels.resize(batch.count);
  for (std::size_t i = 0; i < batch.count; ++i) {
    const std::uint8_t* r = data + i * record;
    if (r[0] >= kImageClassNum)
      throw FormatError(cannot_decode(path, i * record) + "label " + std::to_string(r[0]) +
                        " outside 0.." + std::to_string(kImageClassNum - 1));
    batch.labels[i] = r[0];
    std::copy(r + 1, r + record, batch.pixels.begin() + static_cast<std::ptrdiff_t>(i * kCifarImageBytes));
  }
  return batch;
}

ImageBatch read_cifar_batch(const std::string& path, bool python) {
  stamp_file(path, "CIFAR-10 batch");  // a missing file is an InputError saying so
  const MappedFile file(path);
  return python ? parse_cifar_pickle(file.data(), file.size(), path)
                : parse_cifar_bin(file.data(), file.size(), path);
}

}  // namespace plifkit
