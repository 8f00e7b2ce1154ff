// One block of neurons of a fused neuron kernel, as plif_cpu and
// plif_pool_cpu both run it: the block's decays and state live in buffers of
// the work item (in L1 for blocks of ~512 neurons), and each time step calls
// the rows of the instruction set in use (neuron_rows.hpp). The kernels keep
// only their loops over blocks, samples and steps (and the pooling).
//
// Reductions: dL/dk and dL/dalpha are summed per neuron over the steps of a
// sample in S, then over the samples in double, in a fixed order, so the
// result does not depend on the thread count.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "plifkit/nn/cpu/neuron_rows.hpp"

namespace plifkit::nn::cpu {

// Rows of the next step are asked of the memory system while this step
// computes. A row is one sample's and step's values of a block (2 KB for 512
// floats) and the next lies M values away: too short a stream for the
// hardware prefetcher to reach full speed on, so each row would otherwise
// start at the memory's latency. The requests go out a chunk at a time,
// between the chunks of this step's work, so they do not queue behind one
// another. Null rows are skipped.
constexpr int64_t kPrefetchChunk = 128;
constexpr int64_t kCacheLineBytes = 64;

template <typename S>
constexpr int64_t kValuesPerLine = kCacheLineBytes / static_cast<int64_t>(sizeof(S));

template <typename S>
inline void prefetch_to_read(const S* row, int64_t n) {
  if (row == nullptr) return;
  for (int64_t i = 0; i < n; i += kValuesPerLine<S>) __builtin_prefetch(row + i, 0);
}
template <typename S>
inline void prefetch_to_write(S* row, int64_t n) {
  if (row == nullptr) return;
  for (int64_t i = 0; i < n; i += kValuesPerLine<S>) __builtin_prefetch(row + i, 1);
}

// Where the next step's rows lie (any may be null: nothing to fetch).
template <typename S>
struct NextForwardRows {
  const S* x = nullptr;
  S* spikes = nullptr;
  S* h = nullptr;
};
template <typename S>
struct NextBackwardRows {
  const S* h_prev = nullptr;  // the next step's h_prev (this step's h_prev is its h)
  const S* grad_spikes = nullptr;
  S* grad_x = nullptr;
};

// P is S or const S.
template <typename P>
P* offset_or_null(P* p, int64_t i) {
  return p != nullptr ? p + i : nullptr;
}

template <typename S>
void load_block_decay(const S* k, bool per_neuron_k, int64_t m0, int64_t n, S* kb) {
  for (int64_t i = 0; i < n; ++i) kb[i] = per_neuron_k ? k[m0 + i] : k[0];
}

// The forward of one block: start_block, then per sample start_sample and
// one step per time step.
template <typename S>
class ForwardBlock {
 public:
  ForwardBlock(int64_t capacity, bool smooth, bool save_h, const neuron::Constants<S>& c)
      : row_(neuron_rows_of<S>().forward[smooth][save_h]), c_(c), v_(capacity), k_(capacity) {}

  void start_block(const S* k, bool per_neuron_k, int64_t m0, int64_t n) {
    n_ = n;
    load_block_decay(k, per_neuron_k, m0, n, k_.data());
  }
  void start_sample() {
    for (int64_t i = 0; i < n_; ++i) v_[i] = c_.v_reset;
  }
  // x: the step's input row; spikes and h (null unless saving h): its outputs.
  void step(const S* x, S* spikes, S* h, const NextForwardRows<S>& next) {
    for (int64_t i = 0; i < n_; i += kPrefetchChunk) {
      const int64_t m = std::min(kPrefetchChunk, n_ - i);
      prefetch_to_read(offset_or_null(next.x, i), m);
      prefetch_to_write(offset_or_null(next.spikes, i), m);
      prefetch_to_write(offset_or_null(next.h, i), m);
      row_(x + i, k_.data() + i, v_.data() + i, spikes + i, offset_or_null(h, i), m, c_);
    }
  }

 private:
  typename NeuronRowKernels<S>::Forward row_;
  neuron::Constants<S> c_;
  std::vector<S> v_, k_;
  int64_t n_ = 0;
};

// The backward of one block: start_block, per sample start_sample, the
// steps from the last to the first, end_sample; then store.
template <typename S>
class BackwardBlock {
 public:
  BackwardBlock(int64_t capacity, bool smooth, bool detach, const neuron::Constants<S>& c)
      : membrane_(neuron_rows_of<S>().membrane_before[smooth]),
        row_(neuron_rows_of<S>().backward[smooth][detach]), c_(c), k_(capacity),
        grad_v_(capacity), v_prev_(capacity), gk_step_(capacity), ga_step_(capacity),
        gk_(capacity), ga_(capacity) {}

  void start_block(const S* k, bool per_neuron_k, int64_t m0, int64_t n) {
    n_ = n;
    load_block_decay(k, per_neuron_k, m0, n, k_.data());
    for (int64_t i = 0; i < n; ++i) gk_[i] = ga_[i] = 0.0;
  }
  void start_sample() {
    for (int64_t i = 0; i < n_; ++i) grad_v_[i] = gk_step_[i] = ga_step_[i] = S(0);
  }
  // h, h_prev: the saved membrane of this step and of the one before (null
  // at t = 0); grad_spikes: dL/ds of this step; grad_x: written.
  void step(const S* h, const S* h_prev, const S* grad_spikes, S* grad_x,
            const NextBackwardRows<S>& next) {
    if (h_prev == nullptr) {
      for (int64_t i = 0; i < n_; ++i) v_prev_[i] = c_.v_reset;
    }
    for (int64_t i = 0; i < n_; i += kPrefetchChunk) {
      const int64_t m = std::min(kPrefetchChunk, n_ - i);
      prefetch_to_read(offset_or_null(next.h_prev, i), m);
      prefetch_to_read(offset_or_null(next.grad_spikes, i), m);
      prefetch_to_write(offset_or_null(next.grad_x, i), m);
      if (h_prev != nullptr) membrane_(h_prev + i, v_prev_.data() + i, m, c_);
      row_(h + i, v_prev_.data() + i, grad_spikes + i, k_.data() + i, grad_v_.data() + i,
           gk_step_.data() + i, ga_step_.data() + i, grad_x + i, m, c_);
    }
  }
  void end_sample() {
    for (int64_t i = 0; i < n_; ++i) {
      gk_[i] += gk_step_[i];
      ga_[i] += ga_step_[i];
    }
  }
  // The block's per-neuron sums into [M]-sized arrays, at the block's start.
  void store(double* grad_k_m, double* grad_alpha_m) const {
    for (int64_t i = 0; i < n_; ++i) {
      grad_k_m[i] = gk_[i];
      grad_alpha_m[i] = ga_[i];
    }
  }

 private:
  typename NeuronRowKernels<S>::MembraneBefore membrane_;
  typename NeuronRowKernels<S>::Backward row_;
  neuron::Constants<S> c_;
  std::vector<S> k_, grad_v_, v_prev_, gk_step_, ga_step_;
  std::vector<double> gk_, ga_;
  int64_t n_ = 0;
};

}  // namespace plifkit::nn::cpu
