#include "plifkit/nn/transforms/normalize.hpp"

#include <sstream>

#include "plifkit/core/error.hpp"
#include "plifkit/nn/transforms/image_batch.hpp"

namespace plifkit::nn {

const ImageNormalization& normalization_of(Dataset dataset) {
  const DatasetRow& row = row_of(dataset);
  if (row.kind != InputKind::images)
    throw InputError("normalization_of: " + std::string(name_of_choice(dataset)) +
                     " is not an image dataset");
  return row.statistics;
}

torch::Tensor to_normalized_float(const torch::Tensor& images, const ImageNormalization& normalization) {
  check_image_batch(images, "to_normalized_float");
  const auto channels = static_cast<size_t>(images.size(1));
  std::ostringstream problem;
  if (images.scalar_type() != torch::kByte) problem << "images must be uint8, got " << images.scalar_type();
  else if (normalization.mean.size() != channels || normalization.std.size() != channels)
    problem << normalization.mean.size() << " means and " << normalization.std.size() << " stds for "
            << channels << " channels";
  if (problem.tellp() > 0) throw InputError("to_normalized_float: " + problem.str());

  // torch.as_tensor(mean, dtype=float32): each double rounded to float.
  const auto per_channel = [&](const std::vector<double>& v) {
    return torch::tensor(v, torch::kDouble).to(torch::kFloat).to(images.device()).view({1, -1, 1, 1});
  };
  return images.to(torch::kFloat).div(255).sub(per_channel(normalization.mean)).div(per_channel(normalization.std));
}

}  // namespace plifkit::nn
