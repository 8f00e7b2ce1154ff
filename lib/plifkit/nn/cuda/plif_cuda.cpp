#include "plifkit/nn/cuda/plif_cuda.hpp"

#include <c10/cuda/CUDAGuard.h>
#include <c10/cuda/CUDAStream.h>
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "plifkit/nn/cuda/plif_cuda_kernels.cuh"

namespace plifkit::nn::cuda {

namespace {

void check_inputs(const torch::Tensor& x, const torch::Tensor& k, const char* x_name) {
  TORCH_CHECK(x.is_cuda(), x_name, " must be a CUDA tensor");
  TORCH_CHECK(x.dim() == 3, x_name, " must be [B, T, M], got ", x.sizes());
  TORCH_CHECK(x.is_contiguous(), x_name, " must be contiguous");
  TORCH_CHECK(k.dim() == 1 && (k.size(0) == 1 || k.size(0) == x.size(2)),
              "k must be [1] or [M] with M = ", x.size(2), ", got ", k.sizes());
  TORCH_CHECK(k.scalar_type() == torch::kFloat32, "k must be float32 (the state type)");
}

neuron::Constants<float> constants_of(const NeuronConstants& c) {
  // alpha is read by the kernels from the device.
  return neuron::Constants<float>{static_cast<float>(c.v_threshold),
                                  static_cast<float>(c.v_reset), 0.0f};
}

// Torch's half types have the layout of CUDA's.
template <typename Visit>
void dispatch_input_type(torch::ScalarType type, const Visit& visit) {
  switch (type) {
    case torch::kFloat: visit(float{}); break;
    case torch::kHalf: visit(__half{}); break;
    case torch::kBFloat16: visit(__nv_bfloat16{}); break;
    default:
      TORCH_CHECK(false, "the CUDA neuron takes float32, float16 or bfloat16 input, not ", type);
  }
}

template <typename In>
In* pointer(const torch::Tensor& t) {
  return reinterpret_cast<In*>(t.data_ptr());
}

void check_launch(cudaError_t status, const char* what) {
  TORCH_CHECK(status == cudaSuccess, what, " failed: ", cudaGetErrorString(status));
}

}  // namespace

NeuronForward neuron_forward_cuda(const torch::Tensor& x, const torch::Tensor& k,
                                  const torch::Tensor& alpha, const NeuronConstants& c,
                                  bool save_h) {
  check_inputs(x, k, "x");
  const c10::cuda::CUDAGuard guard(x.device());
  const auto f32 = x.options().dtype(torch::kFloat32);
  const torch::Tensor kc = k.contiguous();
  const torch::Tensor alpha_d = alpha.to(x.device()).reshape({1}).contiguous();
  NeuronForward out;
  out.spikes = torch::empty_like(x);
  if (save_h) out.h_seq = torch::empty(x.sizes(), f32);
  const cudaStream_t stream = c10::cuda::getCurrentCUDAStream().stream();
  dispatch_input_type(x.scalar_type(), [&](auto tag) {
    using In = decltype(tag);
    check_launch(launch_neuron_forward<In>(
                     pointer<In>(x), kc.data_ptr<float>(), kc.size(0) > 1,
                     alpha_d.data_ptr<float>(), pointer<In>(out.spikes),
                     save_h ? out.h_seq.data_ptr<float>() : nullptr, x.size(0), x.size(1),
                     x.size(2), constants_of(c), c.smooth_spike, stream),
                 "the CUDA neuron forward");
  });
  return out;
}

NeuronBackward neuron_backward_cuda(const torch::Tensor& grad_spikes, const torch::Tensor& h_seq,
                                    const torch::Tensor& k, const torch::Tensor& alpha,
                                    const NeuronConstants& c) {
  check_inputs(h_seq, k, "h_seq");
  TORCH_CHECK(h_seq.scalar_type() == torch::kFloat32, "h_seq must be float32");
  TORCH_CHECK(grad_spikes.sizes() == h_seq.sizes(), "grad_spikes must match h_seq");
  const c10::cuda::CUDAGuard guard(h_seq.device());
  const auto f32 = h_seq.options();
  const torch::Tensor gs = grad_spikes.contiguous();
  const torch::Tensor kc = k.contiguous();
  const torch::Tensor alpha_d = alpha.to(h_seq.device()).reshape({1}).contiguous();
  const int64_t M = h_seq.size(2);
  NeuronBackward out;
  out.grad_x = torch::empty_like(gs);
  const int64_t groups = backward_batch_groups(h_seq.size(0), M);
  torch::Tensor grad_k_gm = torch::empty({groups, M}, f32);
  torch::Tensor grad_alpha_gm = torch::empty({groups, M}, f32);
  const cudaStream_t stream = c10::cuda::getCurrentCUDAStream().stream();
  dispatch_input_type(gs.scalar_type(), [&](auto tag) {
    using In = decltype(tag);
    check_launch(launch_neuron_backward<In>(
                     pointer<In>(gs), h_seq.data_ptr<float>(), kc.data_ptr<float>(),
                     kc.size(0) > 1, alpha_d.data_ptr<float>(), pointer<In>(out.grad_x),
                     grad_k_gm.data_ptr<float>(), grad_alpha_gm.data_ptr<float>(), h_seq.size(0),
                     h_seq.size(1), M, constants_of(c), c.detach_reset, c.smooth_spike, stream),
                 "the CUDA neuron backward");
  });
  // The [groups, M] partials hold no atomics; Torch's reductions of them run
  // in a fixed order on a given device.
  out.grad_k = (kc.size(0) > 1 ? grad_k_gm.sum(0) : grad_k_gm.sum().reshape({1}))
                   .to(k.scalar_type());
  out.grad_alpha = grad_alpha_gm.sum().to(alpha.scalar_type());
  return out;
}

}  // namespace plifkit::nn::cuda
