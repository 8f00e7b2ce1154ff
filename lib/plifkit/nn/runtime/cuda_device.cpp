#include "plifkit/nn/runtime/cuda_device.hpp"

#include <c10/cuda/CUDACachingAllocator.h>
#include <c10/cuda/CUDAException.h>
#include <c10/cuda/CUDAGuard.h>
#include <cuda_runtime_api.h>

namespace plifkit::nn::cuda {

void synchronize(int device) {
  const c10::cuda::CUDAGuard guard(static_cast<c10::DeviceIndex>(device));
  C10_CUDA_CHECK(cudaDeviceSynchronize());
}

std::size_t free_memory_bytes(int device) {
  const c10::cuda::CUDAGuard guard(static_cast<c10::DeviceIndex>(device));
  std::size_t free_bytes = 0, total_bytes = 0;
  C10_CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
  return free_bytes;
}

std::size_t peak_allocated_bytes(int device) {
  const auto stats = c10::cuda::CUDACachingAllocator::getDeviceStats(device);
  // Entry 0 is the aggregate over pool types (StatType::AGGREGATE), the
  // enum's first value in every Torch release, wherever the enum lives.
  return static_cast<std::size_t>(stats.allocated_bytes[0].peak);
}

void reset_peak_allocated(int device) { c10::cuda::CUDACachingAllocator::resetPeakStats(device); }

}  // namespace plifkit::nn::cuda
