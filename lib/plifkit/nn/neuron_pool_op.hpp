// The fused multi-step neuron followed by 2x2 max pooling (stride 2, floor
// mode) as one autograd operation: max_pool2d(neuron_multistep(x)) with the
// same values and gradients, but autograd keeps only the membrane h_t of
// every element (4 bytes), not the full-resolution spikes (4 bytes) and
// max_pool2d's int64 indices (2 bytes per element).
//
//   x:     [B, T, C, H, W]  input current (b-major), H and W >= 2
//   k, alpha, options: as neuron_multistep (k [] or [1, C, H, W])
// Returns the pooled spikes [B, T, C, H / 2, W / 2] in x's dtype.
//
// On the CPU with an even H, one kernel pair (cpu/plif_pool_cpu) does both
// and recomputes each window's argmax from h_t in the backward. Elsewhere
// (CUDA, odd H) the neuron kernels run as they are and the argmax's position
// within its window is kept as one byte per pooled element.
#pragma once

#include <torch/torch.h>

#include "plifkit/nn/neuron_op.hpp"

namespace plifkit::nn {

torch::Tensor neuron_max_pool(const torch::Tensor& x, const torch::Tensor& k,
                              const torch::Tensor& alpha, const NeuronConstants& options);

}  // namespace plifkit::nn
