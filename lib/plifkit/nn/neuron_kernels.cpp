#include "plifkit/nn/neuron_kernels.hpp"

#include "plifkit/nn/cpu/plif_cpu.hpp"
#ifdef PLIFKIT_WITH_CUDA
#include "plifkit/nn/cuda/plif_cuda.hpp"
#endif

namespace plifkit::nn {

NeuronForward neuron_forward(const torch::Tensor& x, const torch::Tensor& k,
                             const torch::Tensor& alpha, const NeuronConstants& c, bool save_h) {
#ifdef PLIFKIT_WITH_CUDA
  if (x.is_cuda()) return cuda::neuron_forward_cuda(x, k, alpha, c, save_h);
#endif
  TORCH_CHECK(x.device().is_cpu(), "this build runs the fused neuron on the CPU only");
  return cpu::neuron_forward_cpu(x, k.to(x.scalar_type()), c.v_threshold, c.v_reset,
                                 alpha.item<double>(), c.smooth_spike, save_h);
}

NeuronBackward neuron_backward(const torch::Tensor& grad_spikes, const torch::Tensor& h_seq,
                               const torch::Tensor& k, const torch::Tensor& alpha,
                               const NeuronConstants& c) {
#ifdef PLIFKIT_WITH_CUDA
  if (h_seq.is_cuda()) return cuda::neuron_backward_cuda(grad_spikes, h_seq, k, alpha, c);
#endif
  TORCH_CHECK(h_seq.device().is_cpu(), "this build runs the fused neuron on the CPU only");
  NeuronBackward g = cpu::neuron_backward_cpu(grad_spikes, h_seq, k.to(h_seq.scalar_type()),
                                              c.v_threshold, c.v_reset, alpha.item<double>(),
                                              c.detach_reset, c.smooth_spike);
  g.grad_k = g.grad_k.to(k.scalar_type());
  g.grad_alpha = g.grad_alpha.to(alpha.scalar_type());
  return g;
}

bool built_with_cuda() {
#ifdef PLIFKIT_WITH_CUDA
  return true;
#else
  return false;
#endif
}

}  // namespace plifkit::nn
