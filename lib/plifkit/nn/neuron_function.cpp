// The fused multi-step neuron as one autograd operation: the kernels of
// neuron_kernels.hpp forward and backward, state kept as h_t only.
#include "plifkit/nn/neuron_op.hpp"

#include <ATen/record_function.h>

#include "plifkit/nn/neuron_kernels.hpp"

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
    // Named for profilers (custom functions' forwards are not recorded by
    // autograd; their backward nodes are, under the class's name).
    RECORD_FUNCTION("plifkit::neuron", std::vector<c10::IValue>({x3}));
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

}  // namespace

// Checks the k / x shape contract and flattens k to [1] or [M].
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
                               const torch::Tensor& alpha, const NeuronConstants& options) {
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

}  // namespace plifkit::nn
