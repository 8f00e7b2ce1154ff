// Where the network runs: --device cpu | cuda | cuda:N, checked against what
// this build and this machine have, and the few device facts the trainer and
// benchmarks need without depending on CUDA headers.
#pragma once

#include <torch/torch.h>

#include <cstddef>
#include <string>

#include "plifkit/config/device_spec.hpp"

namespace plifkit::nn {

// Throws DeviceError when the build has no CUDA or the device does not exist.
torch::Device resolve_device(const DeviceSpec& device);

// A host tensor on `device` (returned as it is when already there). To a
// GPU it goes through pinned memory without
// waiting (a plain copy from pageable memory would block until the device's
// queue has drained).
torch::Tensor upload(const torch::Tensor& host, const torch::Device& device);

// For runs whose shapes stay fixed (training, the benchmarks): on a GPU,
// cuDNN times its convolution algorithms once per shape and keeps the
// fastest (the first step of each shape pays for it). No-op on the CPU.
void tune_for_fixed_shapes(const torch::Device& device);

// Waits for the device's queued work (no-op on the CPU).
void synchronize(const torch::Device& device);

// Free memory of a CUDA device; the CPU's physical memory for the CPU.
std::size_t device_memory_bytes(const torch::Device& device);

// Peak bytes held by Torch's CUDA allocator since the last reset (0 on the CPU).
std::size_t device_peak_bytes(const torch::Device& device);
void reset_device_peak(const torch::Device& device);

}  // namespace plifkit::nn
