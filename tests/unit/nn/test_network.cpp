// The network's structure (state_dict names and shapes of the reference
// model), fused execution against the reference's step-by-step execution,
// per-step BatchNorm, voting and the tau initialisation.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <cmath>
#include <map>

#include "plifkit/core/error.hpp"
#include "plifkit/nn/network.hpp"

namespace plifkit::nn {
namespace {

// Time steps of the small network's input.
constexpr int64_t kT = 4;

NetworkConfig small_config(bool per_neuron) {
  NetworkConfig c;
  c.height = c.width = 16;
  c.channels = 4;
  c.number_layer = 2;
  c.use_plif = true;
  c.tau_per_neuron = per_neuron;
  c.tau_std_dev = per_neuron ? 0.1 : 0.0;
  c.use_max_pool = true;
  c.detach_reset = true;
  return c;
}

std::map<std::string, std::vector<int64_t>> state_shapes(PlifNetImpl& net) {
  std::map<std::string, std::vector<int64_t>> shapes;
  for (const auto& p : net.named_parameters()) shapes[p.key()] = p.value().sizes().vec();
  for (const auto& b : net.named_buffers()) shapes[b.key()] = b.value().sizes().vec();
  return shapes;
}

TEST(Network, StateNamesAndShapesMatchTheReferenceModel) {
  NetworkConfig c;  // 128 channels, 5 layers, 128x128, 11 classes
  c.use_plif = true;
  c.tau_per_neuron = true;
  c.tau_std_dev = 0.1;
  PlifNet net(c);
  const auto shapes = state_shapes(*net);
  using V = std::vector<int64_t>;
  EXPECT_EQ(shapes.at("conv.0.weight"), (V{128, 2, 3, 3}));
  EXPECT_EQ(shapes.at("conv.1.weight"), (V{128}));
  EXPECT_EQ(shapes.at("conv.1.running_var"), (V{128}));
  EXPECT_EQ(shapes.at("conv.1.num_batches_tracked"), (V{}));
  EXPECT_EQ(shapes.at("conv.2.w"), (V{1, 128, 128, 128}));
  EXPECT_EQ(shapes.at("conv.4.weight"), (V{128, 128, 3, 3}));
  EXPECT_EQ(shapes.at("conv.18.w"), (V{1, 128, 8, 8}));
  EXPECT_EQ(shapes.at("fc.2.weight"), (V{512, 2048}));
  EXPECT_EQ(shapes.at("fc.3.w"), (V{1, 512}));
  EXPECT_EQ(shapes.at("fc.5.weight"), (V{110, 512}));
  EXPECT_EQ(shapes.at("fc.6.w"), (V{1, 110}));
  // 5 blocks x (conv weight, 4 BN entries + counter, w) + 2 linear + 2 w.
  EXPECT_EQ(shapes.size(), 5u * 7u + 4u);

  c.tau_per_neuron = false;
  c.tau_std_dev = 0;
  PlifNet per_layer(c);
  EXPECT_EQ(state_shapes(*per_layer).at("conv.2.w"), (V{}));
  EXPECT_NEAR(per_layer->neuron_layers()[0].second->w().item<double>(), 0.0, 1e-7);  // tau 2
  c.use_plif = false;
  PlifNet lif(c);
  EXPECT_EQ(state_shapes(*lif).count("conv.2.w"), 0u);
  c.alpha_learnable = true;
  PlifNet learnable_alpha(c);
  EXPECT_EQ(state_shapes(*learnable_alpha).at("fc.6.surrogate_function.alpha"), (V{}));
}

// NMNISTNet, CIFAR10DVSNet and (completed) ASLDVSNet: the same blocks on
// their inputs; shapes worked out by hand from the reference's create_2fc
// (flat = channels * (H >> n) * (W >> n), flat / 4, class_num * 10), two
// sizes each, ASL-DVS's non-square sensor among them.
struct EventNetCase {
  Dataset dataset;
  int64_t channels, number_layer;
  std::vector<int64_t> first_w, last_conv_w, fc2, fc5;
};

TEST(Network, EveryEventNetworkHasTheReferenceShapes) {
  using V = std::vector<int64_t>;
  const EventNetCase cases[] = {
      {Dataset::NMNIST, 8, 2, V{1, 8, 34, 34}, V{1, 8, 17, 17}, V{128, 512}, V{100, 128}},
      {Dataset::NMNIST, 16, 5, V{1, 16, 34, 34}, V{1, 16, 2, 2}, V{4, 16}, V{100, 4}},
      {Dataset::CIFAR10DVS, 128, 4, V{1, 128, 128, 128}, V{1, 128, 16, 16}, V{2048, 8192},
       V{100, 2048}},
      {Dataset::CIFAR10DVS, 32, 5, V{1, 32, 128, 128}, V{1, 32, 8, 8}, V{128, 512}, V{100, 128}},
      {Dataset::ASLDVS, 16, 5, V{1, 16, 180, 240}, V{1, 16, 11, 15}, V{140, 560}, V{240, 140}},
      {Dataset::ASLDVS, 8, 3, V{1, 8, 180, 240}, V{1, 8, 45, 60}, V{1320, 5280}, V{240, 1320}},
  };
  for (const EventNetCase& k : cases) {
    SCOPED_TRACE(std::string(name_of_choice(k.dataset)) + " channels " +
                 std::to_string(k.channels) + " number_layer " + std::to_string(k.number_layer));
    const DatasetRow& facts = row_of(k.dataset);
    NetworkConfig c;
    c.height = facts.height;
    c.width = facts.width;
    c.class_num = facts.class_num;
    c.channels = k.channels;
    c.number_layer = k.number_layer;
    c.use_plif = true;
    c.tau_per_neuron = true;
    c.tau_std_dev = 0.1;
    PlifNet net(c);
    const auto shapes = state_shapes(*net);
    const std::string last = "conv." + std::to_string(4 * (k.number_layer - 1) + 2) + ".w";
    EXPECT_EQ(shapes.at("conv.0.weight"), (V{k.channels, 2, 3, 3}));
    EXPECT_EQ(shapes.at("conv.2.w"), k.first_w);
    EXPECT_EQ(shapes.at(last), k.last_conv_w);
    EXPECT_EQ(shapes.at("fc.2.weight"), k.fc2);
    EXPECT_EQ(shapes.at("fc.3.w"), (V{1, k.fc2[0]}));
    EXPECT_EQ(shapes.at("fc.5.weight"), k.fc5);
    EXPECT_EQ(shapes.at("fc.6.w"), (V{1, k.fc5[0]}));
    EXPECT_EQ(shapes.size(), static_cast<std::size_t>(k.number_layer) * 7u + 4u);
    // One forward pass on the dataset's input size: the shapes fit together.
    if (k.channels <= 16) {
      net->eval();
      const torch::Tensor x = torch::rand({2, 2, 2, facts.height, facts.width});
      EXPECT_EQ(net->forward(x, c10::nullopt).sizes().vec(), (V{2, facts.class_num}));
    }
  }
}

class FusedVsPlainNetwork : public testing::TestWithParam<bool> {};

TEST_P(FusedVsPlainNetwork, SameCountsGradientsAndRunningStatistics) {
  const NetworkConfig c = small_config(GetParam());
  torch::manual_seed(1);
  PlifNet fused(c);
  torch::manual_seed(1);
  PlifNet plain(c);
  // Counts-like input: a few events per pixel.
  torch::manual_seed(2);
  const auto frames = torch::randint(0, 3, {3, kT, 2, c.height, c.width}).to(torch::kFloat32);
  // A fresh network barely fires past its first layers; strengthen the
  // linear layers (identically in both) so the output layer spikes.
  {
    torch::NoGradGuard no_grad;
    for (auto* net : {&fused, &plain})
      for (auto& p : (*net)->named_parameters())
        if (p.key().rfind("fc.", 0) == 0 && p.key().find("weight") != std::string::npos)
          p.value().mul_(6.0);
  }
  // Same dropout stream for both.
  auto g1 = at::make_generator<at::CPUGeneratorImpl>(99);
  auto g2 = at::make_generator<at::CPUGeneratorImpl>(99);
  auto counts_fused = fused->forward(frames, g1, Execution::fused);
  auto counts_plain = plain->forward(frames, g2, Execution::plain);
  EXPECT_GT(counts_plain.sum().item<double>(), 0.0);
  EXPECT_TRUE(torch::allclose(counts_fused, counts_plain, 1e-5, 1e-6));
  counts_fused.pow(2).sum().backward();
  counts_plain.pow(2).sum().backward();
  auto pf = fused->named_parameters();
  auto pp = plain->named_parameters();
  for (const auto& item : pf) {
    const auto& gf = item.value().grad();
    const auto& gp = pp[item.key()].grad();
    ASSERT_TRUE(gf.defined()) << item.key();
    EXPECT_TRUE(torch::allclose(gf, gp, 1e-3, 1e-5)) << item.key() << " max diff "
                                                     << (gf - gp).abs().max().item<double>();
  }
  auto bf = fused->named_buffers();
  auto bp = plain->named_buffers();
  EXPECT_EQ(bf["conv.1.num_batches_tracked"].item<int64_t>(), kT);
  EXPECT_EQ(bp["conv.1.num_batches_tracked"].item<int64_t>(), kT);
  for (const auto& item : bf)
    EXPECT_TRUE(torch::allclose(item.value().to(torch::kFloat64), bp[item.key()].to(torch::kFloat64),
                                1e-5, 1e-6))
        << item.key();
}

INSTANTIATE_TEST_SUITE_P(PerLayerAndPerNeuron, FusedVsPlainNetwork, testing::Values(false, true));

TEST(Network, PerStepBatchNormMatchesOneBatchNormPerStep) {
  torch::manual_seed(4);
  const int64_t B = 5, T = 3, C = 2;
  auto y = torch::randn({B * T, C, 4, 4}) * 3 + 1;
  torch::nn::BatchNorm2d fused(torch::nn::BatchNorm2dOptions(C).momentum(0.1));
  torch::nn::BatchNorm2d stepwise(torch::nn::BatchNorm2dOptions(C).momentum(0.1));
  const auto out = batch_norm_per_step(y, B, T, *fused).view({B, T, C, 4, 4});
  for (int64_t t = 0; t < T; ++t) {
    const auto expected = stepwise->forward(y.view({B, T, C, 4, 4}).select(1, t));
    EXPECT_TRUE(torch::allclose(out.select(1, t), expected, 1e-5, 1e-6)) << "step " << t;
  }
  EXPECT_TRUE(torch::allclose(fused->running_mean, stepwise->running_mean, 1e-6, 1e-7));
  EXPECT_TRUE(torch::allclose(fused->running_var, stepwise->running_var, 1e-6, 1e-7));
  EXPECT_EQ(fused->num_batches_tracked.item<int64_t>(), T);
  // First step by hand: running_mean = 0.9 * 0 + 0.1 * mean of step 0, channel 0.
  torch::nn::BatchNorm2d one(torch::nn::BatchNorm2dOptions(C).momentum(0.1));
  batch_norm_per_step(y.view({B, T, C, 4, 4}).narrow(1, 0, 1).reshape({B, C, 4, 4}), B, 1, *one);
  const double mean0 = y.view({B, T, C, 16}).select(1, 0).select(1, 0).mean().item<double>();
  EXPECT_NEAR(one->running_mean[0].item<double>(), 0.1 * mean0, 1e-6);
  // Evaluation uses the running statistics.
  fused->eval();
  const auto eval_out = batch_norm_per_step(y, B, T, *fused);
  const auto by_hand = (y - fused->running_mean.view({1, C, 1, 1})) /
                       torch::sqrt(fused->running_var.view({1, C, 1, 1}) + 1e-5);
  EXPECT_TRUE(torch::allclose(eval_out, by_hand, 1e-5, 1e-5));
}

TEST(Network, LogNormalInitHasTheRequestedMoments) {
  NetworkConfig c;
  c.init_tau = 2.0;
  c.tau_std_dev = 0.1;
  torch::manual_seed(0);
  const auto w = initial_w({1, 200000}, c);
  const auto tau = 1.0 / torch::sigmoid(w.to(torch::kFloat64));
  EXPECT_NEAR(tau.mean().item<double>(), 2.0, 0.002);
  EXPECT_NEAR(tau.std().item<double>(), 0.1, 0.002);
  c.tau_init = TauInit::shifted;
  const auto tau_s = 1.0 / torch::sigmoid(initial_w({1, 200000}, c).to(torch::kFloat64));
  EXPECT_NEAR(tau_s.mean().item<double>(), 2.0, 0.002);
  EXPECT_NEAR(tau_s.std().item<double>(), 0.1, 0.002);
  EXPECT_GT(tau_s.min().item<double>(), 1.0);
  c.tau_std_dev = 0;
  EXPECT_TRUE(torch::allclose(initial_w({3}, c), torch::zeros({3})));  // tau 2 -> w 0
  c.tau_init = TauInit::lognormal;
  c.tau_std_dev = 2.0;  // wide enough that some draws fall below 1
  EXPECT_THROW(initial_w({1, 10000}, c), UsageError);
  c.init_tau = 1.0;
  EXPECT_THROW(validate(c), UsageError);
}

TEST(Network, VotingAveragesGroupsOfTenAndSumsOverSteps) {
  // With the per-step voting scores known, counts are their sum over steps:
  // check through the trace of a tiny network that counts == last cumulative step.
  NetworkConfig c = small_config(false);
  PlifNet net(c);
  net->eval();
  torch::NoGradGuard no_grad;
  ForwardTrace trace;
  const auto frames = torch::randint(0, 4, {2, kT, 2, c.height, c.width}).to(torch::kFloat32);
  const auto counts = net->forward(frames, c10::nullopt, Execution::fused, &trace);
  EXPECT_TRUE(torch::allclose(trace.counts_by_step[kT - 1], counts));
  // Every score is a mean of ten 0/1 spikes summed over T steps: a multiple of 0.1 in [0, T].
  const auto scaled = counts * 10;
  EXPECT_TRUE(torch::allclose(scaled, scaled.round(), 0, 1e-4));
  EXPECT_LE(counts.max().item<double>(), kT);
  EXPECT_EQ(trace.spikes_per_layer.size(), 4u);
}

}  // namespace
}  // namespace plifkit::nn

