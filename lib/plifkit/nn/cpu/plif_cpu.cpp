#include "plifkit/nn/cpu/plif_cpu.hpp"

#include <ATen/Parallel.h>

#include <algorithm>

#include "plifkit/nn/cpu/neuron_block.hpp"

namespace plifkit::nn::cpu {

namespace {

// Neurons per work item: small enough that a block's state lives in L1,
// large enough to amortise the scheduling.
constexpr int64_t kBlock = 512;

template <typename S>
void forward_kernel(const S* x, const S* k, bool per_neuron_k, S* spikes, S* h_seq, int64_t B,
                    int64_t T, int64_t M, bool smooth, const neuron::Constants<S> c) {
  at::parallel_for(0, (M + kBlock - 1) / kBlock, 1, [&](int64_t first, int64_t last) {
    ForwardBlock<S> block(kBlock, smooth, h_seq != nullptr, c);
    for (int64_t blk = first; blk < last; ++blk) {
      const int64_t m0 = blk * kBlock;
      block.start_block(k, per_neuron_k, m0, std::min(kBlock, M - m0));
      for (int64_t b = 0; b < B; ++b) {
        block.start_sample();
        for (int64_t t = 0; t < T; ++t) {
          const int64_t row = (b * T + t) * M + m0;
          // The next row in memory is the next step's (or the next sample's first).
          NextForwardRows<S> next;
          if (b * T + t + 1 < B * T) next = {x + row + M, spikes + row + M, offset_or_null(h_seq, row + M)};
          block.step(x + row, spikes + row, offset_or_null(h_seq, row), next);
        }
      }
    }
  });
}

template <typename S>
void backward_kernel(const S* grad_spikes, const S* h_seq, const S* k, bool per_neuron_k,
                     S* grad_x, double* grad_k_m, double* grad_alpha_m, int64_t B, int64_t T,
                     int64_t M, bool smooth, bool detach, const neuron::Constants<S> c) {
  at::parallel_for(0, (M + kBlock - 1) / kBlock, 1, [&](int64_t first, int64_t last) {
    BackwardBlock<S> block(kBlock, smooth, detach, c);
    for (int64_t blk = first; blk < last; ++blk) {
      const int64_t m0 = blk * kBlock;
      block.start_block(k, per_neuron_k, m0, std::min(kBlock, M - m0));
      for (int64_t b = 0; b < B; ++b) {
        block.start_sample();
        for (int64_t t = T - 1; t >= 0; --t) {
          const int64_t row = (b * T + t) * M + m0;
          NextBackwardRows<S> next;
          if (t > 0) next = {t > 1 ? h_seq + row - 2 * M : nullptr, grad_spikes + row - M, grad_x + row - M};
          block.step(h_seq + row, t > 0 ? h_seq + row - M : nullptr, grad_spikes + row,
                     grad_x + row, next);
        }
        block.end_sample();
      }
      block.store(grad_k_m + m0, grad_alpha_m + m0);
    }
  });
}

void check_inputs(const torch::Tensor& x, const torch::Tensor& k, const char* x_name) {
  TORCH_CHECK(x.device().is_cpu(), x_name, " must be a CPU tensor");
  TORCH_CHECK(x.dim() == 3, x_name, " must be [B, T, M], got ", x.sizes());
  TORCH_CHECK(x.is_contiguous(), x_name, " must be contiguous");
  TORCH_CHECK(k.dim() == 1 && (k.size(0) == 1 || k.size(0) == x.size(2)),
              "k must be [1] or [M] with M = ", x.size(2), ", got ", k.sizes());
  TORCH_CHECK(k.scalar_type() == x.scalar_type(), "k must have ", x_name, "'s dtype");
}

template <typename S>
neuron::Constants<S> constants(const NeuronConstants& c, const torch::Tensor& alpha) {
  return neuron::Constants<S>{static_cast<S>(c.v_threshold), static_cast<S>(c.v_reset),
                              static_cast<S>(alpha.item<double>())};
}

}  // namespace

void sum_decay_and_alpha_grads(const torch::Tensor& grad_k_m, const torch::Tensor& grad_alpha_m,
                               bool per_neuron_k, torch::ScalarType dtype, NeuronBackward& out) {
  // Sequential sums in double: the same bits whatever the thread count.
  const int64_t M = grad_k_m.numel();
  const auto dbl = torch::TensorOptions().dtype(torch::kFloat64);
  const double* gkm = grad_k_m.data_ptr<double>();
  const double* gam = grad_alpha_m.data_ptr<double>();
  double alpha_total = 0.0;
  for (int64_t m = 0; m < M; ++m) alpha_total += gam[m];
  out.grad_alpha = torch::tensor(alpha_total, dbl).to(dtype);
  if (per_neuron_k) {
    out.grad_k = grad_k_m.to(dtype);
  } else {
    double k_total = 0.0;
    for (int64_t m = 0; m < M; ++m) k_total += gkm[m];
    out.grad_k = torch::full({1}, k_total, dbl).to(dtype);
  }
}

NeuronForward neuron_forward_cpu(const torch::Tensor& x, const torch::Tensor& k,
                                 const torch::Tensor& alpha, const NeuronConstants& constants_in,
                                 bool save_h) {
  const bool smooth_spike = constants_in.smooth_spike;
  check_inputs(x, k, "x");
  const torch::Tensor kc = k.contiguous();
  NeuronForward out;
  out.spikes = torch::empty_like(x);
  if (save_h) out.h_seq = torch::empty_like(x);
  if (x.numel() == 0) return out;
  AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "neuron_forward_cpu", [&] {
    const auto c = constants<scalar_t>(constants_in, alpha);
    auto* h = save_h ? out.h_seq.data_ptr<scalar_t>() : nullptr;
    forward_kernel<scalar_t>(x.data_ptr<scalar_t>(), kc.data_ptr<scalar_t>(), kc.size(0) > 1,
                             out.spikes.data_ptr<scalar_t>(), h, x.size(0), x.size(1), x.size(2),
                             smooth_spike, c);
  });
  return out;
}

