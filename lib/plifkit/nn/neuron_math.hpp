// The per-element arithmetic of the PLIF/LIF neuron, written once for every
// backend (plain C++ here, and the CUDA kernels include it as-is: every
// function is PLIFKIT_HD). The forward and backward kernels only loop.
//
// Neuron (v_reset, v_th fixed; k = sigmoid(w) for PLIF, 1/tau for LIF):
//   h_t = v_{t-1} + (x_t - (v_{t-1} - v_reset)) * k        charge
//   s_t = H(h_t - v_th)                                   fire (H(0) = 1)
//   v_t = h_t * (1 - s_t) + v_reset * s_t                 hard reset
// The backward of H is the ATan surrogate,
//   dH/du ~ g'(u) = alpha / (2 * (1 + (pi/2 * alpha * u)^2)),
// the derivative of g(u) = atan(pi/2 * alpha * u) / pi + 1/2.
//
// Two switches are template parameters, so that the kernels' inner loops
// carry no branch and vectorise:
//   kDetachReset  the reset uses s with its gradient cut;
//   kSmoothSpike  fire with the smooth g(u) instead of H(u), so the backward
//                 (which uses g') is the exact derivative and can be checked
//                 against finite differences. Never used for training.
#pragma once

#include <cmath>

#include "plifkit/core/math_constants.hpp"

// Always inlined on the host too: the per-instruction-set kernels
// (nn/cpu/isa/) include these, and an out-of-line copy compiled for AVX2
// could otherwise be the one the linker keeps for every caller.
#if defined(__CUDACC__)
#define PLIFKIT_HD __host__ __device__ __forceinline__
#elif defined(__GNUC__)
#define PLIFKIT_HD inline __attribute__((always_inline))
#else
#define PLIFKIT_HD inline
#endif

namespace plifkit::nn::neuron {


template <typename S>
struct Constants {
  S v_threshold;
  S v_reset;
  S alpha;
};

template <typename S>
PLIFKIT_HD S charge(S v, S x, S k, S v_reset) {
  return v + (x - (v - v_reset)) * k;
}

template <bool kSmoothSpike, typename S>
PLIFKIT_HD S fire(S h, const Constants<S>& c) {
  const S u = h - c.v_threshold;
  if constexpr (kSmoothSpike) {
    // Plain ::atan(double): callable from host and device code alike.
    return static_cast<S>(::atan(kPi / 2 * c.alpha * u) / kPi + 0.5);
  } else {
    return static_cast<S>(u >= S(0));
  }
}

template <typename S>
PLIFKIT_HD S reset(S h, S s, S v_reset) {
  return h * (S(1) - s) + v_reset * s;
}

// g'(u): the surrogate derivative of the spike with respect to h.
template <typename S>
PLIFKIT_HD S surrogate_grad(S u, S alpha) {
  const S a = static_cast<S>(kPi / 2) * alpha * u;
  return alpha / (S(2) * (S(1) + a * a));
}

// dg/dalpha at u: how the surrogate spike moves with a learnable alpha.
template <typename S>
PLIFKIT_HD S surrogate_grad_alpha(S u, S alpha) {
  const S a = static_cast<S>(kPi / 2) * alpha * u;
  return u / (S(2) * (S(1) + a * a));
}

// Gradients of one step, run backwards in time. In: the saved h_t,
// x_t - (v_{t-1} - v_reset) (= (h_t - v_{t-1}) / k), dL/ds_t from downstream
// and dL/dv_t carried from step t+1. Out: dL/dx_t, the step's share of dL/dk
// and dL/dalpha, and dL/dv_{t-1} to carry on.
template <typename S>
struct StepGrads {
  S grad_x;
  S grad_k;
  S grad_alpha;
  S grad_v_prev;
};

template <bool kDetachReset, bool kSmoothSpike, typename S>
PLIFKIT_HD StepGrads<S> backward_step(S h, S x_minus_v, S grad_spike, S grad_v, S k,
                                      const Constants<S>& c) {
  const S u = h - c.v_threshold;
  const S s = fire<kSmoothSpike>(h, c);
  // dL/ds through the output and, unless detached, through the reset.
  S grad_s = grad_spike;
  if constexpr (!kDetachReset) grad_s += grad_v * (c.v_reset - h);
  const S grad_h = grad_s * surrogate_grad(u, c.alpha) + grad_v * (S(1) - s);
  StepGrads<S> g;
  g.grad_x = grad_h * k;
  g.grad_k = grad_h * x_minus_v;
  g.grad_alpha = grad_s * surrogate_grad_alpha(u, c.alpha);
  g.grad_v_prev = grad_h * (S(1) - k);
  return g;
}

}  // namespace plifkit::nn::neuron
