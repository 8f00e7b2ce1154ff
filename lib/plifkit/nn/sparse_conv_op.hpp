// The networks' 3x3 convolutions (stride 1, zero padding 1, no bias), each
// call choosing between ATen's dense convolution and the sparse kernels
// (cpu/sparse_conv_kernels.hpp), which visit only the non-zero inputs.
//
// The choice is made from the input and the instruction set plifkit's
// kernels run with (fixed per machine), so it is deterministic. On the CPU
// (float32, float64), for inputs of at least kSparseMinChannels channels:
// both passes sparse up to sparse_density_limits(channels).both_passes
// non-zero elements, the weight gradient alone up to .weight_grad_only;
// dense otherwise (CUDA, few channels, dense inputs such as images). The
// limits come from bench_sparse_conv (docs/performance.md has the tables,
// 2026-12-08): the sparse kernels keep their accumulators in registers and
// run at about the same speed with AVX2 and AVX-512, while oneDNN's dense
// convolution is twice as fast with AVX-512, so the sparse passes pay up to
// 30-40 % non-zero inputs with AVX2 and up to 16-30 % with AVX-512, less
// with 32 channels than with 64 or more. Below 32 channels (the event
// frames' 2, the demo's 8) the dense convolution runs.
//
// Both algorithms compute the same convolution; their sums run in different
// orders, so results agree to float rounding, not bit for bit. The sparse
// forward and weight gradient are exact sums in a fixed order (no dependence
// on the thread count); the input gradient is ATen's in both.
#pragma once

#include <torch/torch.h>

namespace plifkit::nn {

enum class ConvAlgorithm {
  dense,
  sparse_weight_grad,  // dense forward and input gradient, sparse weight gradient
  sparse,              // sparse forward and weight gradient, dense input gradient
};

inline constexpr int64_t kSparseMinChannels = 32;

// Fractions of non-zero inputs up to which the sparse algorithms run.
struct SparseDensityLimits {
  double both_passes;       // ConvAlgorithm::sparse
  double weight_grad_only;  // ConvAlgorithm::sparse_weight_grad (above both_passes)
};

// The limits for inputs of `channels` channels (at least
// kSparseMinChannels) under the instruction set in use
// (cpu::current_cpu_isa()).
SparseDensityLimits sparse_density_limits(int64_t channels);

// The algorithm conv3x3 uses for input x ([N, Cin, H, W]).
ConvAlgorithm choose_conv_algorithm(const torch::Tensor& x);

// conv2d(x, weight, padding 1) for weight [Cout, Cin, 3, 3], differentiable
// in both, with the algorithm chosen for x.
torch::Tensor conv3x3(const torch::Tensor& x, const torch::Tensor& weight);

// The same with the algorithm given (tests and benchmarks compare them).
// The sparse ones need CPU tensors of float32 or float64.
torch::Tensor conv3x3_with(ConvAlgorithm algorithm, const torch::Tensor& x,
                           const torch::Tensor& weight);

}  // namespace plifkit::nn
