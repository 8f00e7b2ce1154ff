#include "plifkit/nn/transforms/image_batch.hpp"

#include <sstream>

#include "plifkit/core/error.hpp"

namespace plifkit::nn {

void check_image_batch(const torch::Tensor& images, const char* what) {
  if (images.dim() == 4 && images.numel() > 0) return;
  std::ostringstream message;
  message << what << ": images must be [B, C, H, W] with no empty dimension, got " << images.sizes();
  throw InputError(message.str());
}

}  // namespace plifkit::nn
