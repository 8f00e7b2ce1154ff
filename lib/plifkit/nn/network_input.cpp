#include "plifkit/nn/network_input.hpp"

#include "plifkit/nn/device.hpp"
#include "plifkit/nn/transforms/image_transforms.hpp"

namespace plifkit::nn {

torch::Tensor network_input(const SampleStore& store, const std::vector<int64_t>& positions,
                            const torch::Device& device, const InputOptions& options) {
  if (!store.holds_images()) {
    torch::Tensor frames = store.frames(positions);
    return frames.device() == device ? frames : upload(frames, device);
  }
  torch::Tensor images = store.images(positions);
  if (images.device() != device) images = upload(images, device);
  const torch::Tensor x = options.augment != nullptr
                              ? train_transform(options.dataset, images, *options.augment)
                              : eval_transform(options.dataset, images);
  return x.unsqueeze(1).expand({x.size(0), options.T, x.size(1), x.size(2), x.size(3)});
}

}  // namespace plifkit::nn
