// The neuron rows (neuron_rows.hpp), compiled once per instruction set with
// that set's flags (lib/CMakeLists.txt) and PLIFKIT_ISA naming the set.
// Everything here has internal linkage or a per-set namespace, and the
// per-element math (neuron_math.hpp) is always inlined: no function compiled
// for a wider set can stand in for the baseline's at link time. Plain loops
// instead of std algorithms for the same reason (their instantiations would
// be shared between the sets).
#include "plifkit/nn/cpu/neuron_rows.hpp"

#include "plifkit/nn/cpu/isa/isa_namespace.hpp"

namespace plifkit::nn::cpu::PLIFKIT_ISA_NAMESPACE {

namespace {

template <typename S, bool kSmooth, bool kSaveH>
void forward_row(const S* __restrict__ x, const S* __restrict__ k, S* __restrict__ v,
                 S* __restrict__ spikes, S* __restrict__ h_out, int64_t n,
                 const neuron::Constants<S> c) {
  for (int64_t i = 0; i < n; ++i) {
    const S h = neuron::charge(v[i], x[i], k[i], c.v_reset);
    const S s = neuron::fire<kSmooth>(h, c);
    spikes[i] = s;
    if constexpr (kSaveH) h_out[i] = h;
    v[i] = neuron::reset(h, s, c.v_reset);
  }
}

template <typename S, bool kSmooth>
void membrane_before_row(const S* __restrict__ h_prev, S* __restrict__ v_prev, int64_t n,
                         const neuron::Constants<S> c) {
  for (int64_t i = 0; i < n; ++i)
    v_prev[i] = neuron::reset(h_prev[i], neuron::fire<kSmooth>(h_prev[i], c), c.v_reset);
}

template <typename S, bool kSmooth, bool kDetach>
void backward_row(const S* __restrict__ h, const S* __restrict__ v_prev,
                  const S* __restrict__ grad_spikes, const S* __restrict__ k,
                  S* __restrict__ grad_v, S* __restrict__ grad_k, S* __restrict__ grad_alpha,
                  S* __restrict__ grad_x, int64_t n, const neuron::Constants<S> c) {
  for (int64_t i = 0; i < n; ++i) {
    const S hi = h[i];
    const auto g = neuron::backward_step<kDetach, kSmooth>(hi, (hi - v_prev[i]) / k[i],
                                                            grad_spikes[i], grad_v[i], k[i], c);
    grad_x[i] = g.grad_x;
    grad_k[i] += g.grad_k;
    grad_alpha[i] += g.grad_alpha;
    grad_v[i] = g.grad_v_prev;
  }
}

template <typename S>
void pool_max_rows(const S* __restrict__ s, S* __restrict__ pooled, int64_t w) {
  const S* __restrict__ bottom = s + w;
  for (int64_t j = 0; j < w / 2; ++j) {
    // A plain maximum: on 0/1 spikes it is max_pool2d's pick's value.
    const S top_max = s[2 * j] > s[2 * j + 1] ? s[2 * j] : s[2 * j + 1];
    const S bottom_max = bottom[2 * j] > bottom[2 * j + 1] ? bottom[2 * j] : bottom[2 * j + 1];
    pooled[j] = top_max > bottom_max ? top_max : bottom_max;
  }
}

template <typename S>
void pool_route_rows(const S* __restrict__ h, const S* __restrict__ grad_pooled,
                     S* __restrict__ grad_s, int64_t w, const neuron::Constants<S> c) {
  const S* __restrict__ h_bottom = h + w;
  S* __restrict__ g_bottom = grad_s + w;
  for (int64_t j = 0; j < w / 2; ++j) {
    // The window's spikes (0/1) and, in 0/1 arithmetic (exact), which one
    // is the pick: the first that fires, the top left when none does.
    const S a = neuron::fire<false>(h[2 * j], c), b = neuron::fire<false>(h[2 * j + 1], c);
    const S d = neuron::fire<false>(h_bottom[2 * j], c);
    const S e = neuron::fire<false>(h_bottom[2 * j + 1], c);
    const S pick_b = (S(1) - a) * b;
    const S pick_d = (S(1) - a) * (S(1) - b) * d;
    const S pick_e = (S(1) - a) * (S(1) - b) * (S(1) - d) * e;
    const S pick_a = S(1) - pick_b - pick_d - pick_e;
    // 0 + g, as the zero-filled row plus the routed gradient gave (-0 -> +0).
    const S g = S(0) + grad_pooled[j];
    grad_s[2 * j] = pick_a > S(0) ? g : S(0);
    grad_s[2 * j + 1] = pick_b > S(0) ? g : S(0);
    g_bottom[2 * j] = pick_d > S(0) ? g : S(0);
    g_bottom[2 * j + 1] = pick_e > S(0) ? g : S(0);
  }
}

template <typename S>
NeuronRowKernels<S> rows() {
  NeuronRowKernels<S> r{};
  r.forward[0][0] = forward_row<S, false, false>;
  r.forward[0][1] = forward_row<S, false, true>;
  r.forward[1][0] = forward_row<S, true, false>;
  r.forward[1][1] = forward_row<S, true, true>;
  r.membrane_before[0] = membrane_before_row<S, false>;
  r.membrane_before[1] = membrane_before_row<S, true>;
  r.backward[0][0] = backward_row<S, false, false>;
  r.backward[0][1] = backward_row<S, false, true>;
  r.backward[1][0] = backward_row<S, true, false>;
  r.backward[1][1] = backward_row<S, true, true>;
  r.pool_max = pool_max_rows<S>;
  r.pool_route = pool_route_rows<S>;
  return r;
}

}  // namespace

NeuronRowSet neuron_row_set() { return {rows<float>(), rows<double>()}; }

}  // namespace plifkit::nn::cpu::PLIFKIT_ISA_NAMESPACE
