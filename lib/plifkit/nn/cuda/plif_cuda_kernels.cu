#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include "plifkit/nn/cuda/plif_cuda_kernels.cuh"

namespace plifkit::nn::cuda {

namespace {

constexpr int kThreads = 256;

template <typename In>
__device__ __forceinline__ float load(const In* p) {
  return static_cast<float>(*p);
}

template <typename In>
__device__ __forceinline__ void store(In* p, float v) {
  *p = static_cast<In>(v);
}

// The smooth spike (gradient checks) and the detached reset are template
// parameters, as in the CPU kernel: no branch in the training kernels.
template <typename In, bool kSmooth>
__global__ void forward_kernel(const In* __restrict__ x, const float* __restrict__ k,
                               bool per_neuron_k, const float* __restrict__ alpha,
                               In* __restrict__ spikes, float* __restrict__ h_seq, int64_t B,
                               int64_t T, int64_t M, neuron::Constants<float> c) {
  const int64_t index = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (index >= B * M) return;
  const int64_t b = index / M;
  const int64_t m = index - b * M;
  c.alpha = *alpha;
  const float km = per_neuron_k ? k[m] : k[0];
  float v = c.v_reset;
  for (int64_t t = 0; t < T; ++t) {
    const int64_t at = (b * T + t) * M + m;
    const float h = neuron::charge(v, load(x + at), km, c.v_reset);
    const float s = neuron::fire<kSmooth>(h, c);
    store(spikes + at, s);
    if (h_seq != nullptr) h_seq[at] = h;
    v = neuron::reset(h, s, c.v_reset);
  }
}

// One thread per (batch group g, neuron m): runs its group's samples b and
// t = T-1..0 and writes its own partial sums of dL/dk and dL/dalpha at
// [g, m] (no atomics). Consecutive threads take consecutive neurons, so
// reads and writes are coalesced.
template <typename In, bool kSmooth, bool kDetach>
__global__ void backward_kernel(const In* __restrict__ grad_spikes, const float* __restrict__ h_seq,
                                const float* __restrict__ k, bool per_neuron_k,
                                const float* __restrict__ alpha, In* __restrict__ grad_x,
                                float* __restrict__ grad_k_gm, float* __restrict__ grad_alpha_gm,
                                int64_t B, int64_t T, int64_t M, int64_t groups,
                                neuron::Constants<float> c) {
  const int64_t index = static_cast<int64_t>(blockIdx.x) * blockDim.x + threadIdx.x;
  if (index >= groups * M) return;
  const int64_t g = index / M;
  const int64_t m = index - g * M;
  const int64_t per_group = (B + groups - 1) / groups;
  const int64_t b_end = (g + 1) * per_group < B ? (g + 1) * per_group : B;
  c.alpha = *alpha;
  const float km = per_neuron_k ? k[m] : k[0];
  float gk = 0.f, ga = 0.f;
  for (int64_t b = g * per_group; b < b_end; ++b) {
    float grad_v = 0.f;
    for (int64_t t = T - 1; t >= 0; --t) {
      const int64_t at = (b * T + t) * M + m;
      const float h = h_seq[at];
      float v_prev = c.v_reset;
      if (t > 0) {
        const float hp = h_seq[at - M];
        v_prev = neuron::reset(hp, neuron::fire<kSmooth>(hp, c), c.v_reset);
      }
      const auto g_step = neuron::backward_step<kDetach, kSmooth>(
          h, (h - v_prev) / km, load(grad_spikes + at), grad_v, km, c);
      store(grad_x + at, g_step.grad_x);
      gk += g_step.grad_k;
      ga += g_step.grad_alpha;
      grad_v = g_step.grad_v_prev;
    }
  }
  grad_k_gm[index] = gk;
  grad_alpha_gm[index] = ga;
}

unsigned blocks_for(int64_t n) { return static_cast<unsigned>((n + kThreads - 1) / kThreads); }

}  // namespace

template <typename In>
cudaError_t launch_neuron_forward(const In* x, const float* k, bool per_neuron_k,
                                  const float* alpha, In* spikes, float* h_seq, int64_t B,
                                  int64_t T, int64_t M, const neuron::Constants<float>& c,
                                  bool smooth_spike, cudaStream_t stream) {
  if (B * M == 0) return cudaSuccess;
  auto kernel = smooth_spike ? forward_kernel<In, true> : forward_kernel<In, false>;
  kernel<<<blocks_for(B * M), kThreads, 0, stream>>>(x, k, per_neuron_k, alpha, spikes, h_seq, B, T,
                                                      M, c);
  return cudaGetLastError();
}

int64_t backward_batch_groups(int64_t B, int64_t M) {
  if (B <= 1 || M <= 0) return 1;
  // Enough threads to fill a large GPU (~130 SMs x 2048 threads); a wide
  // conv layer (M in the millions) keeps one group and one [M] partial.
  constexpr int64_t kTargetThreads = int64_t{1} << 18;
  const int64_t wanted = (kTargetThreads + M - 1) / M;
  return wanted < B ? wanted : B;
}

template <typename In>
cudaError_t launch_neuron_backward(const In* grad_spikes, const float* h_seq, const float* k,
                                   bool per_neuron_k, const float* alpha, In* grad_x,
                                   float* grad_k_gm, float* grad_alpha_gm, int64_t B, int64_t T,
                                   int64_t M, const neuron::Constants<float>& c,
                                   bool detach_reset, bool smooth_spike, cudaStream_t stream) {
  if (M == 0) return cudaSuccess;
  const int64_t groups = backward_batch_groups(B, M);
  auto kernel = smooth_spike ? (detach_reset ? backward_kernel<In, true, true>
                                             : backward_kernel<In, true, false>)
                             : (detach_reset ? backward_kernel<In, false, true>
                                             : backward_kernel<In, false, false>);
  kernel<<<blocks_for(groups * M), kThreads, 0, stream>>>(grad_spikes, h_seq, k, per_neuron_k,
                                                           alpha, grad_x, grad_k_gm,
                                                           grad_alpha_gm, B, T, M, groups, c);
  return cudaGetLastError();
}

#define PLIFKIT_INSTANTIATE(In)                                                                  \
  template cudaError_t launch_neuron_forward<In>(const In*, const float*, bool, const float*,    \
                                                 In*, float*, int64_t, int64_t, int64_t,         \
                                                 const neuron::Constants<float>&, bool,          \
                                                 cudaStream_t);                                  \
  template cudaError_t launch_neuron_backward<In>(const In*, const float*, const float*, bool,   \
                                                  const float*, In*, float*, float*, int64_t,    \
                                                  int64_t, int64_t,                              \
                                                  const neuron::Constants<float>&, bool, bool,   \
                                                  cudaStream_t);

PLIFKIT_INSTANTIATE(float)
PLIFKIT_INSTANTIATE(__half)
PLIFKIT_INSTANTIATE(__nv_bfloat16)

}  // namespace plifkit::nn::cuda
