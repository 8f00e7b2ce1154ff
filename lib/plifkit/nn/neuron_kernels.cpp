#include "plifkit/nn/neuron_kernels.hpp"

#include "plifkit/nn/cpu/plif_cpu.hpp"
#ifdef PLIFKIT_WITH_CUDA
#include "plifkit/nn/cuda/plif_cuda.hpp"
#endif

namespace plifkit::nn {

namespace {

// The dtype policy of both backends: the neuron's state, k and alpha in the
// input's type, float32 for float16/bfloat16 input (which the CUDA kernel
// takes; the CPU kernel takes float32 and float64).
torch::ScalarType state_type(torch::ScalarType input) {
  return input == torch::kHalf || input == torch::kBFloat16 ? torch::kFloat32 : input;
}

}  // namespace

NeuronForward neuron_forward(const torch::Tensor& x, const torch::Tensor& k,
                             const torch::Tensor& alpha, const NeuronConstants& c, bool save_h) {
  const torch::ScalarType state = state_type(x.scalar_type());
  const torch::Tensor ks = k.to(state);
  const torch::Tensor alphas = alpha.to(state);
#ifdef PLIFKIT_WITH_CUDA
  if (x.is_cuda()) return cuda::neuron_forward_cuda(x, ks, alphas, c, save_h);
#endif
  TORCH_CHECK(x.device().is_cpu(), "this build runs the fused neuron on the CPU only");
  return cpu::neuron_forward_cpu(x, ks, alphas, c, save_h);
}

NeuronBackward neuron_backward(const torch::Tensor& grad_spikes, const torch::Tensor& h_seq,
                               const torch::Tensor& k, const torch::Tensor& alpha,
                               const NeuronConstants& c) {
  const torch::ScalarType state = h_seq.scalar_type();
  const torch::Tensor ks = k.to(state);
  const torch::Tensor alphas = alpha.to(state);
  NeuronBackward g;
#ifdef PLIFKIT_WITH_CUDA
  if (h_seq.is_cuda()) g = cuda::neuron_backward_cuda(grad_spikes, h_seq, ks, alphas, c);
#endif
  if (!g.grad_x.defined()) {
    TORCH_CHECK(h_seq.device().is_cpu(), "this build runs the fused neuron on the CPU only");
    g = cpu::neuron_backward_cpu(grad_spikes, h_seq, ks, alphas, c);
  }
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
