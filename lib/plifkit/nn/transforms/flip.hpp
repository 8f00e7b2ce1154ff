// torchvision's RandomHorizontalFlip() as the reference ran it on CIFAR-10
// (torchvision 0.7: `if random.random() < 0.5: F.hflip(img)`): each image
// mirrored left-right with probability 1/2.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace plifkit::nn {

// `batch` draws from `generator` (a CPU generator): one at::rand [batch] in
// double; image b flips when its u < 0.5. Returned as 0/1 per image.
std::vector<uint8_t> draw_flips(int64_t batch, at::Generator& generator);

// images: [B, C, H, W] of any dtype on any device; flips: B entries. Image
// b's columns reversed where flips[b] is non-zero. Same shape, dtype, device.
// Throws InputError on a bad shape or count.
torch::Tensor horizontal_flip_where(const torch::Tensor& images, const std::vector<uint8_t>& flips);

// draw_flips then horizontal_flip_where.
torch::Tensor random_horizontal_flip(const torch::Tensor& images, at::Generator& generator);

}  // namespace plifkit::nn
