// The sparse 3x3 convolution (nn/sparse_conv_op.hpp) against hand-computed
// values, ATen's dense convolution (the specification) and finite
// differences; its bits against the thread count and every instruction set;
// and the rule that picks it.
#include <ATen/Parallel.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <vector>

#include "plifkit/nn/cpu/cpu_isa.hpp"
#include "plifkit/nn/sparse_conv_op.hpp"

namespace plifkit::nn {
namespace {

const auto kF64 = torch::TensorOptions().dtype(torch::kFloat64);

// Inputs like the networks': mostly zeros, the rest event counts (1 to
// max_value) or, with max_value 1, spikes (the kernels' add-only path), at
// the given fraction of non-zero elements.
torch::Tensor sparse_input(std::vector<int64_t> shape, double density, torch::ScalarType dtype,
                           int64_t max_value = 3) {
  const auto opts = torch::TensorOptions().dtype(dtype);
  const torch::Tensor active = torch::rand(shape, opts) < density;
  return active.to(dtype) * torch::randint(1, max_value + 1, shape, opts);
}

struct Pass {
  torch::Tensor out, grad_x, grad_w;
};

Pass run(ConvAlgorithm algorithm, const torch::Tensor& x0, const torch::Tensor& w0,
         const torch::Tensor& grad_out) {
  const torch::Tensor x = x0.clone().requires_grad_(true);
  const torch::Tensor w = w0.clone().requires_grad_(true);
  const torch::Tensor out = conv3x3_with(algorithm, x, w);
  out.backward(grad_out);
  return {out.detach(), x.grad(), w.grad()};
}

TEST(SparseConv, OneInputGivesTheWeightsRotatedAndScaled) {
  // out[y][x] = sum w[ky][kx] in[y + ky - 1][x + kx - 1]: a lone input v at
  // (1, 1) of a 3x3 image puts v w[2 - y][2 - x] at (y, x); one at the
  // corner (0, 0) reaches only the outputs (0..1, 0..1), with w[1 - y][1 - x].
  const torch::Tensor w = torch::arange(1, 10, kF64).view({1, 1, 3, 3});
  torch::Tensor centre = torch::zeros({1, 1, 3, 3}, kF64);
  centre[0][0][1][1] = 1.0;
  const torch::Tensor got = conv3x3_with(ConvAlgorithm::sparse, centre, w);
  const torch::Tensor want = torch::tensor({9., 8., 7., 6., 5., 4., 3., 2., 1.}, kF64);
  EXPECT_TRUE(torch::equal(got.flatten(), want)) << got;

  torch::Tensor corner = torch::zeros({1, 1, 3, 3}, kF64);
  corner[0][0][0][0] = 2.0;
  const torch::Tensor got_corner = conv3x3_with(ConvAlgorithm::sparse, corner, w);
  const torch::Tensor want_corner = torch::tensor({10., 8., 0., 4., 2., 0., 0., 0., 0.}, kF64);
  EXPECT_TRUE(torch::equal(got_corner.flatten(), want_corner)) << got_corner;

  // Its weight gradient under dL/dout = 1 everywhere: w[ky][kx] met the input
  // once for every output it reached, 2 x (number of such outputs).
  Pass p = run(ConvAlgorithm::sparse, corner, w, torch::ones({1, 1, 3, 3}, kF64));
  const torch::Tensor want_grad = torch::tensor({2., 2., 0., 2., 2., 0., 0., 0., 0.}, kF64);
  EXPECT_TRUE(torch::equal(p.grad_w.flatten(), want_grad)) << p.grad_w;
}

TEST(SparseConv, EqualsTheDenseConvolutionAndItsGradients) {
  struct Case {
    int64_t N, Cin, Cout, H, W;
    double density;
    int64_t max_value;
  };
  // Odd sizes and channel counts no multiple of any vector width or block;
  // images of one row or column; an input without a single non-zero; spikes;
  // images 64 wide, whose weight gradient lists a few rows at a time.
  const std::vector<Case> cases = {
      {3, 4, 5, 6, 7, 0.2, 3},     {2, 1, 13, 1, 9, 0.5, 3},  {2, 7, 3, 8, 1, 0.5, 3},
      {5, 64, 70, 9, 5, 0.05, 3},  {2, 3, 4, 5, 5, 0.0, 3},   {1, 2, 9, 16, 16, 1.0, 3},
      {3, 33, 40, 9, 11, 0.15, 1}, {2, 5, 17, 7, 64, 0.1, 3}, {2, 6, 18, 9, 64, 0.2, 1}};
  torch::manual_seed(5);
  for (const Case& c : cases) {
    SCOPED_TRACE("N " + std::to_string(c.N) + " Cin " + std::to_string(c.Cin) + " Cout " +
                 std::to_string(c.Cout) + " H " + std::to_string(c.H) + " W " +
                 std::to_string(c.W) + " density " + std::to_string(c.density) + " max " +
                 std::to_string(c.max_value));
    const torch::Tensor x =
        sparse_input({c.N, c.Cin, c.H, c.W}, c.density, torch::kFloat64, c.max_value);
    const torch::Tensor w = torch::randn({c.Cout, c.Cin, 3, 3}, kF64);
    const torch::Tensor g = torch::randn({c.N, c.Cout, c.H, c.W}, kF64);
    const Pass dense = run(ConvAlgorithm::dense, x, w, g);
    const Pass sparse = run(ConvAlgorithm::sparse, x, w, g);
    EXPECT_TRUE(torch::allclose(sparse.out, dense.out, 1e-12, 1e-12));
    EXPECT_TRUE(torch::allclose(sparse.grad_x, dense.grad_x, 1e-12, 1e-12));
    EXPECT_TRUE(torch::allclose(sparse.grad_w, dense.grad_w, 1e-12, 1e-12));
    // The weight gradient alone sparse: the dense forward's bits, the sparse
    // weight gradient's.
    const Pass mixed = run(ConvAlgorithm::sparse_weight_grad, x, w, g);
    EXPECT_TRUE(torch::equal(mixed.out, dense.out));
    EXPECT_TRUE(torch::equal(mixed.grad_x, dense.grad_x));
    EXPECT_TRUE(torch::equal(mixed.grad_w, sparse.grad_w));
    if (c.density == 0.0) {
      EXPECT_EQ(sparse.out.abs().max().item<double>(), 0.0);
      EXPECT_EQ(sparse.grad_w.abs().max().item<double>(), 0.0);
    }
  }
  // float32, the networks' type (spikes): the same within float rounding.
  const torch::Tensor x = sparse_input({4, 64, 12, 10}, 0.05, torch::kFloat32, 1);
  const torch::Tensor w = torch::randn({48, 64, 3, 3}) * 0.1;
  const torch::Tensor g = torch::randn({4, 48, 12, 10});
  const Pass dense = run(ConvAlgorithm::dense, x, w, g);
  const Pass sparse = run(ConvAlgorithm::sparse, x, w, g);
  EXPECT_TRUE(torch::allclose(sparse.out, dense.out, 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(sparse.grad_x, dense.grad_x, 1e-5, 1e-5));
  EXPECT_TRUE(torch::allclose(sparse.grad_w, dense.grad_w, 1e-5, 1e-4));
}

TEST(SparseConv, WeightGradientMatchesFiniteDifferences) {
  torch::manual_seed(8);
  const torch::Tensor x = sparse_input({2, 3, 5, 6}, 0.3, torch::kFloat64);
  const torch::Tensor w = torch::randn({4, 3, 3, 3}, kF64);
  const torch::Tensor g = torch::randn({2, 4, 5, 6}, kF64);
  const Pass p = run(ConvAlgorithm::sparse, x, w, g);
  // L(w) = sum(g * conv(x, w)) is linear in w: central differences are exact
  // up to rounding.
  const auto loss = [&](const torch::Tensor& wv) {
    return (g * conv3x3_with(ConvAlgorithm::sparse, x, wv)).sum().item<double>();
  };
  const double eps = 1e-3;
  const torch::Tensor flat = w.flatten();
  for (int64_t i = 0; i < flat.numel(); i += 7) {
    torch::Tensor up = flat.clone(), down = flat.clone();
    up[i] += eps;
    down[i] -= eps;
    const double numeric = (loss(up.view_as(w)) - loss(down.view_as(w))) / (2 * eps);
    EXPECT_NEAR(p.grad_w.flatten()[i].item<double>(), numeric, 1e-8) << "weight " << i;
  }
}

TEST(SparseConv, TheThreadCountAndTheInstructionSetDoNotChangeTheBits) {
  torch::manual_seed(3);
  const int threads_before = at::get_num_threads();
  const cpu::CpuIsa isa_before = cpu::current_cpu_isa();
  // Event counts and spikes (the add-only path); images 64 wide (the weight
  // gradient lists two rows at a time).
  for (const int64_t max_value : {3, 1}) {
    const torch::Tensor x = sparse_input({9, 64, 7, 64}, 0.05, torch::kFloat32, max_value);
    const torch::Tensor w = torch::randn({37, 64, 3, 3});
    const torch::Tensor g = torch::randn({9, 37, 7, 64});
    cpu::use_cpu_isa(cpu::CpuIsa::baseline);
    at::set_num_threads(1);
    const Pass want = run(ConvAlgorithm::sparse, x, w, g);
    for (int threads : {1, 2, 3}) {
      at::set_num_threads(threads);
      for (cpu::CpuIsa isa : cpu::supported_cpu_isas()) {
        SCOPED_TRACE(std::string(cpu::name_of(isa)) + ", " + std::to_string(threads) +
                     " threads, max " + std::to_string(max_value));
        cpu::use_cpu_isa(isa);
        const Pass got = run(ConvAlgorithm::sparse, x, w, g);
        EXPECT_TRUE(torch::equal(got.out, want.out));
        EXPECT_TRUE(torch::equal(got.grad_w, want.grad_w));
      }
    }
  }
  at::set_num_threads(threads_before);
  cpu::use_cpu_isa(isa_before);
}

TEST(SparseConv, SpikesGiveTheBitsOfTheGeneralPath) {
  // An image of spikes takes the add-only path; one input of 2 switches it to
  // the multiply-add path. Away from that input (channel 0 at the corner)
  // both sum the same terms in the same order, and 1 * w is w: same bits.
  torch::manual_seed(4);
  torch::Tensor spikes = sparse_input({1, 40, 6, 9}, 0.2, torch::kFloat32, 1);
  spikes[0][0][0][0] = 0.0;
  torch::Tensor counts = spikes.clone();
  counts[0][0][0][0] = 2.0;
  const torch::Tensor w = torch::randn({20, 40, 3, 3});
  const torch::Tensor g = torch::randn({1, 20, 6, 9});
  const Pass add_only = run(ConvAlgorithm::sparse, spikes, w, g);
  const Pass general = run(ConvAlgorithm::sparse, counts, w, g);
  // Outputs outside the corner input's reach (rows 2.., or columns 2..).
  EXPECT_TRUE(torch::equal(add_only.out.narrow(2, 2, 4), general.out.narrow(2, 2, 4)));
  EXPECT_TRUE(torch::equal(add_only.out.narrow(3, 2, 7), general.out.narrow(3, 2, 7)));
  EXPECT_FALSE(torch::equal(add_only.out, general.out));
  // The weights of the other input channels.
  EXPECT_TRUE(torch::equal(add_only.grad_w.narrow(1, 1, 39), general.grad_w.narrow(1, 1, 39)));
}

TEST(SparseConv, ChosenForManyChannelsOfSparseInputsOnly) {
  const auto with_density = [](int64_t channels, int64_t nonzero, torch::ScalarType dtype) {
    torch::Tensor x = torch::zeros({1, channels, 10, 10}, torch::TensorOptions().dtype(dtype));
    x.view({-1}).narrow(0, 0, nonzero).fill_(1);
    return x;
  };
  const cpu::CpuIsa isa_before = cpu::current_cpu_isa();
  for (const cpu::CpuIsa isa : cpu::supported_cpu_isas()) {
    cpu::use_cpu_isa(isa);
    for (const int64_t channels : {kSparseMinChannels, int64_t{64}, int64_t{256}}) {
      SCOPED_TRACE(std::string(cpu::name_of(isa)) + ", " + std::to_string(channels) + " channels");
      const int64_t elements = channels * 100;  // a 10x10 image
      const SparseDensityLimits limits = sparse_density_limits(channels);
      ASSERT_GT(limits.both_passes, 0.0);
      ASSERT_LE(limits.both_passes, limits.weight_grad_only);
      ASSERT_LT(limits.weight_grad_only, 1.0);
      const auto both_limit = static_cast<int64_t>(limits.both_passes * elements);
      const auto weight_grad_limit = static_cast<int64_t>(limits.weight_grad_only * elements);
      const bool band = weight_grad_limit > both_limit;
      EXPECT_EQ(choose_conv_algorithm(with_density(channels, both_limit, torch::kFloat32)),
                ConvAlgorithm::sparse);
      EXPECT_EQ(choose_conv_algorithm(with_density(channels, both_limit + 1, torch::kFloat32)),
                band ? ConvAlgorithm::sparse_weight_grad : ConvAlgorithm::dense);
      EXPECT_EQ(choose_conv_algorithm(with_density(channels, weight_grad_limit, torch::kFloat32)),
                band ? ConvAlgorithm::sparse_weight_grad : ConvAlgorithm::sparse);
      EXPECT_EQ(choose_conv_algorithm(with_density(channels, weight_grad_limit + 1, torch::kFloat32)),
                ConvAlgorithm::dense);
    }
  }
  cpu::use_cpu_isa(isa_before);
  EXPECT_EQ(choose_conv_algorithm(with_density(64, 0, torch::kFloat64)), ConvAlgorithm::sparse);
  // Few channels (event frames, images, the demo's network): dense at any density.
  EXPECT_EQ(choose_conv_algorithm(with_density(kSparseMinChannels - 1, 0, torch::kFloat32)),
            ConvAlgorithm::dense);
  // Types the kernels do not have.
  EXPECT_EQ(choose_conv_algorithm(with_density(64, 0, torch::kBFloat16)), ConvAlgorithm::dense);
}

}  // namespace
}  // namespace plifkit::nn
