#include "plifkit/nn/cpu/plif_pool_cpu.hpp"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "plifkit/nn/cpu/neuron_block.hpp"
#include "plifkit/nn/cpu/plif_cpu.hpp"
#include "plifkit/nn/neuron_math.hpp"

namespace plifkit::nn::cpu {

namespace {

// Neurons per work item, as in plif_cpu; a work item is a whole number of
// row pairs (2 W neurons), so that every pooling window lies in one item.
constexpr int64_t kBlock = 512;

// Where the work items lie: H even, so the row pairs of all channels tile
// [0, M) and pair g of the layer pools into pooled row g (c * H/2 + y/2).
struct Geometry {
  int64_t M, W, Wp, Mp;
  int64_t pairs;           // C * H / 2
  int64_t pairs_per_item;  // R: items hold R * 2W neurons

  Geometry(int64_t C, int64_t H, int64_t W_)
      : M(C * H * W_), W(W_), Wp(W_ / 2), Mp(C * (H / 2) * (W_ / 2)), pairs(C * H / 2),
        pairs_per_item(std::max<int64_t>(1, kBlock / (2 * W_))) {}
  int64_t items() const { return (pairs + pairs_per_item - 1) / pairs_per_item; }
  int64_t max_item_neurons() const { return pairs_per_item * 2 * W; }
};

// The position (0..3: top left, top right, bottom left, bottom right) of
// max_pool2d's pick among a window's values: the first maximum in row-major
// order, a NaN replacing any earlier pick (ATen's CPU rule).
template <typename S>
inline int window_argmax(S a, S b, S c, S d) {
  const S v[4] = {a, b, c, d};
  S best = -std::numeric_limits<S>::infinity();
  int at = 0;
  for (int j = 0; j < 4; ++j) {
    if (v[j] > best || std::isnan(v[j])) {
      best = v[j];
      at = j;
    }
  }
  return at;
}

// Offset of window position `at` from the window's top-left neuron.
inline int64_t window_offset(int at, int64_t W) { return (at >> 1) * W + (at & 1); }

template <typename S>
void forward_kernel(const S* x, const S* k, bool per_neuron_k, S* pooled, S* h_seq, int64_t B,
                    int64_t T, const Geometry g, bool smooth, const neuron::Constants<S> c) {
  at::parallel_for(0, g.items(), 1, [&](int64_t first, int64_t last) {
    const int64_t cap = g.max_item_neurons();
    ForwardBlock<S> block(cap, smooth, h_seq != nullptr, c);
    std::vector<S> s_buf(cap);
    S* s = s_buf.data();
    const auto pool_max = neuron_rows_of<S>().pool_max;
    for (int64_t item = first; item < last; ++item) {
      const int64_t pair0 = item * g.pairs_per_item;
      const int64_t pairs = std::min(g.pairs_per_item, g.pairs - pair0);
      const int64_t m0 = pair0 * 2 * g.W;
      block.start_block(k, per_neuron_k, m0, pairs * 2 * g.W);
      for (int64_t b = 0; b < B; ++b) {
        block.start_sample();
        for (int64_t t = 0; t < T; ++t) {
          const int64_t row = (b * T + t) * g.M + m0;
          S* __restrict__ pr = pooled + (b * T + t) * g.Mp + pair0 * g.Wp;
          // The next row in memory is the next step's (or the next sample's
          // first); its spikes stay in s.
          NextForwardRows<S> next;
          if (b * T + t + 1 < B * T) {
            next = {x + row + g.M, nullptr, offset_or_null(h_seq, row + g.M)};
            prefetch_to_write(pr + g.Mp, pairs * g.Wp);
          }
          block.step(x + row, s, offset_or_null(h_seq, row), next);
          for (int64_t r = 0; r < pairs; ++r) {
            const S* top = s + r * 2 * g.W;
            if (!smooth) {
              // Spikes are exactly 0 or 1 (never NaN): the pick's value is
              // the window's maximum, computed without branches.
              pool_max(top, pr + r * g.Wp, g.W);
              continue;
            }
            for (int64_t px = 0; px < g.Wp; ++px) {
              const S* w = top + 2 * px;
              pr[r * g.Wp + px] = w[window_offset(window_argmax(w[0], w[1], w[g.W], w[g.W + 1]), g.W)];
            }
          }
        }
      }
    }
  });
}

// max_pool2d's backward for the smooth spikes (gradient checks only; they
// are not 0/1, so the pick is the general argmax): `pairs` row pairs of
// membrane h into grad_s (zero-filled first).
template <typename S>
void route_to_argmax(const S* h, const S* grad_pooled, S* grad_s, int64_t pairs,
                     const Geometry& g, const neuron::Constants<S>& c) {
  std::fill(grad_s, grad_s + pairs * 2 * g.W, S(0));
  for (int64_t r = 0; r < pairs; ++r) {
    const S* top = h + r * 2 * g.W;
    for (int64_t px = 0; px < g.Wp; ++px) {
      const S* w = top + 2 * px;
      const int at = window_argmax(neuron::fire<true>(w[0], c), neuron::fire<true>(w[1], c),
                                   neuron::fire<true>(w[g.W], c), neuron::fire<true>(w[g.W + 1], c));
      grad_s[r * 2 * g.W + 2 * px + window_offset(at, g.W)] += grad_pooled[r * g.Wp + px];
    }
  }
}

template <typename S, bool kSmooth>
void backward_kernel(const S* grad_pooled, const S* h_seq, const S* k, bool per_neuron_k,
                     S* grad_x, double* grad_k_m, double* grad_alpha_m, int64_t B, int64_t T,
                     const Geometry g, bool detach, const neuron::Constants<S> c) {
  at::parallel_for(0, g.items(), 1, [&](int64_t first, int64_t last) {
    const int64_t cap = g.max_item_neurons();
    BackwardBlock<S> block(cap, kSmooth, detach, c);
    std::vector<S> gs_buf(cap);
    S* __restrict__ gs = gs_buf.data();
    const auto pool_route = neuron_rows_of<S>().pool_route;
    for (int64_t item = first; item < last; ++item) {
      const int64_t pair0 = item * g.pairs_per_item;
      const int64_t pairs = std::min(g.pairs_per_item, g.pairs - pair0);
      const int64_t m0 = pair0 * 2 * g.W;
      const int64_t n = pairs * 2 * g.W;
      block.start_block(k, per_neuron_k, m0, n);
      for (int64_t b = 0; b < B; ++b) {
        block.start_sample();
        for (int64_t t = T - 1; t >= 0; --t) {
          const int64_t row = (b * T + t) * g.M + m0;
          const S* hr = h_seq + row;
          // The spikes' gradient: max_pool2d's backward, with each window's
          // argmax recomputed from the saved membrane.
          const S* __restrict__ gp = grad_pooled + (b * T + t) * g.Mp + pair0 * g.Wp;
          if constexpr (kSmooth) {
            route_to_argmax(hr, gp, gs, pairs, g, c);
          } else {
            for (int64_t r = 0; r < pairs; ++r)
              pool_route(hr + r * 2 * g.W, gp + r * g.Wp, gs + r * 2 * g.W, g.W, c);
          }
          NextBackwardRows<S> next;
          if (t > 0) {
            next = {t > 1 ? hr - 2 * g.M : nullptr, nullptr, grad_x + row - g.M};
            prefetch_to_read(gp - g.Mp, pairs * g.Wp);
          }
          block.step(hr, t > 0 ? hr - g.M : nullptr, gs, grad_x + row, next);
        }
        block.end_sample();
      }
      block.store(grad_k_m + m0, grad_alpha_m + m0);
    }
  });
}

void check_inputs(const torch::Tensor& x, const torch::Tensor& k, int64_t C, int64_t H, int64_t W,
                  const char* x_name) {
  TORCH_CHECK(x.device().is_cpu(), x_name, " must be a CPU tensor");
  TORCH_CHECK(x.dim() == 3 && x.is_contiguous(), x_name, " must be contiguous [B, T, M], got ",
              x.sizes());
  TORCH_CHECK(C >= 1 && H >= 2 && H % 2 == 0 && W >= 2 && x.size(2) == C * H * W,
              x_name, " must hold C x H x W neurons with H even and W >= 2; C ", C, ", H ", H,
              ", W ", W, ", M ", x.size(2));
  TORCH_CHECK(k.dim() == 1 && (k.size(0) == 1 || k.size(0) == x.size(2)),
              "k must be [1] or [M] with M = ", x.size(2), ", got ", k.sizes());
  TORCH_CHECK(k.scalar_type() == x.scalar_type(), "k must have ", x_name, "'s dtype");
}

template <typename S>
neuron::Constants<S> typed(const NeuronConstants& c, double alpha) {
  return neuron::Constants<S>{static_cast<S>(c.v_threshold), static_cast<S>(c.v_reset),
                              static_cast<S>(alpha)};
}

}  // namespace

NeuronPoolForward neuron_pool_forward_cpu(const torch::Tensor& x, const torch::Tensor& k,
                                          int64_t C, int64_t H, int64_t W,
                                          const NeuronConstants& constants, double alpha,
                                          bool save_h) {
  check_inputs(x, k, C, H, W, "x");
  const Geometry g(C, H, W);
  const torch::Tensor kc = k.contiguous();
  NeuronPoolForward out;
  out.pooled = torch::empty({x.size(0), x.size(1), g.Mp}, x.options());
  if (save_h) out.h_seq = torch::empty_like(x);
  if (x.numel() == 0) return out;
  AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "neuron_pool_forward_cpu", [&] {
    const auto c = typed<scalar_t>(constants, alpha);
    auto* h = save_h ? out.h_seq.data_ptr<scalar_t>() : nullptr;
    forward_kernel<scalar_t>(x.data_ptr<scalar_t>(), kc.data_ptr<scalar_t>(), kc.size(0) > 1,
                             out.pooled.data_ptr<scalar_t>(), h, x.size(0), x.size(1), g,
                             constants.smooth_spike, c);
  });
  return out;
}

