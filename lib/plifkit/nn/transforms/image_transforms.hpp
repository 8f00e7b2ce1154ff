// The reference's per-image torchvision pipelines for the image datasets,
// applied to whole batches on the training device (docs/transforms.md):
//   MNIST train:         RandomAffine(30, (0.15, 0.15), (0.85, 1.11)), ToTensor, Normalize
//   Fashion-MNIST train: ToTensor, Normalize
//   CIFAR-10 train:      RandomCrop(32, padding=4), RandomHorizontalFlip, ToTensor, Normalize
//   evaluation, all:     ToTensor, Normalize
// Normalize's arguments: normalization_of (normalize.hpp).
//
// Random draws, all from the given CPU generator, in this order: MNIST, one
// at::rand [B, 4] double (per image: angle, tx, ty, scale; affine.hpp);
// CIFAR-10, one at::randint [B, 2] (per image: crop top, left; crop.hpp) then
// one at::rand [B] double (per image: flip; flip.hpp); Fashion-MNIST none.
// So a run's augmentation follows from the generator's seed and, with the
// generator's state saved, resumes exactly; the draws do not depend on the
// images' device.
#pragma once

#include <torch/torch.h>

#include "plifkit/datasets/registry.hpp"

namespace plifkit::nn {

// images: [B, C, H, W] uint8 on any device, C H W those of the dataset.
// Returns float32 [B, C, H, W] on the same device: augmented (when the
// dataset has augmentation), then normalised. Throws InputError for event
// datasets and for images of another shape or dtype.
torch::Tensor train_transform(Dataset dataset, const torch::Tensor& images, at::Generator& generator);

// The same without augmentation: normalised only.
torch::Tensor eval_transform(Dataset dataset, const torch::Tensor& images);

}  // namespace plifkit::nn
