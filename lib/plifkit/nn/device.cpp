#include "plifkit/nn/device.hpp"

#include <ATen/Context.h>

#include "plifkit/core/error.hpp"
#include "plifkit/core/system_memory.hpp"
#include "plifkit/nn/neuron_kernels.hpp"
#ifdef PLIFKIT_WITH_CUDA
#include "plifkit/nn/runtime/cuda_device.hpp"
#endif

namespace plifkit::nn {

torch::Device resolve_device(const DeviceSpec& device) {
  if (!device.cuda) return torch::Device(torch::kCPU);
  const std::string name = name_of(device);
  const int index = device.index.value_or(0);
  if (!built_with_cuda())
    throw DeviceError("device '" + name + "' is not available: this plifkit was built without "
                      "CUDA (its LibTorch has none); build against a CUDA LibTorch, see README");
  const auto count = static_cast<int>(torch::cuda::device_count());
  if (count == 0)
    throw DeviceError("device '" + name + "' is not available: no CUDA device is visible "
                      "(driver missing, or CUDA_VISIBLE_DEVICES empty)");
  if (index >= count)
    throw DeviceError("device '" + name + "' is not available: " + std::to_string(count) +
                      " CUDA device(s) visible, numbered from 0");
  return torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(index));
}

torch::Tensor upload(const torch::Tensor& host, const torch::Device& device) {
  if (host.device() == device || !device.is_cuda()) return host.to(device);
  return host.pin_memory().to(device, /*non_blocking=*/true);
}

void tune_for_fixed_shapes(const torch::Device& device) {
  if (device.is_cuda()) at::globalContext().setBenchmarkCuDNN(true);
}

#ifdef PLIFKIT_WITH_CUDA
void synchronize(const torch::Device& device) {
  if (device.is_cuda()) cuda::synchronize(device.index());
}

std::size_t device_memory_bytes(const torch::Device& device) {
  return device.is_cuda() ? cuda::free_memory_bytes(device.index()) : physical_memory_bytes();
}

std::size_t device_peak_bytes(const torch::Device& device) {
  return device.is_cuda() ? cuda::peak_allocated_bytes(device.index()) : 0;
}

void reset_device_peak(const torch::Device& device) {
  if (device.is_cuda()) cuda::reset_peak_allocated(device.index());
}
#else
// Only CPU devices exist in this build (resolve_device refuses the rest).
void synchronize(const torch::Device&) {}
std::size_t device_memory_bytes(const torch::Device&) { return physical_memory_bytes(); }
std::size_t device_peak_bytes(const torch::Device&) { return 0; }
void reset_device_peak(const torch::Device&) {}
#endif

}  // namespace plifkit::nn
