// The plain neuron: one step at a time from LibTorch operations, as the
// reference computes it; the specification the fused operation is tested
// against, and the plain execution of the network.
#include "plifkit/nn/neuron_op.hpp"

#include "plifkit/core/math_constants.hpp"

namespace plifkit::nn {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

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
    const auto a = (kPi / 2) * alpha * u;
    const auto denom = 2 * (1 + a * a);
    const auto grad_u = grad_outputs[0] * alpha / denom;
    const auto grad_alpha = (grad_outputs[0] * u / denom).sum();
    return {grad_u, grad_alpha};
  }
};

}  // namespace

torch::Tensor neuron_step_plain(const torch::Tensor& x_t, torch::Tensor& v, const torch::Tensor& k,
                                const torch::Tensor& alpha, const NeuronConstants& options) {
  // Per-neuron k is [1, ...] and broadcasts over the batch as it is.
  const torch::Tensor h = v + (x_t - (v - options.v_reset)) * k;
  const torch::Tensor u = h - options.v_threshold;
  torch::Tensor s;
  if (options.smooth_spike) {
    s = torch::atan((kPi / 2) * alpha * u) / kPi + 0.5;
  } else {
    s = SurrogateSpike::apply(u, alpha);
  }
  const torch::Tensor s_reset = options.detach_reset ? s.detach() : s;
  v = h * (1 - s_reset) + options.v_reset * s_reset;
  return s;
}

torch::Tensor neuron_multistep_plain(const torch::Tensor& x, const torch::Tensor& k,
                                     const torch::Tensor& alpha, const NeuronConstants& options) {
  flat_decay(x, k);
  torch::Tensor v = torch::full_like(x.select(1, 0), options.v_reset);
  std::vector<torch::Tensor> spikes;
  for (int64_t t = 0; t < x.size(1); ++t)
    spikes.push_back(neuron_step_plain(x.select(1, t), v, k, alpha, options));
  return torch::stack(spikes, 1);
}

}  // namespace plifkit::nn
