// Launchers of the fused neuron kernels on CUDA, over raw device pointers, so
// they compile with nvcc alone (no CUDA-enabled Torch needed). Layouts are
// those of the CPU kernel (cpu/plif_cpu.hpp):
//   x, spikes, grad_spikes, grad_x: [B, T, M] in the input type In
//     (float, __half or __nv_bfloat16); h_seq: [B, T, M] float32;
//   k: [M] or [1] float32; alpha: [1] float32 on the device, so a learnable
//   alpha needs no copy to the host (constants.alpha is ignored).
// Forward: one thread per (b, m) runs the T steps in registers; consecutive
// threads read consecutive neurons, so every access is coalesced.
// Backward: one thread per neuron m runs b = 0..B-1 and t = T-1..0 and writes
// its own sums of dL/dk and dL/dalpha (no atomics); the caller reduces those
// [M] partials (in a fixed order) for a per-layer k and for alpha.
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

template <typename In>
cudaError_t launch_neuron_backward(const In* grad_spikes, const float* h_seq, const float* k,
                                   bool per_neuron_k, const float* alpha, In* grad_x, float* grad_k_per_neuron,
                                   float* grad_alpha_per_neuron, int64_t B, int64_t T, int64_t M,
                                   const neuron::Constants<float>& constants, bool detach_reset,
                                   bool smooth_spike, cudaStream_t stream);

}  // namespace plifkit::nn::cuda
