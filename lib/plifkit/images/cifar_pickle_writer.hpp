// Writes a CIFAR-10 Python batch as the real ones are: Python 2's cPickle
// at protocol 2 (cifar_pickle.hpp has the structure), for dvs-synth and the
// tests. Keys in the order data, labels, batch_label, filenames; strings as
// SHORT_BINSTRING (the pixels as BINSTRING), each memoized with BINPUT or
// LONG_BINPUT; labels appended 1000 at a time, as cPickle batches them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "plifkit/images/image_batch.hpp"

namespace plifkit {

// batch: 3x32x32 images; filenames: one per image (each under 256 bytes).
std::vector<std::uint8_t> cifar_pickle_bytes(const ImageBatch& batch, const std::string& batch_label,
                                             const std::vector<std::string>& filenames);

}  // namespace plifkit
