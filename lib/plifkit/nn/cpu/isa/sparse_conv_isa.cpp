// The sparse 3x3 convolution's kernels (sparse_conv_kernels.hpp), compiled
// once per instruction set like the neuron rows (see neuron_rows_isa.cpp for
// why everything here has internal linkage or a per-set namespace and why the
// loops are plain). The accumulators are GCC vectors of the set's widest
// registers, two with AVX-512, four with AVX2, eight with SSE2 per block; each
// lane is its own IEEE sum, so the sets agree bit for bit.
#include "plifkit/nn/cpu/sparse_conv_kernels.hpp"

#include "plifkit/nn/cpu/isa/isa_namespace.hpp"

#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace plifkit::nn::cpu::PLIFKIT_ISA_NAMESPACE {

namespace {

// The widest vector the instruction set has.
#if defined(__AVX512F__)
constexpr int kVectorBytes = 64;
#elif defined(__AVX__)
constexpr int kVectorBytes = 32;
#else
constexpr int kVectorBytes = 16;
#endif

template <typename S>
struct NativeVector;
template <>
struct NativeVector<float> {
  typedef float type __attribute__((vector_size(kVectorBytes)));
};
template <>
struct NativeVector<double> {
  typedef double type __attribute__((vector_size(kVectorBytes)));
};

// One block of output channels held in registers: kSparseBlockBytes as
// native vectors (GCC splits wider generic vectors through memory).
template <typename S>
struct Block {
  using V = typename NativeVector<S>::type;
  static constexpr int kCount = kSparseBlockBytes / kVectorBytes;
  static constexpr int64_t kLanes = kVectorBytes / static_cast<int64_t>(sizeof(S));
  V v[kCount];

  static Block load(const S* p) {
    Block b;
#pragma GCC unroll 8
    for (int i = 0; i < kCount; ++i) __builtin_memcpy(&b.v[i], p + i * kLanes, sizeof(V));
    return b;
  }
  void store(S* p) const {
#pragma GCC unroll 8
    for (int i = 0; i < kCount; ++i) __builtin_memcpy(p + i * kLanes, &v[i], sizeof(V));
  }
  // += row: spikes are 1, and 1 * row is row exactly, so this and add_scaled
  // give the same bits where the value is 1.
  void add(const S* row) {
#pragma GCC unroll 8
    for (int i = 0; i < kCount; ++i) {
      V r;
      __builtin_memcpy(&r, row + i * kLanes, sizeof(V));
      v[i] += r;
    }
  }
  void add_scaled(const S* row, S scale) {
#pragma GCC unroll 8
    for (int i = 0; i < kCount; ++i) {
      V r;
      __builtin_memcpy(&r, row + i * kLanes, sizeof(V));
      v[i] += scale * r;
    }
  }
};

// Bit i set where p[i] != 0 (NaN included, as the scalar comparison), for
// the 64 bytes at p: 16 floats or 8 doubles.
constexpr int64_t kMaskBytes = 64;

template <typename S>
inline uint32_t nonzero_bits(const S* p) {
#if defined(__AVX512F__)
  if constexpr (sizeof(S) == 4) {
    return _mm512_cmp_ps_mask(_mm512_loadu_ps(p), _mm512_setzero_ps(), _CMP_NEQ_UQ);
  } else {
    return _mm512_cmp_pd_mask(_mm512_loadu_pd(p), _mm512_setzero_pd(), _CMP_NEQ_UQ);
  }
#elif defined(__AVX__)
  if constexpr (sizeof(S) == 4) {
    const __m256 zero = _mm256_setzero_ps();
    return static_cast<uint32_t>(
        _mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(p), zero, _CMP_NEQ_UQ)) |
        _mm256_movemask_ps(_mm256_cmp_ps(_mm256_loadu_ps(p + 8), zero, _CMP_NEQ_UQ)) << 8);
  } else {
    const __m256d zero = _mm256_setzero_pd();
    return static_cast<uint32_t>(
        _mm256_movemask_pd(_mm256_cmp_pd(_mm256_loadu_pd(p), zero, _CMP_NEQ_UQ)) |
        _mm256_movemask_pd(_mm256_cmp_pd(_mm256_loadu_pd(p + 4), zero, _CMP_NEQ_UQ)) << 4);
  }
