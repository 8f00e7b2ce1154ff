// The CUDA neuron kernels as Torch operations (built only with PLIF_CUDA):
// checks, output allocation on the input's device, dispatch over float32,
// float16 and bfloat16 inputs, launch on Torch's current stream. The state
// (h_seq) is float32 whatever the input type; k and alpha come float32 (the
// dispatcher's dtype policy, neuron_kernels.cpp). The signatures of
// cpu/plif_cpu.hpp.
#pragma once

#include <torch/torch.h>

#include "plifkit/nn/neuron_kernels.hpp"

namespace plifkit::nn::cuda {

NeuronForward neuron_forward_cuda(const torch::Tensor& x, const torch::Tensor& k,
                                  const torch::Tensor& alpha, const NeuronConstants& constants,
                                  bool save_h);

NeuronBackward neuron_backward_cuda(const torch::Tensor& grad_spikes, const torch::Tensor& h_seq,
                                    const torch::Tensor& k, const torch::Tensor& alpha,
                                    const NeuronConstants& constants);

}  // namespace plifkit::nn::cuda
