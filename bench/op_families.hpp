// Where a training step's time goes by operator family, from ATen's
// RecordFunction callbacks (what the autograd profiler listens to):
// convolutions, batch normalisation, plifkit's neurons (with the pooling
// fused into them) and max pooling, forward operators and backward nodes
// alike. Only the outermost call of a family counts, so an operator that calls
// another of its family (convolution -> mkldnn_convolution) is timed once.
#pragma once

#include <ATen/record_function.h>

#include <array>
#include <atomic>
#include <cctype>
#include <chrono>
#include <memory>
#include <string>

namespace plifkit::bench {

constexpr int kOpFamilies = 4;
inline const char* op_family_name(int family) {
  static const char* const names[kOpFamilies] = {"conv", "norm", "neuron", "pool"};
  return names[family];
}

// The family of an operator or backward node name, -1 for none.
inline int op_family_of(const char* name) {
  std::string lower(name);
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  const auto has = [&](const char* part) { return lower.find(part) != std::string::npos; };
  if (has("conv")) return 0;  // aten::convolution, ConvolutionBackward0, ...
  if (has("batch_norm") || has("batchnorm") || has("normalisation")) return 1;
  if (has("neuron") || has("surrogatespike")) return 2;  // before "pool": plifkit::neuron_pool
  if (has("pool")) return 3;
  return -1;
}

// Seconds per family since construction; one instance at a time.
class OpFamilyTimer {
 public:
  OpFamilyTimer() {
    for (auto& total : totals_ns()) total = 0;
    handle_ = at::addGlobalCallback(
        at::RecordFunctionCallback(&on_start, &on_end)
            .scopes({at::RecordScope::FUNCTION, at::RecordScope::BACKWARD_FUNCTION}));
  }
  ~OpFamilyTimer() { at::removeCallback(handle_); }
  OpFamilyTimer(const OpFamilyTimer&) = delete;
  OpFamilyTimer& operator=(const OpFamilyTimer&) = delete;

  std::array<double, kOpFamilies> seconds() const {
    std::array<double, kOpFamilies> out{};
    for (int f = 0; f < kOpFamilies; ++f) out[f] = 1e-9 * static_cast<double>(totals_ns()[f].load());
    return out;
  }

 private:
  using Clock = std::chrono::steady_clock;
  struct Started : at::ObserverContext {
    Clock::time_point t0 = Clock::now();
  };

  static std::array<std::atomic<long long>, kOpFamilies>& totals_ns() {
    static std::array<std::atomic<long long>, kOpFamilies> totals{};
    return totals;
  }
  static std::array<int, kOpFamilies>& open_calls() {
    thread_local std::array<int, kOpFamilies> open{};
    return open;
  }

  static std::unique_ptr<at::ObserverContext> on_start(const at::RecordFunction& fn) {
    const int family = op_family_of(fn.name());
    if (family < 0 || open_calls()[family]++ > 0) return nullptr;
    return std::make_unique<Started>();
  }
  static void on_end(const at::RecordFunction& fn, at::ObserverContext* context) {
    const int family = op_family_of(fn.name());
    if (family < 0) return;
    --open_calls()[family];
    if (context == nullptr) return;
    const auto elapsed = Clock::now() - static_cast<Started*>(context)->t0;
    totals_ns()[family] += std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count();
  }

  at::CallbackHandle handle_;
};

}  // namespace plifkit::bench