#elif defined(__SSE2__)
  uint32_t bits = 0;
  if constexpr (sizeof(S) == 4) {
    for (int q = 0; q < 4; ++q)
      bits |= static_cast<uint32_t>(
                  _mm_movemask_ps(_mm_cmpneq_ps(_mm_loadu_ps(p + 4 * q), _mm_setzero_ps())))
              << (4 * q);
  } else {
    for (int q = 0; q < 4; ++q)
      bits |= static_cast<uint32_t>(
                  _mm_movemask_pd(_mm_cmpneq_pd(_mm_loadu_pd(p + 2 * q), _mm_setzero_pd())))
              << (2 * q);
  }
  return bits;
#else
  uint32_t bits = 0;
  for (int i = 0; i < kMaskBytes / static_cast<int64_t>(sizeof(S)); ++i)
    bits |= static_cast<uint32_t>(p[i] != S(0)) << i;
  return bits;
#endif
}

// Calls visit(i) for every i < n with x[i] != 0, in order. Spikes and events
// are mostly zeros: a 64-byte chunk is tested at once, then only its set bits
// visited.
template <typename S, typename Visit>
inline void for_each_nonzero(const S* x, int64_t n, Visit&& visit) {
  constexpr int64_t kLanes = kMaskBytes / static_cast<int64_t>(sizeof(S));
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    for (uint32_t bits = nonzero_bits(x + i); bits != 0; bits &= bits - 1)
      visit(i + __builtin_ctz(bits));
  }
  for (; i < n; ++i)
    if (x[i] != S(0)) visit(i);
}

// Lists x's non-zero inputs per pixel, each pixel's in channel order:
// index (channel) and value [start[p] .. start[p + 1]). Returns whether all
// of them are 1.
template <typename S>
bool list_inputs_per_pixel(const S* x, int64_t Cin, int64_t pixels,
                           const SparseConvBuffers<S>& b) {
  int32_t* start = b.start;
  for (int64_t p = 0; p <= pixels; ++p) start[p] = 0;
  for (int64_t c = 0; c < Cin; ++c) {
    const S* plane = x + c * pixels;
    for (int64_t p = 0; p < pixels; ++p) start[p + 1] += plane[p] != S(0);
  }
  for (int64_t p = 0; p < pixels; ++p) {
    start[p + 1] += start[p];
    b.next[p] = start[p];
  }
  bool binary = true;
  int32_t* __restrict__ next = b.next;
  int32_t* __restrict__ index = b.index;
  S* __restrict__ value = b.value;
  for (int64_t c = 0; c < Cin; ++c) {
    const S* plane = x + c * pixels;
    for_each_nonzero(plane, pixels, [&](int64_t p) {
      const int32_t e = next[p]++;
      index[e] = static_cast<int32_t>(c);
      value[e] = plane[p];
      binary = binary && plane[p] == S(1);
    });
  }
  return binary;
}

template <typename S, bool kBinary>
inline void add_row(Block<S>& sum, const S* row, S v) {
  if constexpr (kBinary) {
    sum.add(row);
  } else {
    sum.add_scaled(row, v);
  }
}

// Two outputs' accumulators += the slab's rows of their listed channels
// (entries [a, a_end) and [c, c_end)), interleaved: each sum is a chain of
// dependent additions, bound by their latency; two chains keep the adders
// busy without changing any sum's order.
template <typename S, bool kBinary>
inline void add_listed_channels(S* acc_a, S* acc_c, const S* slab, const SparseConvBuffers<S>& b,
                                int32_t a, int32_t a_end, int32_t c, int32_t c_end) {
  constexpr int64_t kBlock = sparse_block<S>();
  const int32_t* __restrict__ channel_a = b.index + a;
  const int32_t* __restrict__ channel_c = b.index + c;
  const S* __restrict__ value_a = b.value + a;
  const S* __restrict__ value_c = b.value + c;
  const int32_t n_a = a_end - a, n_c = c_end - c;
  const int32_t both = n_a < n_c ? n_a : n_c;
  Block<S> sum_a = Block<S>::load(acc_a);
  Block<S> sum_c = Block<S>::load(acc_c);
  int32_t i = 0;
  for (; i < both; ++i) {
    add_row<S, kBinary>(sum_a, slab + channel_a[i] * kBlock, kBinary ? S(1) : value_a[i]);
    add_row<S, kBinary>(sum_c, slab + channel_c[i] * kBlock, kBinary ? S(1) : value_c[i]);
  }
  for (int32_t j = i; j < n_a; ++j)
    add_row<S, kBinary>(sum_a, slab + channel_a[j] * kBlock, kBinary ? S(1) : value_a[j]);
  for (int32_t j = i; j < n_c; ++j)
    add_row<S, kBinary>(sum_c, slab + channel_c[j] * kBlock, kBinary ? S(1) : value_c[j]);
  sum_a.store(acc_a);
  sum_c.store(acc_c);
}

