// A 3x3 convolution (stride 1, zero padding 1, no bias) whose forward pass
// and weight gradient visit only the non-zero inputs: the inputs of the
// study's convolutions are spikes and event counts, mostly zeros, which a
// dense convolution multiplies all the same.
//
// Per image, the non-zero inputs are first listed per pixel (the channels
// non-zero there and their values, in channel order). The forward then
// gathers, for every output pixel, the weight rows of its nine neighbours'
// listed channels into one accumulator row of all output channels; the
// weight gradient adds, for every listed input and each of the nine outputs
// it reached, that output's gradient row times the input to the weight row
// it used. Every sum runs in a fixed order (an output: neighbour (ky, kx)
// row-major, then channel; a weight: pixel, then output position), and the
// vectors run across output channels, so every instruction set computes the
// same bits. Compiled once per instruction set (isa/sparse_conv_isa.cpp),
// Torch-free: raw contiguous arrays, the caller owns memory and threads.
//
// Layouts, one image: x [Cin, H, W]; the weight transposed to
// wt [Cin, 3, 3, Cout]; out and grad_out [Cout, H, W]; grad_wt
// [Cin, 3, 3, Cout] (added to).
#pragma once

#include <cstdint>

#include "plifkit/nn/cpu/cpu_isa.hpp"

namespace plifkit::nn::cpu {

// Scratch memory of one thread: row_start [H * W + 1], next [H * W],
// channel and value [Cin * H * W] (room for every input), rows [H * W * Cout].
template <typename S>
struct SparseConvBuffers {
  int32_t* row_start;
  int32_t* next;
  int32_t* channel;
  S* value;
  S* rows;
};

template <typename S>
struct SparseConvKernels {
  // out = conv3x3(x, w) for one image.
  using Forward = void (*)(const S* x, const S* wt, S* out, int64_t Cin, int64_t Cout, int64_t H,
                           int64_t W, const SparseConvBuffers<S>& buffers);
  // grad_wt += dL/dw (transposed) of one image.
  using WeightGrad = void (*)(const S* x, const S* grad_out, S* grad_wt, int64_t Cin, int64_t Cout,
                              int64_t H, int64_t W, const SparseConvBuffers<S>& buffers);
  Forward forward;
  WeightGrad weight_grad;
};

struct SparseConvSet {
  SparseConvKernels<float> f32;
  SparseConvKernels<double> f64;
};

// The kernels of the instruction set in use (cpu_isa.hpp).
const SparseConvSet& sparse_conv_kernels();

template <typename S>
const SparseConvKernels<S>& sparse_conv_kernels_of() {
  if constexpr (sizeof(S) == 4) {
    return sparse_conv_kernels().f32;
  } else {
    return sparse_conv_kernels().f64;
  }
}

}  // namespace plifkit::nn::cpu