namespace plifkit::nn {
namespace {

TEST(Network, PredictionTiesGoToTheLowestClassAfterRoundingToWholeVotes) {
  // 0.1 + 0.2 (three votes) is 0.30000000000000004 in floating point and
  // 0.3 is 0.29999999999999999: the same three votes, a tie, class 0 wins.
  const auto counts = torch::tensor({{0.1 + 0.2, 0.3, 0.1}, {0.0, 0.2, 0.7}}, torch::kFloat64);
  EXPECT_GT(counts[0][0].item<double>(), counts[0][1].item<double>());
  const auto predicted = predict_classes(counts);
  EXPECT_EQ(predicted[0].item<int64_t>(), 0);
  EXPECT_EQ(predicted[1].item<int64_t>(), 2);
  const auto tie_reversed = torch::tensor({{0.3, 0.1 + 0.2}}, torch::kFloat64);
  EXPECT_EQ(predict_classes(tie_reversed)[0].item<int64_t>(), 0);
}

}  // namespace
}  // namespace plifkit::nn

namespace plifkit::nn {
namespace {

TEST(Network, DropoutMaskIsPerSampleAndReusedForEveryStep) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(3);
  const auto mask = draw_dropout_mask(64, 500, 0.5, gen, torch::TensorOptions());
  // Entries are 0 or 1 / (1 - p) = 2, about half of each.
  EXPECT_TRUE(torch::logical_or(mask == 0, mask == 2).all().item<bool>());
  EXPECT_NEAR((mask == 0).to(torch::kFloat64).mean().item<double>(), 0.5, 0.01);
  // Applied to [B, T, F]: the same features of a sample vanish at every step
  // and the kept ones are doubled.
  const auto x = torch::rand({64, 7, 500}) + 1;
  const auto y = apply_dropout_mask(x, mask);
  for (int64_t t = 0; t < 7; ++t)
    EXPECT_TRUE(torch::equal(y.select(1, t), x.select(1, t) * mask)) << "step " << t;
  const auto zeroed = (y == 0);
  EXPECT_TRUE(torch::equal(zeroed.select(1, 0), zeroed.select(1, 6)));
  // Another sample draws another mask.
  EXPECT_FALSE(torch::equal(mask[0], mask[1]));
}

}  // namespace
}  // namespace plifkit::nn