template <typename S, bool kBinary>
void forward_rows(const S* wb, S* out, int64_t Cin, int64_t Cout, int64_t H, int64_t W,
                  const SparseConvBuffers<S>& b) {
  constexpr int64_t kBlock = sparse_block<S>();
  const int32_t* start = b.start;
  // One output row of one block, [W + 1, kBlock]; the last row takes the
  // second accumulator of an odd pixel out, which adds nothing to it.
  S* acc = b.rows;
  S* dummy = acc + W * kBlock;
  for (int64_t i = 0; i < kBlock; ++i) dummy[i] = S(0);
  for (int64_t y = 0; y < H; ++y) {
    for (int64_t c0 = 0; c0 < Cout; c0 += kBlock) {
      for (int64_t i = 0; i < W * kBlock; ++i) acc[i] = S(0);
      for (int64_t ky = 0; ky < 3; ++ky) {
        const int64_t iy = y + ky - 1;
        if (iy < 0 || iy >= H) continue;
        for (int64_t kx = 0; kx < 3; ++kx) {
          const S* slab = wb + ((c0 / kBlock * 9 + ky * 3 + kx) * Cin) * kBlock;
          // Outputs whose neighbour ix = ox + kx - 1 lies in the image, two at a time.
          const int64_t ox_begin = kx == 0 ? 1 : 0;
          const int64_t ox_end = kx == 2 ? W - 1 : W;
          for (int64_t ox = ox_begin; ox < ox_end; ox += 2) {
            const int64_t p = iy * W + ox + kx - 1;
            const bool pair = ox + 1 < ox_end;
            const int32_t a = start[p], a_end = start[p + 1];
            const int32_t c = pair ? start[p + 1] : 0, c_end = pair ? start[p + 2] : 0;
            if (a == a_end && c == c_end) continue;
            add_listed_channels<S, kBinary>(acc + ox * kBlock, pair ? acc + (ox + 1) * kBlock : dummy,
                                            slab, b, a, a_end, c, c_end);
          }
        }
      }
      const int64_t width = Cout - c0 < kBlock ? Cout - c0 : kBlock;
      for (int64_t j = 0; j < width; ++j) {
        S* out_row = out + ((c0 + j) * H + y) * W;
        for (int64_t ox = 0; ox < W; ++ox) out_row[ox] = acc[ox * kBlock + j];
      }
    }
  }
}

template <typename S>
void forward_image(const S* x, const S* wb, S* out, int64_t Cin, int64_t Cout, int64_t H,
                   int64_t W, const SparseConvBuffers<S>& b) {
  if (list_inputs_per_pixel(x, Cin, H * W, b)) {
    forward_rows<S, true>(wb, out, Cin, Cout, H, W, b);
  } else {
    forward_rows<S, false>(wb, out, Cin, Cout, H, W, b);
  }
}

// The border flags of an input: the input at (iy, ix) met weight (ky, kx)
// at the output (iy + 1 - ky, ix + 1 - kx), outside the image for ky = 0 on
// the last row, ky = 2 on the first, and likewise for kx and the columns.
enum Border : int32_t { kFirstRow = 1, kLastRow = 2, kFirstColumn = 4, kLastColumn = 8 };

// Lists the non-zero inputs of rows [y0, y1) per channel, each channel's in
// pixel order: index (pixel), border and value [start[c] .. start[c + 1]).
// Returns whether all of them are 1.
template <typename S>
bool list_inputs_per_channel(const S* x, int64_t Cin, int64_t H, int64_t W, int64_t y0,
                             int64_t y1, const SparseConvBuffers<S>& b) {
  bool binary = true;
  int32_t e = 0;
  int32_t* __restrict__ index = b.index;
  int32_t* __restrict__ border = b.border;
  S* __restrict__ value = b.value;
  for (int64_t c = 0; c < Cin; ++c) {
    b.start[c] = e;
    // The rows [y0, y1) of a channel are contiguous.
    const S* rows = x + (c * H + y0) * W;
    for_each_nonzero(rows, (y1 - y0) * W, [&](int64_t i) {
      const int64_t y = y0 + i / W, ix = i % W;
      index[e] = static_cast<int32_t>(y * W + ix);
      border[e] = (y == 0 ? kFirstRow : 0) | (y == H - 1 ? kLastRow : 0) |
                  (ix == 0 ? kFirstColumn : 0) | (ix == W - 1 ? kLastColumn : 0);
      value[e] = rows[i];
      binary = binary && rows[i] == S(1);
      ++e;
    });
  }
  b.start[Cin] = e;
  return binary;
}

