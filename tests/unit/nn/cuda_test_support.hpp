// What the *_CUDA tests share: the skip (reported as SKIPPED, never passed,
// when the build has no CUDA or no GPU is visible) and the device they use.
#pragma once

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "plifkit/config/train_config.hpp"
#include "plifkit/nn/neuron_kernels.hpp"

#define REQUIRE_CUDA()                                                                   \
  do {                                                                                   \
    if (!::plifkit::nn::built_with_cuda()) GTEST_SKIP() << "this build has no CUDA";     \
    if (torch::cuda::device_count() == 0) GTEST_SKIP() << "no GPU visible";              \
  } while (0)

namespace plifkit::nn::testing_cuda {
inline const torch::Device kGpu(torch::kCUDA, 0);

// Two conv blocks of 4 channels on 32x32, T 4, per-neuron tau with the
// regulariser: the network of the one-step CPU-vs-GPU comparisons.
inline TrainConfig small_config() {
  TrainConfig config;
  config.T = 4;
  config.net.height = config.net.width = 32;
  config.net.channels = 4;
  config.net.number_layer = 2;
  config.net.use_plif = true;
  config.net.tau_per_neuron = true;
  config.net.tau_std_dev = 0.1;
  config.reg_lambda = 0.01;
  return config;
}
}  // namespace plifkit::nn::testing_cuda
