// What the *_CUDA tests share: the skip (reported as SKIPPED, never passed,
// when the build has no CUDA or no GPU is visible) and the device they use.
#pragma once

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "plifkit/nn/neuron_kernels.hpp"

#define REQUIRE_CUDA()                                                                   \
  do {                                                                                   \
    if (!::plifkit::nn::built_with_cuda()) GTEST_SKIP() << "this build has no CUDA";     \
    if (torch::cuda::device_count() == 0) GTEST_SKIP() << "no GPU visible";              \
  } while (0)

namespace plifkit::nn::testing_cuda {
inline const torch::Device kGpu(torch::kCUDA, 0);
}  // namespace plifkit::nn::testing_cuda
