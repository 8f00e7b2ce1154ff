#include "plifkit/nn/mixed_precision.hpp"

#include <ATen/autocast_mode.h>

#include "plifkit/core/error.hpp"

// Torch 2.4 replaced the CUDA-only autocast switches by per-device ones.
#if defined(PLIFKIT_TORCH_VERSION_MAJOR) && \
    (PLIFKIT_TORCH_VERSION_MAJOR > 2 ||     \
     (PLIFKIT_TORCH_VERSION_MAJOR == 2 && PLIFKIT_TORCH_VERSION_MINOR >= 4))
#define PLIFKIT_AUTOCAST_PER_DEVICE 1
#endif

namespace plifkit::nn {

namespace {

constexpr double kInitialScale = 65536.0;
constexpr double kGrowthFactor = 2.0;
constexpr double kBackoffFactor = 0.5;
constexpr int64_t kGrowthInterval = 2000;

bool cuda_autocast_enabled() {
#ifdef PLIFKIT_AUTOCAST_PER_DEVICE
  return at::autocast::is_autocast_enabled(at::kCUDA);
#else
  return at::autocast::is_enabled();
#endif
}

void set_cuda_autocast(bool enabled, at::ScalarType type) {
#ifdef PLIFKIT_AUTOCAST_PER_DEVICE
  at::autocast::set_autocast_dtype(at::kCUDA, type);
  at::autocast::set_autocast_enabled(at::kCUDA, enabled);
#else
  at::autocast::set_autocast_gpu_dtype(type);
  at::autocast::set_enabled(enabled);
#endif
}

}  // namespace

AutocastGuard::AutocastGuard(Amp amp) : active_(amp != Amp::off) {
  if (!active_) return;
  was_enabled_ = cuda_autocast_enabled();
  set_cuda_autocast(true, amp == Amp::bf16 ? at::kBFloat16 : at::kHalf);
}

AutocastGuard::~AutocastGuard() {
  if (!active_) return;
  set_cuda_autocast(was_enabled_, at::kHalf);
  // The casts of the weights cached during the forward pass.
  at::autocast::clear_cache();
}

LossScaler::LossScaler(bool enabled, const torch::Device& device) : enabled_(enabled) {
  if (!enabled_) return;
  const auto f32 = torch::TensorOptions().dtype(torch::kFloat32).device(device);
  scale_ = torch::full({1}, kInitialScale, f32);
  growth_tracker_ = torch::zeros({1}, f32.dtype(torch::kInt32));
  found_inf_ = torch::zeros({1}, f32);
}

torch::Tensor LossScaler::scale(const torch::Tensor& loss) const {
  return enabled_ ? loss * scale_ : loss;
}

bool LossScaler::unscale(const std::vector<torch::Tensor>& parameters) {
  if (!enabled_) return true;
  std::vector<torch::Tensor> grads;
  for (const auto& p : parameters)
    if (p.grad().defined()) grads.push_back(p.grad());
  found_inf_.zero_();
  at::_amp_foreach_non_finite_check_and_unscale_(grads, found_inf_, scale_.reciprocal());
  return found_inf_.item<float>() == 0.0f;
}

void LossScaler::update() {
  if (!enabled_) return;
  at::_amp_update_scale_(scale_, growth_tracker_, found_inf_, kGrowthFactor, kBackoffFactor,
                         kGrowthInterval);
}

double LossScaler::current_scale() const { return enabled_ ? scale_.item<double>() : 1.0; }

int64_t LossScaler::growth_tracker() const {
  return enabled_ ? growth_tracker_.item<int64_t>() : 0;
}

void LossScaler::restore(double scale, int64_t growth_tracker) {
  if (!enabled_) return;
  scale_.fill_(scale);
  growth_tracker_.fill_(growth_tracker);
}

}  // namespace plifkit::nn