NeuronBackward neuron_backward_cpu(const torch::Tensor& grad_spikes, const torch::Tensor& h_seq,
                                   const torch::Tensor& k, const torch::Tensor& alpha,
                                   const NeuronConstants& constants_in) {
  const bool detach_reset = constants_in.detach_reset;
  const bool smooth_spike = constants_in.smooth_spike;
  check_inputs(h_seq, k, "h_seq");
  TORCH_CHECK(grad_spikes.sizes() == h_seq.sizes(), "grad_spikes must match h_seq");
  const torch::Tensor gs = grad_spikes.contiguous().to(h_seq.scalar_type());
  const torch::Tensor kc = k.contiguous();
  const int64_t M = h_seq.size(2);
  NeuronBackward out;
  out.grad_x = torch::empty_like(h_seq);
  auto dbl = torch::TensorOptions().dtype(torch::kFloat64);
  torch::Tensor grad_k_m = torch::zeros({M}, dbl);
  torch::Tensor grad_alpha_m = torch::zeros({M}, dbl);
  if (h_seq.numel() > 0) {
    AT_DISPATCH_FLOATING_TYPES(h_seq.scalar_type(), "neuron_backward_cpu", [&] {
      const auto c = constants<scalar_t>(constants_in, alpha);
      backward_kernel<scalar_t>(gs.data_ptr<scalar_t>(), h_seq.data_ptr<scalar_t>(),
                                kc.data_ptr<scalar_t>(), kc.size(0) > 1,
                                out.grad_x.data_ptr<scalar_t>(), grad_k_m.data_ptr<double>(),
                                grad_alpha_m.data_ptr<double>(), h_seq.size(0), h_seq.size(1), M,
                                smooth_spike, detach_reset, c);
    });
  }
  sum_decay_and_alpha_grads(grad_k_m, grad_alpha_m, kc.size(0) > 1, h_seq.scalar_type(), out);
  return out;
}

}  // namespace plifkit::nn::cpu
