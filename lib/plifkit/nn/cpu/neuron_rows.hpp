// The neuron's innermost loops over one row of n neurons (one sample, one
// time step, one block of neurons), one set per instruction set
// (nn/cpu/isa/neuron_rows_isa.cpp, compiled once per set). plif_cpu and
// plif_pool_cpu own the loops over blocks, samples and steps and call these
// for the per-element work, so both compute it with the same code.
// All pointers of one call address disjoint memory.
#pragma once

#include <cstdint>

#include "plifkit/nn/cpu/cpu_isa.hpp"
#include "plifkit/nn/neuron_math.hpp"

namespace plifkit::nn::cpu {

template <typename S>
struct NeuronRowKernels {
  // Charge, fire and reset one step: v (membrane, updated in place), x and k
  // in; spikes and (when h is not null in the kSaveH variant) h out.
  using Forward = void (*)(const S* x, const S* k, S* v, S* spikes, S* h, int64_t n,
                           neuron::Constants<S> c);
  // The membrane after step t-1's reset, recomputed from its saved h.
  using MembraneBefore = void (*)(const S* h_prev, S* v_prev, int64_t n, neuron::Constants<S> c);
  // One step backwards: grad_v (carried dL/dv) updated in place, grad_x
  // written, the step's dL/dk and dL/dalpha added to grad_k and grad_alpha.
  using Backward = void (*)(const S* h, const S* v_prev, const S* grad_spikes, const S* k,
                            S* grad_v, S* grad_k, S* grad_alpha, S* grad_x, int64_t n,
                            neuron::Constants<S> c);

  // 2x2 max pooling of one pair of spike rows (top s, bottom s + w; w even):
  // pooled[j] = the maximum of window j. Spikes only (0/1, never NaN).
  using PoolMax = void (*)(const S* s, S* pooled, int64_t w);
  // max_pool2d's backward for one pair of rows of saved membrane h (top h,
  // bottom h + w): each window's pooled gradient goes to its pick, the first
  // of its spikes (recomputed with the step function) in row-major order
  // that fires, the top left when none does; grad_s (2 w values) is
  // written whole, 0 where not picked. Spikes only (not kSmoothSpike).
  using PoolRoute = void (*)(const S* h, const S* grad_pooled, S* grad_s, int64_t w,
                             neuron::Constants<S> c);

  Forward forward[2][2];            // [smooth spike][save h]
  MembraneBefore membrane_before[2];  // [smooth spike]
  Backward backward[2][2];          // [smooth spike][detach reset]
  PoolMax pool_max;
  PoolRoute pool_route;
};

struct NeuronRowSet {
  NeuronRowKernels<float> f32;
  NeuronRowKernels<double> f64;
};

// The rows of the instruction set in use (cpu_isa.hpp).
const NeuronRowSet& neuron_rows();

template <typename S>
const NeuronRowKernels<S>& neuron_rows_of() {
  if constexpr (sizeof(S) == 4) {
    return neuron_rows().f32;
  } else {
    return neuron_rows().f64;
  }
}

}  // namespace plifkit::nn::cpu