NeuronBackward neuron_pool_backward_cpu(const torch::Tensor& grad_pooled,
                                        const torch::Tensor& h_seq, const torch::Tensor& k,
                                        int64_t C, int64_t H, int64_t W,
                                        const NeuronConstants& constants, double alpha) {
  check_inputs(h_seq, k, C, H, W, "h_seq");
  const Geometry g(C, H, W);
  TORCH_CHECK(grad_pooled.dim() == 3 && grad_pooled.size(0) == h_seq.size(0) &&
                  grad_pooled.size(1) == h_seq.size(1) && grad_pooled.size(2) == g.Mp,
              "grad_pooled must be [B, T, ", g.Mp, "], got ", grad_pooled.sizes());
  const torch::Tensor gp = grad_pooled.contiguous().to(h_seq.scalar_type());
  const torch::Tensor kc = k.contiguous();
  const int64_t M = h_seq.size(2);
  NeuronBackward out;
  out.grad_x = torch::empty_like(h_seq);
  const auto dbl = torch::TensorOptions().dtype(torch::kFloat64);
  torch::Tensor grad_k_m = torch::zeros({M}, dbl);
  torch::Tensor grad_alpha_m = torch::zeros({M}, dbl);
  if (h_seq.numel() > 0) {
    AT_DISPATCH_FLOATING_TYPES(h_seq.scalar_type(), "neuron_pool_backward_cpu", [&] {
      const auto c = typed<scalar_t>(constants, alpha);
      auto kernel = constants.smooth_spike ? backward_kernel<scalar_t, true>
                                           : backward_kernel<scalar_t, false>;
      kernel(gp.data_ptr<scalar_t>(), h_seq.data_ptr<scalar_t>(), kc.data_ptr<scalar_t>(),
             kc.size(0) > 1, out.grad_x.data_ptr<scalar_t>(), grad_k_m.data_ptr<double>(),
             grad_alpha_m.data_ptr<double>(), h_seq.size(0), h_seq.size(1), g,
             constants.detach_reset, c);
    });
  }
  sum_decay_and_alpha_grads(grad_k_m, grad_alpha_m, kc.size(0) > 1, h_seq.scalar_type(), out);
  return out;
}

}  // namespace plifkit::nn::cpu
