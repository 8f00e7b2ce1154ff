// The training recipe's rules on values derived by hand: learning-rate
// schedule, loss and regulariser, train/validation division, and the
// checkpoint round trip (with an exact optimizer resume).
#include <gtest/gtest.h>
#include <torch/torch.h>
#include <unistd.h>

#include <cmath>

#include "support/tiny.hpp"
#include "plifkit/core/error.hpp"
#include "plifkit/nn/checkpoint.hpp"
#include "plifkit/nn/sample_store.hpp"
#include "plifkit/nn/trainer.hpp"

namespace plifkit::nn {
namespace {

TEST(Training, CosineScheduleAsPyTorch) {
  EXPECT_DOUBLE_EQ(cosine_learning_rate(1e-3, 0, 64), 1e-3);
  EXPECT_NEAR(cosine_learning_rate(1e-3, 32, 64), 0.5e-3, 1e-15);
  EXPECT_NEAR(cosine_learning_rate(1e-3, 64, 64), 0.0, 1e-15);
  EXPECT_NEAR(cosine_learning_rate(1e-3, 16, 64), 1e-3 * (1 + std::sqrt(0.5)) / 2, 1e-15);
  // Periodic past T_max: back up to the base rate at 2 T_max.
  EXPECT_NEAR(cosine_learning_rate(1e-3, 96, 64), 0.5e-3, 1e-15);
  EXPECT_NEAR(cosine_learning_rate(1e-3, 128, 64), 1e-3, 1e-15);
}

TrainConfig tiny_config() { return test::tiny_train_config(); }

TEST(Training, LossIsMseOfCountsOverTPlusVarianceOfW) {
  TrainConfig c = tiny_config();
  PlifNet net(c.net);
  // counts / T = [[0.5, 0, 1]] against one-hot class 2 = [0, 0, 1]:
  // MSE = (0.25 + 0 + 0) / 3.
  const auto counts = torch::tensor({{1.0f, 0.0f, 2.0f}});
  const auto labels = torch::tensor({int64_t{2}});
  EXPECT_NEAR(training_loss(counts, labels, *net, c).item<double>(), 0.25 / 3, 1e-7);
  // With the regulariser: + lambda * unbiased Var(w) for each of the 3 layers.
  c.reg_lambda = 0.1;
  {
    torch::NoGradGuard no_grad;
    for (auto& [name, layer] : net->neuron_layers()) {
      auto w = layer->w();
      w.copy_(torch::arange(w.numel()).view(w.sizes()).to(torch::kFloat32));  // 0, 1, ..., n-1
    }
  }
  double expected = 0.25 / 3;
  for (auto& [name, layer] : net->neuron_layers()) {
    const double n = static_cast<double>(layer->w().numel());
    expected += 0.1 * n * (n + 1) / 12;  // unbiased variance of 0..n-1
  }
  EXPECT_NEAR(training_loss(counts, labels, *net, c).item<double>(), expected, 1e-4 * expected);
  // reg_target tau: variance of 1/sigmoid(w) instead.
  c.reg_target = RegTarget::tau;
  double expected_tau = 0.25 / 3;
  for (auto& [name, layer] : net->neuron_layers())
    expected_tau += 0.1 * (1.0 / torch::sigmoid(layer->w().to(torch::kFloat64))).var().item<double>();
  EXPECT_NEAR(training_loss(counts, labels, *net, c).item<double>(), expected_tau, 1e-4 * expected_tau);
}

TEST(Training, ValidationTakesTheLastSamplesOfEachClassInFileOrder) {
  frames::SplitMeta meta;
  // class 0 x 7, class 1 x 3, interleaved.
  meta.labels = {0, 1, 0, 0, 1, 0, 0, 1, 0, 0};
  const auto s = split_train_val(meta, 2, 0.15);
  // class 0: ceil(0.85 * 7) = 6 train -> rows 0,2,3,5,6,8 ; row 9 validates.
  // class 1: ceil(0.85 * 3) = 3 train -> none validates.
  EXPECT_EQ(s.train, (std::vector<size_t>{0, 1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(s.val, (std::vector<size_t>{9}));
}

TEST(Training, ConfigurationErrorsAreUsageErrors) {
  TrainConfig c = tiny_config();
  c.reg_lambda = 0.1;
  c.net.tau_per_neuron = false;
  EXPECT_THROW(validate(c), UsageError);
  c = tiny_config();
  // A choice outside the list does not get into a configuration.
  EXPECT_THROW(parse_choice<RegTarget>("reg_target", "sigma"), UsageError);
  c = tiny_config();
  c.net.init_tau = 0.9;
  EXPECT_THROW(validate(c), UsageError);
  // Sizes a damaged checkpoint could hold: refused before any shape is
  // computed from them (a shift by 64, a product past int64).
  c = tiny_config();
  c.net.number_layer = 64;
  EXPECT_THROW(validate(c), UsageError);
  c = tiny_config();
  c.net.channels = int64_t{1} << 40;
  EXPECT_THROW(validate(c), UsageError);
  c = tiny_config();
  c.net.height = -8;
  EXPECT_THROW(validate(c), UsageError);
}

TEST(Checkpoint, RoundTripRestoresModelOptimizerStateAndLog) {
  TrainConfig c = tiny_config();
  torch::manual_seed(3);
  PlifNet net(c.net);
  torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(1e-3));
  auto frames = torch::randint(0, 3, {2, 2, 2, 8, 8}).to(torch::kFloat32);
  auto labels = torch::tensor({int64_t{0}, int64_t{2}});
  auto step = [&](PlifNet& n, torch::optim::Adam& opt) {
    auto g = at::make_generator<at::CPUGeneratorImpl>(1);
    auto loss = training_loss(n->forward(frames, g), labels, *n, c) + n->parameters()[0].sum() * 1e-3;
    opt.zero_grad();
    loss.backward();
    opt.step();
  };
  step(net, adam);
  TrainState state;
  state.epoch = 0;
  state.train_times = 1;
  state.max_val_accuracy = 0.5;
  state.max_val_test_accuracy = 0.25;
  state.max_test_accuracy = 0.75;
  MetricsLog log;
  log.append({{"epoch", 0}, {"train_loss", 0.125}, {"tau_mean_0", 2.0}});
  const std::string path = testing::TempDir() + "plifkit_ckpt_" + std::to_string(::getpid()) + ".h5";
  save_checkpoint(path, c, *net, &adam, 1, state, log);

  const CheckpointFile loaded = read_checkpoint(path, kCheckpointEverything);
  EXPECT_EQ(loaded.config.net.channels, 2);
  EXPECT_TRUE(loaded.config.net.tau_per_neuron);
  EXPECT_EQ(loaded.config.normalization, frames::Normalization::none);
  EXPECT_EQ(loaded.state.train_times, 1);
  EXPECT_EQ(loaded.state.max_val_test_accuracy, 0.25);
  EXPECT_EQ(loaded.scheduler_last_epoch, 1);
  EXPECT_EQ(loaded.log.names, (std::vector<std::string>{"epoch", "train_loss", "tau_mean_0"}));
  EXPECT_EQ(loaded.log.columns[1], (std::vector<double>{0.125}));
  EXPECT_EQ(loaded.model.at("conv.1.num_batches_tracked").integers, (std::vector<int64_t>{2}));
  EXPECT_EQ(loaded.model.at("conv.2.w").shape, (std::vector<int64_t>{1, 2, 8, 8}));

  // A second network restored from the file takes the same next step.
  PlifNet restored(c.net);
  torch::optim::Adam adam2(restored->parameters(), torch::optim::AdamOptions(1e-3));
  load_model_state(*restored, loaded.model, path);
  load_optimizer_state(adam2, *restored, loaded.optimizer, path);
  step(net, adam);
  step(restored, adam2);
  auto a = net->named_parameters();
  auto b = restored->named_parameters();
  for (const auto& item : a) EXPECT_TRUE(torch::equal(item.value(), b[item.key()])) << item.key();

  // A network of another shape is refused with the key named.
  TrainConfig other = c;
  other.net.channels = 3;
  PlifNet wrong(other.net);
  try {
    load_model_state(*wrong, loaded.model, path);
    FAIL();
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("conv.0.weight"), std::string::npos) << e.what();
  }
  std::remove(path.c_str());
}

}  // namespace
}  // namespace plifkit::nn
