#include "plifkit/nn/neuron_pool_op.hpp"

#include <ATen/record_function.h>

#include "plifkit/nn/cpu/plif_pool_cpu.hpp"
#include "plifkit/nn/neuron_kernels.hpp"

namespace plifkit::nn {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

struct Shape {
  int64_t B, T, C, H, W;
  int64_t Hp() const { return H / 2; }
  int64_t Wp() const { return W / 2; }
};

bool one_kernel(const torch::Tensor& x, const Shape& s) { return x.device().is_cpu() && s.H % 2 == 0; }

// Kernels elsewhere: the neuron kernel, then max_pool2d on its spikes,
// keeping for the backward the position (0..3, row-major) of each window's
// argmax instead of max_pool2d's int64 indices.
struct TwoStepForward {
  torch::Tensor pooled;    // [B * T, C, Hp, Wp]
  torch::Tensor position;  // [B * T, C, Hp, Wp] uint8; undefined without grad
};

TwoStepForward two_step_forward(const torch::Tensor& x3, const torch::Tensor& k1,
                                const torch::Tensor& alpha, const NeuronConstants& c,
                                const Shape& s, bool needs_grad, torch::Tensor& h_seq) {
  NeuronForward n = neuron_forward(x3, k1, alpha, c, needs_grad);
  h_seq = n.h_seq;
  auto [pooled, index] =
      at::max_pool2d_with_indices(n.spikes.view({s.B * s.T, s.C, s.H, s.W}), {2, 2}, {2, 2});
  TwoStepForward out{pooled, {}};
  if (needs_grad)  // index = y * W + x within the plane; the window's own row and column parity
    out.position = (index.div(s.W, "floor").remainder(2) * 2 + index.remainder(s.W).remainder(2))
                       .to(torch::kUInt8);
  return out;
}

// max_pool2d's backward from the kept positions: each pooled gradient added
// to the zero gradient of its argmax, then the neuron's backward.
NeuronBackward two_step_backward(const torch::Tensor& grad_pooled, const torch::Tensor& position,
                                 const torch::Tensor& h_seq, const torch::Tensor& k1,
                                 const torch::Tensor& alpha, const NeuronConstants& c,
                                 const Shape& s) {
  const auto index_options = torch::TensorOptions().dtype(torch::kInt64).device(h_seq.device());
  const torch::Tensor top_left = (torch::arange(s.Hp(), index_options) * (2 * s.W)).view({-1, 1}) +
                                 torch::arange(s.Wp(), index_options) * 2;  // [Hp, Wp]
  const torch::Tensor p = position.to(torch::kInt64);
  const torch::Tensor index = top_left + torch::floor_divide(p, 2) * s.W + p.remainder(2);
  const int64_t planes = s.B * s.T * s.C;
  torch::Tensor grad_spikes = torch::zeros({planes, s.H * s.W}, h_seq.options());
  grad_spikes.scatter_add_(1, index.reshape({planes, -1}),
                           grad_pooled.reshape({planes, -1}).to(h_seq.scalar_type()));
  return neuron_backward(grad_spikes.view(h_seq.sizes()), h_seq, k1, alpha, c);
}

// x3: [B, T, C * H * W] contiguous; k1: [1] or [M]; alpha: [].
class FusedNeuronPoolFunction : public torch::autograd::Function<FusedNeuronPoolFunction> {
 public:
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x3,
                               const torch::Tensor& k1, const torch::Tensor& alpha,
                               std::vector<int64_t> shape, double v_threshold, double v_reset,
                               bool detach_reset, bool smooth_spike, bool needs_grad) {
    const NeuronConstants c{v_threshold, v_reset, detach_reset, smooth_spike};
    // Named for profilers (custom functions' forwards are not recorded by
    // autograd; their backward nodes are, under the class's name).
    RECORD_FUNCTION("plifkit::neuron_pool", std::vector<c10::IValue>({x3}));
    const Shape s{shape[0], shape[1], shape[2], shape[3], shape[4]};
    torch::Tensor pooled, h_seq, position;
    if (one_kernel(x3, s)) {
      auto out = cpu::neuron_pool_forward_cpu(x3, k1.to(x3.scalar_type()), s.C, s.H, s.W, c,
                                              alpha.item<double>(), needs_grad);
      pooled = out.pooled;
      h_seq = out.h_seq;
    } else {
      auto out = two_step_forward(x3, k1, alpha, c, s, needs_grad, h_seq);
      pooled = out.pooled;
      position = out.position;
    }
    if (needs_grad) {
      ctx->save_for_backward({h_seq, k1, alpha, position});
      ctx->saved_data["shape"] = shape;
      ctx->saved_data["v_threshold"] = v_threshold;
      ctx->saved_data["v_reset"] = v_reset;
      ctx->saved_data["detach_reset"] = detach_reset;
      ctx->saved_data["smooth_spike"] = smooth_spike;
    }
    return pooled.view({s.B, s.T, s.C, s.Hp(), s.Wp()});
  }

  static tensor_list backward(AutogradContext* ctx, tensor_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    const auto shape = ctx->saved_data["shape"].toIntVector();
    const Shape s{shape[0], shape[1], shape[2], shape[3], shape[4]};
    const NeuronConstants c{ctx->saved_data["v_threshold"].toDouble(),
                            ctx->saved_data["v_reset"].toDouble(),
                            ctx->saved_data["detach_reset"].toBool(),
                            ctx->saved_data["smooth_spike"].toBool()};
    const torch::Tensor& h_seq = saved[0];
    const torch::Tensor& k1 = saved[1];
    const torch::Tensor& alpha = saved[2];
    NeuronBackward g;
    if (one_kernel(h_seq, s)) {
      const torch::Tensor grad = grad_outputs[0].reshape({s.B, s.T, -1});
      g = cpu::neuron_pool_backward_cpu(grad, h_seq, k1.to(h_seq.scalar_type()), s.C, s.H, s.W, c,
                                        alpha.item<double>());
      g.grad_k = g.grad_k.to(k1.scalar_type());
      g.grad_alpha = g.grad_alpha.to(alpha.scalar_type());
    } else {
      g = two_step_backward(grad_outputs[0], saved[3], h_seq, k1, alpha, c, s);
    }
    return {g.grad_x, g.grad_k, g.grad_alpha, torch::Tensor(), torch::Tensor(),
            torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor neuron_max_pool(const torch::Tensor& x, const torch::Tensor& k,
                              const torch::Tensor& alpha, const NeuronConstants& options) {
  TORCH_CHECK(x.dim() == 5 && x.size(3) >= 2 && x.size(4) >= 2,
              "x must be [B, T, C, H, W] with H, W >= 2, got ", x.sizes());
  const torch::Tensor k1 = flat_decay(x, k);
  const torch::Tensor x3 = x.reshape({x.size(0), x.size(1), -1}).contiguous();
  // As neuron_multistep: grad mode is off inside forward, so decide here.
  const bool needs_grad = torch::GradMode::is_enabled() &&
                          (x.requires_grad() || k.requires_grad() || alpha.requires_grad());
  return FusedNeuronPoolFunction::apply(x3, k1, alpha, x.sizes().vec(), options.v_threshold,
                                        options.v_reset, options.detach_reset,
                                        options.smooth_spike, needs_grad);
}

}  // namespace plifkit::nn
