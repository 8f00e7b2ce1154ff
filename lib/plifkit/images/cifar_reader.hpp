// CIFAR-10's batches (www.cs.toronto.edu/~kriz/cifar.html), 32x32 RGB:
//   binary version  data_batch_1.bin .. data_batch_5.bin, test_batch.bin:
//                   records of 1 label byte + 3072 pixel bytes (1024 R,
//                   1024 G, 1024 B, each 32x32 row-major), nothing else;
//   Python version  data_batch_1 .. data_batch_5, test_batch: a pickle of a
//                   dict (cifar_pickle.hpp), whose 'data' rows are laid out
//                   as the binary version's pixels.
// Both give the pixels as [count, 3, 32, 32].
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "plifkit/images/image_batch.hpp"

namespace plifkit {

inline constexpr int kCifarSide = 32;
inline constexpr std::size_t kCifarImageBytes = 3 * kCifarSide * kCifarSide;

// Parses a binary batch. Throws FormatError "cannot decode 'path' at byte
// N: ..." for an empty file, a last record cut short or a label of 10 or
// more.
ImageBatch parse_cifar_bin(const std::uint8_t* data, std::size_t size, const std::string& path);

// Reads a batch file of either version (python: the pickled one). Throws as
// the parsers, InputError for a missing file, IoError.
ImageBatch read_cifar_batch(const std::string& path, bool python);

}  // namespace plifkit
