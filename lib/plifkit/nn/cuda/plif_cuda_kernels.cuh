// Launchers of the fused neuron kernels on CUDA, over raw device pointers, so
// they compile with nvcc alone (no CUDA-enabled Torch needed). Layouts are
// those of the CPU kernel (cpu/plif_cpu.hpp):
//   x, spikes, grad_spikes, grad_x: [B, T, M] in the input type In
//     (float, __half or __nv_bfloat16); h_seq: [B, T, M] float32;
//   k: [M] or [1] float32; alpha: [1] float32 on the device, so a learnable
//   alpha needs no copy to the host (constants.alpha is ignored).
// Forward: one thread per (b, m) runs the T steps in registers; consecutive
// threads read consecutive neurons, so every access is coalesced.
// Backward: the batch is cut into G = backward_batch_groups(B, M) groups of
// consecutive samples; one thread per (group g, neuron m) runs its samples
// and t = T-1..0 and writes its own sums of dL/dk and dL/dalpha at [g, m] of
// the [G, M] partials (no atomics). G is 1 for wide layers (conv: millions
// of neurons) and up to B for narrow ones (fc: 110 or 512 neurons, which one
// thread per neuron would serialise over B*T steps). The caller reduces the
// partials in a fixed order: over g for a per-neuron k, over everything for
// a per-layer k and for alpha.
#pragma once

#include <cuda_runtime.h>

#include <cstdint>

#include "plifkit/nn/neuron_math.hpp"

namespace plifkit::nn::cuda {

template <typename In>
cudaError_t launch_neuron_forward(const In* x, const float* k, bool per_neuron_k,
                                  const float* alpha, In* spikes, float* h_seq, int64_t B, int64_t T, int64_t M,
                                  const neuron::Constants<float>& constants, bool smooth_spike,
                                  cudaStream_t stream);

// Rows G of the backward's partial sums for a [B, T, M] input (a function
// of the shape alone, so a given shape always sums in the same order).
int64_t backward_batch_groups(int64_t B, int64_t M);

template <typename In>
cudaError_t launch_neuron_backward(const In* grad_spikes, const float* h_seq, const float* k,
                                   bool per_neuron_k, const float* alpha, In* grad_x, float* grad_k_partials,
                                   float* grad_alpha_partials, int64_t B, int64_t T, int64_t M,
                                   const neuron::Constants<float>& constants, bool detach_reset,
                                   bool smooth_spike, cudaStream_t stream);

}  // namespace plifkit::nn::cuda
