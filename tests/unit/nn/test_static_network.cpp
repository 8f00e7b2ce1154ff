// The reference's static networks (MNISTNet = FashionMNISTNet, Cifar10Net):
// state_dict names, shapes and order as the reference's state_dict() lists
// them (worked out by hand from its models.py), and the forward of its
// StaticNetBase — static_conv once, conv and fc T times on that encoding —
// in the fused execution against a plain step-by-step one, values,
// gradients and running statistics (static_conv's BatchNorm counts one
// batch per forward, the others T).
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <string>
#include <utility>
#include <vector>

#include "plifkit/nn/network.hpp"

namespace plifkit::nn {
namespace {

using V = std::vector<int64_t>;

NetworkConfig static_config(Dataset dataset, int64_t channels, bool per_neuron, bool max_pool = true) {
  const DatasetRow& facts = row_of(dataset);
  NetworkConfig c;
  c.dataset = dataset;
  c.height = facts.height;
  c.width = facts.width;
  c.class_num = facts.class_num;
  c.channels = channels;
  c.use_plif = true;
  c.tau_per_neuron = per_neuron;
  c.tau_std_dev = per_neuron ? 0.1 : 0.0;
  c.use_max_pool = max_pool;
  c.detach_reset = true;
  return c;
}

// (name, shape) in state_dict order: parameters and buffers of each module
// in registration order, as PyTorch's state_dict() walks them.
std::vector<std::pair<std::string, V>> state_in_order(PlifNetImpl& net) {
  std::vector<std::pair<std::string, V>> out;
  for (const auto& m : net.named_modules("", /*include_self=*/false)) {
    for (const auto& p : m.value()->named_parameters(/*recurse=*/false))
      out.emplace_back(m.key() + "." + p.key(), p.value().sizes().vec());
    for (const auto& b : m.value()->named_buffers(/*recurse=*/false))
      out.emplace_back(m.key() + "." + b.key(), b.value().sizes().vec());
  }
  return out;
}

TEST(StaticNetwork, MnistNetHasTheReferenceStateDict) {
  PlifNet net(static_config(Dataset::MNIST, 128, true));
  const std::vector<std::pair<std::string, V>> want = {
      {"static_conv.0.weight", {128, 1, 3, 3}},
      {"static_conv.1.weight", {128}}, {"static_conv.1.bias", {128}},
      {"static_conv.1.running_mean", {128}}, {"static_conv.1.running_var", {128}},
      {"static_conv.1.num_batches_tracked", {}},
      {"conv.0.w", {1, 128, 28, 28}},
      {"conv.2.weight", {128, 128, 3, 3}},
      {"conv.3.weight", {128}}, {"conv.3.bias", {128}}, {"conv.3.running_mean", {128}},
      {"conv.3.running_var", {128}}, {"conv.3.num_batches_tracked", {}},
      {"conv.4.w", {1, 128, 14, 14}},
      {"fc.2.weight", {2048, 6272}}, {"fc.3.w", {1, 2048}},
      {"fc.5.weight", {100, 2048}}, {"fc.6.w", {1, 100}}};
  EXPECT_EQ(state_in_order(*net), want);
  PlifNet per_layer(static_config(Dataset::FashionMNIST, 128, false));
  const auto shapes = state_in_order(*per_layer);
  EXPECT_EQ(shapes[6], (std::pair<std::string, V>{"conv.0.w", {}}));
}

TEST(StaticNetwork, Cifar10NetHasTheReferenceStateDict) {
  PlifNet net(static_config(Dataset::CIFAR10, 128, true));
  const auto got = state_in_order(*net);
  std::vector<std::string> names;
  for (const auto& [name, shape] : got) names.push_back(name);
  // static_conv first; conv: neurons 0, 3, 6, 10, 13, 16; convs 1, 4, 8, 11, 14; BN after each.
  const std::vector<std::string> want_names = {
      "static_conv.0.weight", "static_conv.1.weight", "static_conv.1.bias",
      "static_conv.1.running_mean", "static_conv.1.running_var", "static_conv.1.num_batches_tracked",
      "conv.0.w",
      "conv.1.weight", "conv.2.weight", "conv.2.bias", "conv.2.running_mean", "conv.2.running_var",
      "conv.2.num_batches_tracked", "conv.3.w",
      "conv.4.weight", "conv.5.weight", "conv.5.bias", "conv.5.running_mean", "conv.5.running_var",
      "conv.5.num_batches_tracked", "conv.6.w",
      "conv.8.weight", "conv.9.weight", "conv.9.bias", "conv.9.running_mean", "conv.9.running_var",
      "conv.9.num_batches_tracked", "conv.10.w",
      "conv.11.weight", "conv.12.weight", "conv.12.bias", "conv.12.running_mean",
      "conv.12.running_var", "conv.12.num_batches_tracked", "conv.13.w",
      "conv.14.weight", "conv.15.weight", "conv.15.bias", "conv.15.running_mean",
      "conv.15.running_var", "conv.15.num_batches_tracked", "conv.16.w",
      "fc.2.weight", "fc.3.w", "fc.4.weight", "fc.5.w"};
  EXPECT_EQ(names, want_names);
  auto shape = [&](const std::string& n) {
    for (const auto& [name, s] : got)
      if (name == n) return s;
    return V{-1};
  };
  EXPECT_EQ(shape("static_conv.0.weight"), (V{256, 3, 3, 3}));
  EXPECT_EQ(shape("conv.1.weight"), (V{256, 256, 3, 3}));
  EXPECT_EQ(shape("conv.6.w"), (V{1, 256, 32, 32}));
  EXPECT_EQ(shape("conv.10.w"), (V{1, 256, 16, 16}));
  EXPECT_EQ(shape("conv.16.w"), (V{1, 256, 16, 16}));
  EXPECT_EQ(shape("fc.2.weight"), (V{2048, 16384}));
  EXPECT_EQ(shape("fc.4.weight"), (V{100, 2048}));
  EXPECT_EQ(shape("fc.5.w"), (V{1, 100}));
}

struct Case {
  Dataset dataset;
  bool per_neuron;
  bool max_pool;
};

class StaticFusedVsPlain : public testing::TestWithParam<Case> {};

TEST_P(StaticFusedVsPlain, SameCountsGradientsAndRunningStatistics) {
  const Case k = GetParam();
  const NetworkConfig c = static_config(k.dataset, 4, k.per_neuron, k.max_pool);
  const int64_t T = 3, B = 4;
  torch::manual_seed(1);
  PlifNet fused(c);
  torch::manual_seed(1);
  PlifNet plain(c);
  torch::manual_seed(2);
  const auto facts = row_of(k.dataset);
  const torch::Tensor image = torch::randn({B, facts.channels, facts.height, facts.width});
  // The image held for T steps: an expanded view, as the trainer passes it.
  const torch::Tensor input = image.unsqueeze(1).expand({B, T, -1, -1, -1});
  {
    torch::NoGradGuard no_grad;
    for (auto* net : {&fused, &plain})
      for (auto& p : (*net)->named_parameters())
        if (p.key().rfind("fc.", 0) == 0 && p.key().find("weight") != std::string::npos)
          p.value().mul_(k.max_pool ? 6.0 : 30.0);  // averaged spikes drive less
  }
  auto g1 = at::make_generator<at::CPUGeneratorImpl>(5);
  auto g2 = at::make_generator<at::CPUGeneratorImpl>(5);
  const auto counts_fused = fused->forward(input, g1, Execution::fused);
  const auto counts_plain = plain->forward(input, g2, Execution::plain);
  EXPECT_EQ(counts_fused.sizes().vec(), (V{B, 10}));
  EXPECT_GT(counts_plain.sum().item<double>(), 0.0);
  EXPECT_TRUE(torch::allclose(counts_fused, counts_plain, 1e-5, 1e-6));
  counts_fused.pow(2).sum().backward();
  counts_plain.pow(2).sum().backward();
  auto pp = plain->named_parameters();
  for (const auto& item : fused->named_parameters()) {
    const auto& gf = item.value().grad();
    const auto& gp = pp[item.key()].grad();
    ASSERT_TRUE(gf.defined()) << item.key();
    EXPECT_TRUE(torch::allclose(gf, gp, 1e-3, 1e-5))
        << item.key() << " max diff " << (gf - gp).abs().max().item<double>();
  }
  auto bf = fused->named_buffers();
  auto bp = plain->named_buffers();
  // static_conv runs once per forward, the spiking convolutions T times.
  EXPECT_EQ(bf["static_conv.1.num_batches_tracked"].item<int64_t>(), 1);
  EXPECT_EQ(bp["static_conv.1.num_batches_tracked"].item<int64_t>(), 1);
  const std::string second_bn = k.dataset == Dataset::CIFAR10 ? "conv.2" : "conv.3";
  EXPECT_EQ(bf[second_bn + ".num_batches_tracked"].item<int64_t>(), T);
  for (const auto& item : bf)
    EXPECT_TRUE(torch::allclose(item.value().to(torch::kFloat64), bp[item.key()].to(torch::kFloat64),
                                1e-5, 1e-6))
        << item.key();
}

INSTANTIATE_TEST_SUITE_P(Networks, StaticFusedVsPlain,
                         testing::Values(Case{Dataset::MNIST, false, true},
                                         Case{Dataset::MNIST, true, true},
                                         Case{Dataset::MNIST, true, false},
                                         Case{Dataset::CIFAR10, true, true},
                                         Case{Dataset::CIFAR10, false, false}));

}  // namespace
}  // namespace plifkit::nn
