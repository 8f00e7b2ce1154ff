#include "plifkit/nn/transforms/image_transforms.hpp"

#include <sstream>

#include "plifkit/core/error.hpp"
#include "plifkit/nn/transforms/affine.hpp"
#include "plifkit/nn/transforms/crop.hpp"
#include "plifkit/nn/transforms/flip.hpp"
#include "plifkit/nn/transforms/image_batch.hpp"
#include "plifkit/nn/transforms/normalize.hpp"

namespace plifkit::nn {
namespace {

// The dataset's normalisation, after checking that `images` are its images.
const ImageNormalization& checked(Dataset dataset, const torch::Tensor& images, const char* what) {
  const auto& normalization = normalization_of(dataset);
  check_image_batch(images, what);
  const auto& f = row_of(dataset);
  if (images.scalar_type() != torch::kByte || images.size(1) != f.channels || images.size(2) != f.height ||
      images.size(3) != f.width) {
    std::ostringstream message;
    message << what << ": " << name_of_choice(dataset) << " images are uint8 [B, " << f.channels << ", "
            << f.height << ", " << f.width << "], got " << images.scalar_type() << " " << images.sizes();
    throw InputError(message.str());
  }
  return normalization;
}

}  // namespace

torch::Tensor train_transform(Dataset dataset, const torch::Tensor& images, at::Generator& generator) {
  const auto& normalization = checked(dataset, images, "train_transform");
  switch (row_of(dataset).augmentation) {
    case Augmentation::mnist_affine:
      return to_normalized_float(random_affine(images, generator, kMnistAffine), normalization);
    case Augmentation::crop_and_flip: {
      const auto cropped = random_crop_padded(images, generator, 4);
      return to_normalized_float(random_horizontal_flip(cropped, generator), normalization);
    }
    case Augmentation::none:
      break;
  }
  return to_normalized_float(images, normalization);
}

torch::Tensor eval_transform(Dataset dataset, const torch::Tensor& images) {
  return to_normalized_float(images, checked(dataset, images, "eval_transform"));
}

}  // namespace plifkit::nn
