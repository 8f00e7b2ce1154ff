// The neuron kernels compiled for every instruction set this CPU runs
// (nn/cpu/cpu_isa.hpp) compute the baseline build's values bit for bit:
// spikes, pooled spikes and every gradient, float32 and float64, per-layer
// and per-neuron decay, with and without detached reset, on inputs that
// make many neurons fire and windows tie. Row lengths that are no multiple
// of any vector width (odd W, M not a multiple of 16) exercise the tails.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <vector>

#include "plifkit/nn/cpu/cpu_isa.hpp"
#include "plifkit/nn/neuron_op.hpp"
#include "plifkit/nn/neuron_pool_op.hpp"

namespace plifkit::nn {
namespace {

struct Outputs {
  std::vector<torch::Tensor> tensors;
};

// Forward and backward of both fused operations on fixed random inputs.
Outputs run_all(torch::ScalarType dtype, bool per_neuron, bool detach) {
  torch::manual_seed(11);
  const auto opts = torch::TensorOptions().dtype(dtype);
  const int64_t B = 3, T = 7, C = 3, H = 6, W = 7;  // M = 126: vector tails
  const auto x0 = torch::randn({B, T, C, H, W}, opts) * 1.5 + 0.6;
  const auto k0 = per_neuron ? torch::rand({1, C, H, W}, opts) * 0.6 + 0.2 : torch::tensor(0.5, opts);
  const auto grad_s = torch::randn({B, T, C, H, W}, opts);
  const auto grad_p = torch::randn({B, T, C, H / 2, W / 2}, opts);
  NeuronConstants o;
  o.detach_reset = detach;
  Outputs out;
  for (bool pool : {false, true}) {
    auto x = x0.clone().requires_grad_(true);
    auto k = k0.clone().requires_grad_(true);
    auto alpha = torch::tensor(2.0, opts).requires_grad_(true);
    const torch::Tensor y = pool ? neuron_max_pool(x, k, alpha, o) : neuron_multistep(x, k, alpha, o);
    y.backward(pool ? grad_p : grad_s);
    out.tensors.insert(out.tensors.end(), {y.detach(), x.grad(), k.grad(), alpha.grad()});
  }
  return out;
}

TEST(CpuIsa, EverySupportedSetComputesTheBaselinesBits) {
  const std::vector<cpu::CpuIsa> isas = cpu::supported_cpu_isas();
  ASSERT_FALSE(isas.empty());
  EXPECT_EQ(isas.front(), cpu::CpuIsa::baseline);
  const cpu::CpuIsa before = cpu::current_cpu_isa();
  for (torch::ScalarType dtype : {torch::kFloat32, torch::kFloat64}) {
    for (bool per_neuron : {false, true}) {
      for (bool detach : {false, true}) {
        cpu::use_cpu_isa(cpu::CpuIsa::baseline);
        const Outputs want = run_all(dtype, per_neuron, detach);
        for (cpu::CpuIsa isa : isas) {
          SCOPED_TRACE(std::string(cpu::name_of(isa)) + (dtype == torch::kFloat32 ? " f32" : " f64") +
                       (per_neuron ? " per neuron" : " per layer") + (detach ? " detach" : ""));
          cpu::use_cpu_isa(isa);
          EXPECT_EQ(cpu::current_cpu_isa(), isa);
          const Outputs got = run_all(dtype, per_neuron, detach);
          ASSERT_EQ(got.tensors.size(), want.tensors.size());
          for (size_t i = 0; i < want.tensors.size(); ++i)
            EXPECT_TRUE(torch::equal(got.tensors[i], want.tensors[i])) << "output " << i;
        }
      }
    }
  }
  // Some spikes and some silence, or the comparison proves little.
  const double rate = run_all(torch::kFloat32, true, true).tensors[0].mean().item<double>();
  EXPECT_GT(rate, 0.1);
  EXPECT_LT(rate, 0.9);
  cpu::use_cpu_isa(before);
}

TEST(CpuIsa, TheWidestSupportedSetIsTheDefault) {
  // PLIFKIT_CPU_ISA is unset under ctest; the choice is then the widest set.
  if (std::getenv("PLIFKIT_CPU_ISA") != nullptr) GTEST_SKIP() << "PLIFKIT_CPU_ISA is set";
  EXPECT_EQ(cpu::supported_cpu_isas().back(), cpu::current_cpu_isa());
}

}  // namespace
}  // namespace plifkit::nn
