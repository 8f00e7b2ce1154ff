// The fused neuron kernels behind one interface, whichever device the
// tensors live on: the CPU kernel (cpu/plif_cpu) or, in a CUDA build, the GPU
// kernel (cuda/plif_cuda). Tensors are contiguous [B, T, M] (x, spikes,
// h_seq, gradients); k is [1] (per layer) or [M] (per neuron); alpha is [].
#pragma once

#include <torch/torch.h>

namespace plifkit::nn {

struct NeuronForward {
  torch::Tensor spikes;  // [B, T, M], x's dtype
  torch::Tensor h_seq;   // [B, T, M]; undefined when save_h is false
};

struct NeuronBackward {
  torch::Tensor grad_x;      // [B, T, M]
  torch::Tensor grad_k;      // k's shape: [M] summed over b, or [1] summed over all
  torch::Tensor grad_alpha;  // [] summed over everything
};

// The neuron's fixed settings, for every implementation (fused CPU and
// CUDA kernels, the autograd operation, the plain steps).
struct NeuronConstants {
  double v_threshold = 1.0;
  double v_reset = 0.0;
  bool detach_reset = false;
  // Fire with the smooth ATan primitive instead of the step: only for
  // checking gradients against finite differences.
  bool smooth_spike = false;
};

// x and k on one device; alpha anywhere (a CPU alpha is read once, a CUDA
// alpha is read by the kernel itself, so no step waits for the device).
NeuronForward neuron_forward(const torch::Tensor& x, const torch::Tensor& k,
                             const torch::Tensor& alpha, const NeuronConstants& constants,
                             bool save_h);

// grad_k comes back in k's dtype, grad_alpha in alpha's.
NeuronBackward neuron_backward(const torch::Tensor& grad_spikes, const torch::Tensor& h_seq,
                               const torch::Tensor& k, const torch::Tensor& alpha,
                               const NeuronConstants& constants);

// Whether this build can run the neuron (and so the network) on CUDA.
bool built_with_cuda();

}  // namespace plifkit::nn
