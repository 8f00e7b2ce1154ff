// ToTensor then Normalize(mean, std), as torchvision 0.7 computes them on a
// uint8 image: x.float().div(255), then .sub_(mean).div_(std) with mean and
// std as float32 tensors, every step in float32 (so CPU and CUDA agree bit
// for bit: both round each operation to nearest).
#pragma once

#include <torch/torch.h>

#include <vector>

#include "plifkit/datasets/registry.hpp"

namespace plifkit::nn {

// Per-channel Normalize arguments: the dataset row's statistics.
using ImageNormalization = ImageStatistics;

// The reference's Normalize for an image dataset, from its registry row
// (datasets/mnist.cpp, ...). The CIFAR-10 std there are the widely copied
// inexact values (the per-channel std over the training set is about 0.247,
// 0.243, 0.261); kept for parity with the reference. Throws InputError for
// event datasets.
const ImageNormalization& normalization_of(Dataset dataset);

// images: [B, C, H, W] uint8 on any device; mean and std: C entries each.
// Returns float32 [B, C, H, W] on the same device: (x / 255 - mean) / std.
// Throws InputError on a bad shape or dtype or a channel count mismatch.
torch::Tensor to_normalized_float(const torch::Tensor& images, const ImageNormalization& normalization);

}  // namespace plifkit::nn
