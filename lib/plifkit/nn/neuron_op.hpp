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

namespace plifkit::nn {

struct NeuronOptions {
  double v_threshold = 1.0;
  double v_reset = 0.0;
  bool detach_reset = false;
  // Fire with the smooth ATan primitive instead of the step: only for
  // checking gradients against finite differences.
  bool smooth_spike = false;
};

// Fused: one pass over the sequence forward, one backward; memory O(T * x).
torch::Tensor neuron_multistep(const torch::Tensor& x, const torch::Tensor& k,
                               const torch::Tensor& alpha, const NeuronOptions& options);

// Checks that k is [] or [1, ...] matching x [B, T, ...] without B and T,
// and returns it flattened to [1] or [M].
torch::Tensor flat_decay(const torch::Tensor& x, const torch::Tensor& k);

// One step of the plain implementation, built from LibTorch operations:
// charges v (the membrane after the previous step's reset, [B, ...]) with
// x_t, returns the spikes and replaces v by the membrane after reset.
torch::Tensor neuron_step_plain(const torch::Tensor& x_t, torch::Tensor& v, const torch::Tensor& k,
                                const torch::Tensor& alpha, const NeuronOptions& options);

// The plain implementation over a whole [B, T, ...] sequence.
torch::Tensor neuron_multistep_plain(const torch::Tensor& x, const torch::Tensor& k,
                                     const torch::Tensor& alpha, const NeuronOptions& options);

}  // namespace plifkit::nn
