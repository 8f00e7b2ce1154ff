// What the network is fed for a batch of a store: event frames as stored
// (float [B, T, 2, H, W]); images through the reference's transforms
// (transforms/), then held for T steps as an expanded view [B, T, C, H, W]
// (the static networks read frames[:, 0] once).
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "plifkit/datasets/registry.hpp"
#include "plifkit/nn/sample_store.hpp"

namespace plifkit::nn {

struct InputOptions {
  Dataset dataset = kDefaultDataset;
  int64_t T = 1;  // steps an image is held for
  // Training with augmentation: this step's generator (drawn on the CPU).
  // Null: the evaluation transform (normalisation only).
  at::Generator* augment = nullptr;
};

torch::Tensor network_input(const SampleStore& store, const std::vector<int64_t>& positions,
                            const torch::Device& device, const InputOptions& options);

}  // namespace plifkit::nn
