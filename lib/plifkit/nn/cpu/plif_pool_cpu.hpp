// The fused multi-step neuron followed by 2x2 max pooling (stride 2), on the
// CPU, as one forward and one backward kernel. Tensors are contiguous:
//   x, h_seq, grad_x:       [B, T, M] with M = C * H * W  (neurons c, y, x)
//   pooled, grad_pooled:    [B, T, C * (H / 2) * (W / 2)]
//   k: [M] (per neuron) or [1] (per layer)
// H must be even (the caller pools odd heights another way); an odd W drops
// the last column, as max_pool2d's floor mode does.
//
// The forward writes only the pooled spikes and the membrane h_t: the
// full-resolution spikes never reach memory. The backward recomputes each
// window's spikes from h_t and routes the pooled gradient to the window's
// argmax exactly as max_pool2d's backward does (the first maximum in
// row-major order within the window, a NaN winning), then runs the neuron's
// backward. Per-element arithmetic and the order of every reduction are
// those of plif_cpu's kernels, so the results equal, bit for bit, the fused
// neuron followed by max_pool2d.
#pragma once

#include <torch/torch.h>

#include "plifkit/nn/neuron_kernels.hpp"

namespace plifkit::nn::cpu {

struct NeuronPoolForward {
  torch::Tensor pooled;  // [B, T, C * (H / 2) * (W / 2)], x's dtype
  torch::Tensor h_seq;   // [B, T, M]; undefined when save_h is false
};

NeuronPoolForward neuron_pool_forward_cpu(const torch::Tensor& x, const torch::Tensor& k,
                                          int64_t C, int64_t H, int64_t W,
                                          const NeuronConstants& constants, double alpha,
                                          bool save_h);

NeuronBackward neuron_pool_backward_cpu(const torch::Tensor& grad_pooled,
                                        const torch::Tensor& h_seq, const torch::Tensor& k,
                                        int64_t C, int64_t H, int64_t W,
                                        const NeuronConstants& constants, double alpha);

}  // namespace plifkit::nn::cpu
