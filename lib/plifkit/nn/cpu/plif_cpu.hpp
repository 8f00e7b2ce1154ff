// Fused multi-step neuron kernels on the CPU. All tensors are contiguous:
//   x, spikes, h_seq, grad_spikes, grad_x: [B, T, M]   (sample, step, neuron)
//   k: [M] (one decay per neuron) or [1] (one per layer)
// The forward runs the T-step recurrence per element and keeps only h_t (the
// membrane after charging) for the backward, which recomputes spikes and
// reset voltages from it. Work is split over blocks of neurons; within a
// block the loop runs over b, then t, then the neurons, so the innermost loop
// is contiguous and vectorises. Every reduction (over b, and over neurons for
// a scalar k) runs in a fixed order: results do not depend on thread count.
#pragma once

#include <torch/torch.h>

#include "plifkit/nn/neuron_kernels.hpp"
#include "plifkit/nn/neuron_math.hpp"

namespace plifkit::nn::cpu {

// The signatures of cuda/plif_cuda.hpp. k in x's (float32 or float64)
// dtype; alpha is read once on the host.
NeuronForward neuron_forward_cpu(const torch::Tensor& x, const torch::Tensor& k,
                                 const torch::Tensor& alpha, const NeuronConstants& constants,
                                 bool save_h);

NeuronBackward neuron_backward_cpu(const torch::Tensor& grad_spikes, const torch::Tensor& h_seq,
                                   const torch::Tensor& k, const torch::Tensor& alpha,
                                   const NeuronConstants& constants);

// Fills out.grad_k and out.grad_alpha (in dtype) from the per-neuron double
// sums [M] of a backward kernel: grad_k per neuron, or both summed over the
// neurons in index order, so the result does not depend on the thread count.
void sum_decay_and_alpha_grads(const torch::Tensor& grad_k_m, const torch::Tensor& grad_alpha_m,
                               bool per_neuron_k, torch::ScalarType dtype, NeuronBackward& out);

}  // namespace plifkit::nn::cpu
