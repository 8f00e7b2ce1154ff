// The fused multi-step neuron as one autograd operation, and its plain
// step-by-step counterpart (the reference the fused one is tested against and
// benchmarked with).
//
//   x:     [B, T, ...]  input current of every step (b-major, as the network
//                       keeps its activations)
//   k:     []  one decay for the layer, or [1, ...] one per neuron (the shape
//          of x without B and T, with a leading 1); k = sigmoid(w) for PLIF,
//          1/tau for LIF. Gradients flow to k when it requires them.
//   alpha: []  the ATan surrogate's alpha; learnable when it requires grad.
// Returns spikes with x's shape and dtype (0/1 values).
#pragma once

#include <torch/torch.h>

#include "plifkit/nn/neuron_kernels.hpp"

namespace plifkit::nn {

// Checks that k is [] or [1, ...x without B and T] and flattens it to [1] or [M].
torch::Tensor flat_decay(const torch::Tensor& x, const torch::Tensor& k);

// Fused (neuron_function.cpp): one pass over the sequence forward, one
// backward; memory O(T * x).
torch::Tensor neuron_multistep(const torch::Tensor& x, const torch::Tensor& k,
                               const torch::Tensor& alpha, const NeuronConstants& options);

// One step of the plain implementation (neuron_plain.cpp), built from LibTorch operations:
// charges v (the membrane after the previous step's reset, [B, ...]) with
// x_t, returns the spikes and replaces v by the membrane after reset.
torch::Tensor neuron_step_plain(const torch::Tensor& x_t, torch::Tensor& v, const torch::Tensor& k,
                                const torch::Tensor& alpha, const NeuronConstants& options);

// The plain implementation over a whole [B, T, ...] sequence.
torch::Tensor neuron_multistep_plain(const torch::Tensor& x, const torch::Tensor& k,
                                     const torch::Tensor& alpha, const NeuronConstants& options);

}  // namespace plifkit::nn
