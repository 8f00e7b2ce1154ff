// A 3x3 convolution (stride 1, zero padding 1, no bias) whose forward pass
// and weight gradient visit only the non-zero inputs: the inputs of the
// study's convolutions are spikes and event counts, mostly zeros, which a
// dense convolution multiplies all the same.
//
// Both passes work on blocks of output channels (kSparseBlockBytes: 32
// floats or 16 doubles) whose accumulators stay in registers while the
// listed inputs are added, and whose weights for one kernel position (all
// input channels) stay in the L1 cache:
// - forward: the non-zero inputs are listed per pixel (their channels in
//   order); for every output row, block and kernel position (ky, kx), each
//   output pixel adds the weight rows of its neighbour's listed channels;
// - weight gradient: the non-zero inputs of a few image rows at a time are
//   listed per channel (their pixels in order); for every block, channel and
//   kernel position, the weight row adds the output-gradient rows of the
//   outputs those inputs reached.
// Every sum runs in a fixed order (an output: (ky, kx) row-major, then
// channel; a weight: image, then pixel), the vectors run across output
// channels, and no operation is contracted, so every instruction set and
// every thread count computes the same bits. Compiled once per instruction
// set (isa/sparse_conv_isa.cpp), Torch-free: raw contiguous arrays, the
// caller owns memory and threads.
//
// Layouts, one image: x [Cin, H, W]; out and grad_out [Cout, H, W]. The
// weight and its gradient are blocked: Cout padded with zero rows to Cp (a
// multiple of the block), then [Cp / block, 3, 3, Cin, block]
// (blocked_weight in sparse_conv_op.cpp builds it).
#pragma once

#include <cstdint>

#include "plifkit/nn/cpu/cpu_isa.hpp"

namespace plifkit::nn::cpu {

inline constexpr int64_t kSparseBlockBytes = 128;

// Output channels per block for element type S.
template <typename S>
constexpr int64_t sparse_block() {
  return kSparseBlockBytes / static_cast<int64_t>(sizeof(S));
}

// Cout rounded up to whole blocks.
template <typename S>
constexpr int64_t sparse_padded_channels(int64_t Cout) {
  return (Cout + sparse_block<S>() - 1) / sparse_block<S>() * sparse_block<S>();
}

// Rows of the image whose inputs the weight gradient lists at a time: as
// many as keep one block's output-gradient rows they reach (two more) within
// 32 KB, the L1 cache's share left for them.
constexpr int64_t sparse_weight_grad_rows(int64_t W) {
  const int64_t row_bytes = W * kSparseBlockBytes;
  const int64_t rows = 32 * 1024 / row_bytes - 2;
  return rows < 1 ? 1 : rows;
}

// Scratch memory of one thread: two arrays (ints and values) of
// sparse_scratch_sizes, laid out by sparse_buffers.
template <typename S>
struct SparseConvBuffers {
  int32_t* start;    // [max(H * W, Cin) + 1]: where each pixel's (channel's) entries begin
  int32_t* next;     // [H * W]
  int32_t* index;    // [Cin * H * W]: the entries' channels (forward) or pixels (weight gradient)
  int32_t* border;   // [Cin * H * W]: the weight gradient's entries' image-border flags
  S* value;          // [Cin * H * W]: the entries' values
  S* rows;           // forward [W + 1, block]; weight gradient [Cp / block, H * W, block]
};

enum class SparsePass { forward, weight_grad };

struct SparseScratchSizes {
  int64_t ints, values;
};

constexpr int64_t sparse_starts(int64_t Cin, int64_t pixels) {
  return (pixels > Cin ? pixels : Cin) + 1;
}

template <typename S>
constexpr SparseScratchSizes sparse_scratch_sizes(SparsePass pass, int64_t Cin, int64_t Cout,
                                                  int64_t H, int64_t W) {
  const int64_t pixels = H * W;
  const int64_t rows = pass == SparsePass::forward ? (W + 1) * sparse_block<S>()
                                                   : sparse_padded_channels<S>(Cout) * pixels;
  return {sparse_starts(Cin, pixels) + pixels + 2 * Cin * pixels, Cin * pixels + rows};
}

template <typename S>
SparseConvBuffers<S> sparse_buffers(int32_t* ints, S* values, int64_t Cin, int64_t H, int64_t W) {
  const int64_t pixels = H * W;
  const int64_t entries = Cin * pixels;
  int32_t* next = ints + sparse_starts(Cin, pixels);
  return {ints, next, next + pixels, next + pixels + entries, values, values + entries};
}

template <typename S>
struct SparseConvKernels {
  // out = conv3x3(x, w) for one image; wb is the blocked weight.
  using Forward = void (*)(const S* x, const S* wb, S* out, int64_t Cin, int64_t Cout, int64_t H,
                           int64_t W, const SparseConvBuffers<S>& buffers);
  // grad_wb += dL/dw (blocked) of one image.
  using WeightGrad = void (*)(const S* x, const S* grad_out, S* grad_wb, int64_t Cin, int64_t Cout,
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
