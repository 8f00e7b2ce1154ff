// torchvision's RandomCrop(size, padding) as the reference ran it on CIFAR-10
// (RandomCrop(32, padding=4) on a PIL image, torchvision 0.7): pad every side
// with `padding` zeros (fill 0, padding_mode "constant"), then cut an H x W
// window whose top i and left j are drawn uniformly from the whole numbers
// 0 .. 2 * padding inclusive (random.randint(0, h - th), top first). The
// output has the input's size, as in the reference (crop size 32 on 32 x 32).
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace plifkit::nn {

// One image's window in the padded image.
struct CropOffset {
  int64_t top = 0;
  int64_t left = 0;
};

// `batch` draws from `generator` (a CPU generator): one at::randint(0,
// 2 * padding + 1) of shape [batch, 2], row b = image b's (top, left).
std::vector<CropOffset> draw_crop_offsets(int64_t batch, int64_t padding, at::Generator& generator);

// images: [B, C, H, W] of any dtype on any device; offsets: B entries, each
// in 0 .. 2 * padding. Returns [B, C, H, W], same dtype and device: image b
// padded with zeros, rows top .. top + H - 1 and columns left .. left + W - 1.
// Throws InputError on a bad shape, count or offset.
torch::Tensor crop_padded(const torch::Tensor& images, const std::vector<CropOffset>& offsets, int64_t padding);

// draw_crop_offsets then crop_padded.
torch::Tensor random_crop_padded(const torch::Tensor& images, at::Generator& generator, int64_t padding = 4);

}  // namespace plifkit::nn
