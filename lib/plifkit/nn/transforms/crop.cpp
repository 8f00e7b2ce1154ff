#include "plifkit/nn/transforms/crop.hpp"

#include <sstream>

#include "plifkit/core/error.hpp"
#include "plifkit/nn/transforms/image_batch.hpp"

namespace plifkit::nn {

std::vector<CropOffset> draw_crop_offsets(int64_t batch, int64_t padding, at::Generator& generator) {
  if (generator.device().type() != c10::DeviceType::CPU)
    throw InputError("draw_crop_offsets: the generator must be a CPU generator");
  const auto drawn = at::randint(0, 2 * padding + 1, {batch, 2}, generator, torch::TensorOptions().dtype(torch::kLong));
  const auto a = drawn.accessor<int64_t, 2>();
  std::vector<CropOffset> offsets(static_cast<size_t>(batch));
  for (int64_t b = 0; b < batch; ++b) offsets[static_cast<size_t>(b)] = {a[b][0], a[b][1]};
  return offsets;
}

torch::Tensor crop_padded(const torch::Tensor& images, const std::vector<CropOffset>& offsets, int64_t padding) {
  check_image_batch(images, "crop_padded");
  const int64_t B = images.size(0), C = images.size(1), H = images.size(2), W = images.size(3);
  const int64_t padded_w = W + 2 * padding;
  std::ostringstream problem;
  if (padding < 0) problem << "padding must be >= 0, got " << padding;
  if (static_cast<int64_t>(offsets.size()) != B) problem << offsets.size() << " offsets for " << B << " images";
  for (const auto& o : offsets) {
    if (problem.tellp() > 0) break;
    if (o.top < 0 || o.top > 2 * padding || o.left < 0 || o.left > 2 * padding)
      problem << "offset (" << o.top << ", " << o.left << ") outside 0 .. " << 2 * padding;
  }
  if (problem.tellp() > 0) throw InputError("crop_padded: " + problem.str());

  // The window's first element in the flattened padded image, per image.
  std::vector<int64_t> starts;
  starts.reserve(offsets.size());
  for (const auto& o : offsets) starts.push_back(o.top * padded_w + o.left);
  const auto longs = torch::TensorOptions().dtype(torch::kLong);
  const auto device = images.device();
  const auto start = torch::tensor(starts, longs).to(device).view({B, 1, 1});
  const auto rows = torch::arange(H, longs.device(device)).view({1, H, 1});
  const auto cols = torch::arange(W, longs.device(device)).view({1, 1, W});
  const auto index = (start + rows * padded_w + cols).view({B, 1, H * W}).expand({B, C, H * W});
  const auto padded = at::constant_pad_nd(images, {padding, padding, padding, padding}, 0);
  return padded.reshape({B, C, -1}).gather(2, index).view({B, C, H, W});
}

torch::Tensor random_crop_padded(const torch::Tensor& images, at::Generator& generator, int64_t padding) {
  check_image_batch(images, "random_crop_padded");
  return crop_padded(images, draw_crop_offsets(images.size(0), padding, generator), padding);
}

}  // namespace plifkit::nn
