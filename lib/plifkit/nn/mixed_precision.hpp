// --amp: the convolutions and linear layers in bfloat16 or float16 on CUDA
// (Torch's autocast), the neuron state and the loss in float32. float16
// needs its loss scaled so small gradients survive; bfloat16 does not.
#pragma once

#include <torch/torch.h>

#include "plifkit/config/choices.hpp"

namespace plifkit::nn {

// Autocast on the CUDA device for the guard's lifetime (no-op for Amp::off).
class AutocastGuard {
 public:
  explicit AutocastGuard(Amp amp);
  ~AutocastGuard();
  AutocastGuard(const AutocastGuard&) = delete;
  AutocastGuard& operator=(const AutocastGuard&) = delete;

 private:
  bool active_ = false;
  bool was_enabled_ = false;
};

// Dynamic loss scaling as PyTorch's GradScaler does it (initial scale 2^16,
// halved on an overflow, doubled after 2000 clean steps); a pass-through
// unless enabled. Its state is part of the checkpoint for an exact resume.
class LossScaler {
 public:
  LossScaler(bool enabled, const torch::Device& device);

  bool enabled() const { return enabled_; }
  torch::Tensor scale(const torch::Tensor& loss) const;
  // Unscales the gradients in place and says whether they are all finite
  // (then the optimizer steps; else the step is skipped). Reads one flag
  // from the device.
  bool unscale(const std::vector<torch::Tensor>& parameters);
  // Adjusts the scale after the step's unscale.
  void update();

  double current_scale() const;
  int64_t growth_tracker() const;
  void restore(double scale, int64_t growth_tracker);

 private:
  bool enabled_;
  torch::Tensor scale_;           // [1] float32 on the device
  torch::Tensor growth_tracker_;  // [1] int32 on the device
  torch::Tensor found_inf_;       // [1] float32 on the device
};

}  // namespace plifkit::nn
