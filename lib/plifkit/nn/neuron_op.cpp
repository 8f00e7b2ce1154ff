#include "plifkit/nn/neuron_op.hpp"

#include <cmath>

#include "plifkit/nn/neuron_kernels.hpp"
#include "plifkit/nn/neuron_math.hpp"

namespace plifkit::nn {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

// x3: [B, T, M] contiguous; k1: [1] or [M]; alpha: [].
class FusedNeuronFunction : public torch::autograd::Function<FusedNeuronFunction> {
 public:
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x3,
                               const torch::Tensor& k1, const torch::Tensor& alpha,
                               double v_threshold, double v_reset, bool detach_reset,
                               bool smooth_spike, bool needs_grad) {
    const NeuronConstants c{v_threshold, v_reset, detach_reset, smooth_spike};
    auto out = neuron_forward(x3, k1, alpha, c, needs_grad);
    if (needs_grad) {
      ctx->save_for_backward({out.h_seq, k1, alpha});
      ctx->saved_data["v_threshold"] = v_threshold;
      ctx->saved_data["v_reset"] = v_reset;
      ctx->saved_data["detach_reset"] = static_cast<int64_t>(detach_reset);
      ctx->saved_data["smooth_spike"] = static_cast<int64_t>(smooth_spike);
    }
    return out.spikes;
  }

  static tensor_list backward(AutogradContext* ctx, tensor_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    const NeuronConstants c{ctx->saved_data["v_threshold"].toDouble(),
                            ctx->saved_data["v_reset"].toDouble(),
                            ctx->saved_data["detach_reset"].toInt() != 0,
                            ctx->saved_data["smooth_spike"].toInt() != 0};
    auto g = neuron_backward(grad_outputs[0], saved[0], saved[1], saved[2], c);
    return {g.grad_x, g.grad_k, g.grad_alpha,
            torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

// The ATan surrogate spike: the step forward, g'(u) backward, for the plain path.
class SurrogateSpike : public torch::autograd::Function<SurrogateSpike> {
 public:
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& u,
                               const torch::Tensor& alpha) {
    ctx->save_for_backward({u, alpha});
    return (u >= 0).to(u.scalar_type());
  }
  static tensor_list backward(AutogradContext* ctx, tensor_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor& u = saved[0];
    const torch::Tensor& alpha = saved[1];
    const auto a = (neuron::kPi / 2) * alpha * u;
    const auto denom = 2 * (1 + a * a);
    const auto grad_u = grad_outputs[0] * alpha / denom;
    const auto grad_alpha = (grad_outputs[0] * u / denom).sum();
    return {grad_u, grad_alpha};
  }
};

}  // namespace

torch::Tensor flat_decay(const torch::Tensor& x, const torch::Tensor& k) {
  TORCH_CHECK(x.dim() >= 2, "x must be [B, T, ...], got ", x.sizes());
  if (k.numel() == 1 && k.dim() == 0) return k.reshape({1});
  TORCH_CHECK(k.dim() == x.dim() - 1 && k.size(0) == 1 &&
                  k.sizes().slice(1) == x.sizes().slice(2),
              "per-neuron k must be [1, ...] matching x without B and T; k ", k.sizes(), ", x ",
              x.sizes());
  return k.reshape({-1});
}

torch::Tensor neuron_multistep(const torch::Tensor& x, const torch::Tensor& k,
                               const torch::Tensor& alpha, const NeuronOptions& options) {
  const torch::Tensor k1 = flat_decay(x, k);
  const torch::Tensor x3 = x.reshape({x.size(0), x.size(1), -1}).contiguous();
  // Autograd switches grad mode off inside forward, so decide here whether
  // the backward's state must be kept (not in evaluation).
  const bool needs_grad = torch::GradMode::is_enabled() &&
                          (x.requires_grad() || k.requires_grad() || alpha.requires_grad());
  const torch::Tensor spikes =
      FusedNeuronFunction::apply(x3, k1, alpha, options.v_threshold, options.v_reset,
                                 options.detach_reset, options.smooth_spike, needs_grad);
  return spikes.view(x.sizes());
}

torch::Tensor neuron_step_plain(const torch::Tensor& x_t, torch::Tensor& v, const torch::Tensor& k,
                                const torch::Tensor& alpha, const NeuronOptions& options) {
  // Per-neuron k is [1, ...] and broadcasts over the batch as it is.
  const torch::Tensor h = v + (x_t - (v - options.v_reset)) * k;
  const torch::Tensor u = h - options.v_threshold;
  torch::Tensor s;
  if (options.smooth_spike) {
    s = torch::atan((neuron::kPi / 2) * alpha * u) / neuron::kPi + 0.5;
  } else {
    s = SurrogateSpike::apply(u, alpha);
  }
  const torch::Tensor s_reset = options.detach_reset ? s.detach() : s;
  v = h * (1 - s_reset) + options.v_reset * s_reset;
  return s;
}

torch::Tensor neuron_multistep_plain(const torch::Tensor& x, const torch::Tensor& k,
                                     const torch::Tensor& alpha, const NeuronOptions& options) {
  flat_decay(x, k);
  torch::Tensor v = torch::full_like(x.select(1, 0), options.v_reset);
  std::vector<torch::Tensor> spikes;
  for (int64_t t = 0; t < x.size(1); ++t)
    spikes.push_back(neuron_step_plain(x.select(1, t), v, k, alpha, options));
  return torch::stack(spikes, 1);
}

}  // namespace plifkit::nn
