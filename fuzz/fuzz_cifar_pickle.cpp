// CIFAR-10 pickle reader: the input is the whole content of a batch file
// (data_batch_1 ...). Accepted batches must keep the documented contract:
// one label below 10 per image and 3072 pixel bytes per image.
#include <cstdint>

#include "fuzz_support.hpp"
#include "plifkit/images/cifar_pickle.hpp"

using namespace plifkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  ImageBatch batch;
  if (!fuzz::only_plifkit_errors([&] { batch = parse_cifar_pickle(data, size, "fuzz_batch"); }))
    return 0;
  fuzz::require(batch.labels.size() == batch.count, "one label per image");
  fuzz::require(batch.pixels.size() == batch.count * 3072, "3072 bytes per image");
  fuzz::require(batch.channels == 3 && batch.height == 32 && batch.width == 32, "3x32x32 images");
  for (std::uint8_t l : batch.labels) fuzz::require(l < kImageClassNum, "label below 10");
  return 0;
}
