#include "plifkit/nn/transforms/flip.hpp"

#include <sstream>

#include "plifkit/core/error.hpp"
#include "plifkit/nn/transforms/image_batch.hpp"

namespace plifkit::nn {

std::vector<uint8_t> draw_flips(int64_t batch, at::Generator& generator) {
  if (generator.device().type() != c10::DeviceType::CPU)
    throw InputError("draw_flips: the generator must be a CPU generator");
  const auto u = at::rand({batch}, generator, torch::TensorOptions().dtype(torch::kDouble));
  const auto a = u.accessor<double, 1>();
  std::vector<uint8_t> flips(static_cast<size_t>(batch));
  for (int64_t b = 0; b < batch; ++b) flips[static_cast<size_t>(b)] = a[b] < 0.5 ? 1 : 0;
  return flips;
}

torch::Tensor horizontal_flip_where(const torch::Tensor& images, const std::vector<uint8_t>& flips) {
  check_image_batch(images, "horizontal_flip_where");
  const int64_t B = images.size(0);
  if (static_cast<int64_t>(flips.size()) != B) {
    std::ostringstream message;
    message << "horizontal_flip_where: " << flips.size() << " flips for " << B << " images";
    throw InputError(message.str());
  }
  const auto mask = torch::tensor(at::ArrayRef<uint8_t>(flips)).to(images.device()).ne(0).view({B, 1, 1, 1});
  return torch::where(mask, images.flip({3}), images);
}

torch::Tensor random_horizontal_flip(const torch::Tensor& images, at::Generator& generator) {
  check_image_batch(images, "random_horizontal_flip");
  return horizontal_flip_where(images, draw_flips(images.size(0), generator));
}

}  // namespace plifkit::nn
