// The neuron-and-max-pool operation against what it replaces, the fused
// neuron followed by max_pool2d: the same pooled spikes and the same
// gradients, bit for bit, on both of its paths (the CPU kernel for even
// heights, the two-step path otherwise); and one case derived by hand.
#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>

#include "plifkit/nn/neuron_op.hpp"
#include "plifkit/nn/neuron_pool_op.hpp"

namespace plifkit::nn {
namespace {

constexpr double kPi = 3.14159265358979323846;

struct Case {
  int64_t H, W;
  bool per_neuron, detach, smooth;
  torch::ScalarType dtype;
};

struct Result {
  torch::Tensor pooled, grad_x, grad_k, grad_alpha;
};

// x, k, alpha with requires_grad; the pooled output backpropagates `grad`.
Result run(const Case& c, bool fused_pool, const torch::Tensor& x0, const torch::Tensor& k0,
           const torch::Tensor& grad) {
  auto x = x0.detach().clone().requires_grad_(true);
  auto k = k0.detach().clone().requires_grad_(true);
  auto alpha = torch::tensor(2.0, torch::TensorOptions().dtype(c.dtype)).requires_grad_(true);
  NeuronConstants o;
  o.detach_reset = c.detach;
  o.smooth_spike = c.smooth;
  torch::Tensor pooled;
  if (fused_pool) {
    pooled = neuron_max_pool(x, k, alpha, o);
  } else {
    const auto s = neuron_multistep(x, k, alpha, o);
    const auto sizes = x.sizes();
    pooled = torch::max_pool2d(s.flatten(0, 1), 2, 2)
                 .view({sizes[0], sizes[1], sizes[2], sizes[3] / 2, sizes[4] / 2});
  }
  pooled.backward(grad);
  return {pooled.detach(), x.grad(), k.grad(), alpha.grad()};
}

void expect_same(const Case& c) {
  const int64_t B = 3, T = 6, C = 2;
  torch::manual_seed(7);
  const auto opts = torch::TensorOptions().dtype(c.dtype);
  // Strong inputs: many windows hold several spikes (ties for the argmax).
  const auto x = torch::randn({B, T, C, c.H, c.W}, opts) * 1.5 + 0.6;
  const auto k = c.per_neuron ? torch::rand({1, C, c.H, c.W}, opts) * 0.6 + 0.2
                              : torch::tensor(0.5, opts);
  const auto grad = torch::randn({B, T, C, c.H / 2, c.W / 2}, opts);
  const Result want = run(c, false, x, k, grad);
  const Result got = run(c, true, x, k, grad);
  const std::string where = "H " + std::to_string(c.H) + " W " + std::to_string(c.W) +
                            (c.per_neuron ? " per neuron" : " per layer") +
                            (c.detach ? " detached" : "") + (c.smooth ? " smooth" : "");
  EXPECT_GT(want.pooled.sum().item<double>(), 0.0) << where;
  EXPECT_TRUE(torch::equal(got.pooled, want.pooled)) << where;
  EXPECT_TRUE(torch::equal(got.grad_x, want.grad_x)) << where;
  EXPECT_TRUE(torch::equal(got.grad_k, want.grad_k)) << where;
  EXPECT_TRUE(torch::equal(got.grad_alpha, want.grad_alpha)) << where;
}

TEST(NeuronMaxPool, EqualsNeuronThenMaxPoolBitForBit) {
  for (int64_t H : {6, 5})          // the CPU kernel; the two-step path (odd height)
    for (int64_t W : {10, 7})       // an odd width drops its last column
      for (bool per_neuron : {false, true})
        for (bool detach : {true, false})
          for (bool smooth : {false, true})
            for (auto dtype : {torch::kFloat32, torch::kFloat64})
              expect_same({H, W, per_neuron, detach, smooth, dtype});
}

TEST(NeuronMaxPool, LargeLayerEqualsNeuronThenMaxPool) {
  // Rows wider than a work item, and items spanning channels.
  expect_same({8, 600, true, true, false, torch::kFloat32});
  expect_same({64, 16, true, true, false, torch::kFloat32});
}

TEST(NeuronMaxPool, ResultsDoNotDependOnTheThreadCount) {
  const Case c{32, 32, true, true, false, torch::kFloat32};
  torch::manual_seed(3);
  const auto x = torch::randn({4, 5, 8, c.H, c.W}) + 0.5;
  const auto k = torch::rand({1, 8, c.H, c.W}) * 0.5 + 0.25;
  const auto grad = torch::randn({4, 5, 8, c.H / 2, c.W / 2});
  const int threads = at::get_num_threads();
  at::set_num_threads(1);
  const Result one = run(c, true, x, k, grad);
  at::set_num_threads(std::max(2, threads));
  const Result many = run(c, true, x, k, grad);
  at::set_num_threads(threads);
  EXPECT_TRUE(torch::equal(one.grad_x, many.grad_x));
  EXPECT_TRUE(torch::equal(one.grad_k, many.grad_k));
  EXPECT_TRUE(torch::equal(one.grad_alpha, many.grad_alpha));
}

TEST(NeuronMaxPool, GradientGoesToTheFirstSpikeOfTheWindowAsDerivedByHand) {
  // B = T = C = 1, one 2x2 window, k = 1 so h = x. Spikes [[0, 1], [1, 0]]:
  // the pooled spike is 1 and max_pool2d picks the first maximum in
  // row-major order, the top right. Its surrogate at u = h - 1 = 1 with
  // alpha 2 is 2 / (2 (1 + pi^2)); with T = 1 nothing else flows back.
  auto x = torch::tensor({0.5, 2.0, 3.0, 0.2}, torch::kFloat64).view({1, 1, 1, 2, 2});
  x.requires_grad_(true);
  NeuronConstants o;
  o.detach_reset = true;
  const auto k = torch::tensor(1.0, torch::kFloat64);
  const auto pooled = neuron_max_pool(x, k, torch::tensor(2.0, torch::kFloat64), o);
  EXPECT_EQ(pooled.item<double>(), 1.0);
  pooled.sum().backward();
  const auto want = torch::tensor({0.0, 1.0 / (1.0 + kPi * kPi), 0.0, 0.0}, torch::kFloat64);
  EXPECT_TRUE(torch::allclose(x.grad().flatten(), want, 0, 1e-15)) << x.grad();

  // No spike: the pick is the window's first element, u = 0.5 - 1.
  auto quiet = torch::tensor({0.5, 0.2, 0.1, 0.0}, torch::kFloat64).view({1, 1, 1, 2, 2});
  quiet.requires_grad_(true);
  const auto none = neuron_max_pool(quiet, k, torch::tensor(2.0, torch::kFloat64), o);
  EXPECT_EQ(none.item<double>(), 0.0);
  none.sum().backward();
  const double a = kPi / 2 * 2 * -0.5;
  EXPECT_NEAR(quiet.grad().flatten()[0].item<double>(), 2 / (2 * (1 + a * a)), 1e-15);
  EXPECT_EQ(quiet.grad().flatten().slice(0, 1).abs().sum().item<double>(), 0.0);
}

TEST(NeuronMaxPool, RejectsInputsItCannotPool) {
  NeuronConstants o;
  const auto k = torch::tensor(0.5);
  const auto alpha = torch::tensor(2.0);
  EXPECT_THROW(neuron_max_pool(torch::zeros({1, 2, 3, 4}), k, alpha, o), c10::Error);
  EXPECT_THROW(neuron_max_pool(torch::zeros({1, 2, 3, 1, 4}), k, alpha, o), c10::Error);
  EXPECT_THROW(neuron_max_pool(torch::zeros({1, 2, 3, 4, 4}), torch::zeros({1, 3, 4, 3}), alpha, o),
               c10::Error);
}

}  // namespace
}  // namespace plifkit::nn
