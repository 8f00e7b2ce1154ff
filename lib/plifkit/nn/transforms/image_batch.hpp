// The input every transform takes: a batch of images [B, C, H, W] on any
// device, checked where it enters.
#pragma once

#include <torch/torch.h>

namespace plifkit::nn {

// Throws InputError naming `what` unless `images` is [B, C, H, W] with B,
// C, H and W at least 1.
void check_image_batch(const torch::Tensor& images, const char* what);

}  // namespace plifkit::nn
