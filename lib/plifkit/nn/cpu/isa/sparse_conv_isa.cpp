// The sparse 3x3 convolution's kernels (sparse_conv_kernels.hpp), compiled
// once per instruction set like the neuron rows (see neuron_rows_isa.cpp for
// why everything here has internal linkage or a per-set namespace and why the
// loops are plain).
#include "plifkit/nn/cpu/sparse_conv_kernels.hpp"

#include "plifkit/nn/cpu/isa/isa_namespace.hpp"

namespace plifkit::nn::cpu::PLIFKIT_ISA_NAMESPACE {

namespace {

// a[o] += v * b[o]: the inner loop of both passes, across output channels.
template <typename S>
inline void add_scaled_row(S* __restrict__ a, const S* __restrict__ b, S v, int64_t n) {
  for (int64_t o = 0; o < n; ++o) a[o] += v * b[o];
}

// Lists x's non-zero inputs per pixel, each pixel's in channel order:
// channel/value[row_start[p] .. row_start[p + 1]). Returns how many.
template <typename S>
int64_t list_nonzero_inputs(const S* x, int64_t Cin, int64_t H, int64_t W,
                            const SparseConvBuffers<S>& b) {
  const int64_t pixels = H * W;
  int32_t* start = b.row_start;
  for (int64_t p = 0; p <= pixels; ++p) start[p] = 0;
  for (int64_t c = 0; c < Cin; ++c) {
    const S* plane = x + c * pixels;
    for (int64_t p = 0; p < pixels; ++p) start[p + 1] += plane[p] != S(0);
  }
  for (int64_t p = 0; p < pixels; ++p) {
    start[p + 1] += start[p];
    b.next[p] = start[p];
  }
  for (int64_t c = 0; c < Cin; ++c) {
    const S* plane = x + c * pixels;
    for (int64_t p = 0; p < pixels; ++p) {
      if (plane[p] == S(0)) continue;
      const int32_t e = b.next[p]++;
      b.channel[e] = static_cast<int32_t>(c);
      b.value[e] = plane[p];
    }
  }
  return start[pixels];
}

template <typename S>
void forward_image(const S* x, const S* wt, S* out, int64_t Cin, int64_t Cout, int64_t H,
                   int64_t W, const SparseConvBuffers<S>& b) {
  list_nonzero_inputs(x, Cin, H, W, b);
  const int32_t* start = b.row_start;
  S* rows = b.rows;  // one output row's accumulators, [W, Cout]
  for (int64_t y = 0; y < H; ++y) {
    for (int64_t i = 0; i < W * Cout; ++i) rows[i] = S(0);
    for (int64_t ox = 0; ox < W; ++ox) {
      S* acc = rows + ox * Cout;
      for (int64_t ky = 0; ky < 3; ++ky) {
        const int64_t iy = y + ky - 1;
        if (iy < 0 || iy >= H) continue;
        for (int64_t kx = 0; kx < 3; ++kx) {
          const int64_t ix = ox + kx - 1;
          if (ix < 0 || ix >= W) continue;
          const int64_t p = iy * W + ix;
          for (int32_t e = start[p]; e < start[p + 1]; ++e)
            add_scaled_row(acc, wt + (b.channel[e] * 9 + ky * 3 + kx) * Cout, b.value[e], Cout);
        }
      }
    }
    for (int64_t o = 0; o < Cout; ++o) {
      S* out_row = out + (o * H + y) * W;
      for (int64_t ox = 0; ox < W; ++ox) out_row[ox] = rows[ox * Cout + o];
    }
  }
}

template <typename S>
void weight_grad_image(const S* x, const S* grad_out, S* grad_wt, int64_t Cin, int64_t Cout,
                       int64_t H, int64_t W, const SparseConvBuffers<S>& b) {
  if (list_nonzero_inputs(x, Cin, H, W, b) == 0) return;
  const int32_t* start = b.row_start;
  const int64_t pixels = H * W;
  S* rows = b.rows;  // grad_out with each pixel's channels contiguous, [H * W, Cout]
  for (int64_t o = 0; o < Cout; ++o) {
    const S* plane = grad_out + o * pixels;
    for (int64_t p = 0; p < pixels; ++p) rows[p * Cout + o] = plane[p];
  }
  for (int64_t iy = 0; iy < H; ++iy) {
    for (int64_t ix = 0; ix < W; ++ix) {
      const int64_t p = iy * W + ix;
      if (start[p] == start[p + 1]) continue;
      // The input at (iy, ix) met weight (ky, kx) at output (iy + 1 - ky, ix + 1 - kx).
      for (int64_t ky = 0; ky < 3; ++ky) {
        const int64_t oy = iy + 1 - ky;
        if (oy < 0 || oy >= H) continue;
        for (int64_t kx = 0; kx < 3; ++kx) {
          const int64_t ox = ix + 1 - kx;
          if (ox < 0 || ox >= W) continue;
          const S* g = rows + (oy * W + ox) * Cout;
          for (int32_t e = start[p]; e < start[p + 1]; ++e)
            add_scaled_row(grad_wt + (b.channel[e] * 9 + ky * 3 + kx) * Cout, g, b.value[e], Cout);
        }
      }
    }
  }
}

template <typename S>
SparseConvKernels<S> kernels() {
  return {forward_image<S>, weight_grad_image<S>};
}

}  // namespace

SparseConvSet sparse_conv_set() { return {kernels<float>(), kernels<double>()}; }

}  // namespace plifkit::nn::cpu::PLIFKIT_ISA_NAMESPACE
