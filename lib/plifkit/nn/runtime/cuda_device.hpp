// What the trainer and the benchmark need to know about a CUDA device,
// behind plain types (built only with PLIF_CUDA).
#pragma once

#include <cstddef>

namespace plifkit::nn::cuda {

// Waits for all work queued on the device.
void synchronize(int device);
// Free device memory now, in bytes.
std::size_t free_memory_bytes(int device);
// Peak of the bytes Torch's allocator handed out since the last reset.
std::size_t peak_allocated_bytes(int device);
void reset_peak_allocated(int device);

}  // namespace plifkit::nn::cuda