// grad_wb += the listed inputs' contributions, one block of output channels
// (rows: that block's output-gradient rows, [H * W, kBlock]). The three
// kernel columns of a kernel row are summed side by side: three independent
// chains of additions over the same inputs, whose output-gradient rows are
// neighbours.
template <typename S, bool kBinary>
void weight_grad_block(const S* rows, S* grad_wb, int64_t Cin, int64_t W,
                       const SparseConvBuffers<S>& b) {
  constexpr int64_t kBlock = sparse_block<S>();
  const int32_t* __restrict__ index = b.index;
  const int32_t* __restrict__ border = b.border;
  const S* __restrict__ value = b.value;
  for (int64_t c = 0; c < Cin; ++c) {
    const int32_t begin = b.start[c], end = b.start[c + 1];
    if (begin == end) continue;
    for (int64_t ky = 0; ky < 3; ++ky) {
      const int32_t off_image = ky == 0 ? kLastRow : ky == 2 ? kFirstRow : 0;
      const int64_t shift = (1 - ky) * W;  // to the output of kernel column kx = 1
      S* dst = grad_wb + (ky * 3 * Cin + c) * kBlock;
      Block<S> left = Block<S>::load(dst);                       // kx = 0
      Block<S> middle = Block<S>::load(dst + Cin * kBlock);      // kx = 1
      Block<S> right = Block<S>::load(dst + 2 * Cin * kBlock);   // kx = 2
      for (int32_t e = begin; e < end; ++e) {
        const int32_t flags = border[e];
        if (flags & off_image) continue;
        const S* g = rows + (index[e] + shift) * kBlock;
        const S v = kBinary ? S(1) : value[e];
        if (!(flags & kLastColumn)) add_row<S, kBinary>(left, g + kBlock, v);
        add_row<S, kBinary>(middle, g, v);
        if (!(flags & kFirstColumn)) add_row<S, kBinary>(right, g - kBlock, v);
      }
      left.store(dst);
      middle.store(dst + Cin * kBlock);
      right.store(dst + 2 * Cin * kBlock);
    }
  }
}

template <typename S>
void weight_grad_image(const S* x, const S* grad_out, S* grad_wb, int64_t Cin, int64_t Cout,
                       int64_t H, int64_t W, const SparseConvBuffers<S>& b) {
  constexpr int64_t kBlock = sparse_block<S>();
  const int64_t pixels = H * W;
  const int64_t padded = sparse_padded_channels<S>(Cout);
  S* rows = b.rows;  // grad_out blocked: [padded / kBlock, pixels, kBlock], zero padded
  for (int64_t o = 0; o < padded; ++o) {
    S* dst = rows + (o / kBlock * pixels) * kBlock + o % kBlock;
    if (o >= Cout) {
      for (int64_t p = 0; p < pixels; ++p) dst[p * kBlock] = S(0);
      continue;
    }
    const S* plane = grad_out + o * pixels;
    for (int64_t p = 0; p < pixels; ++p) dst[p * kBlock] = plane[p];
  }
  const int64_t tile = sparse_weight_grad_rows(W);
  for (int64_t y0 = 0; y0 < H; y0 += tile) {
    const int64_t y1 = y0 + tile < H ? y0 + tile : H;
    const bool binary = list_inputs_per_channel(x, Cin, H, W, y0, y1, b);
    if (b.start[Cin] == 0) continue;
    for (int64_t c0 = 0; c0 < padded; c0 += kBlock) {
      const S* block_rows = rows + c0 * pixels;
      S* block_grad = grad_wb + c0 * 9 * Cin;
      if (binary) {
        weight_grad_block<S, true>(block_rows, block_grad, Cin, W, b);
      } else {
        weight_grad_block<S, false>(block_rows, block_grad, Cin, W, b);
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
