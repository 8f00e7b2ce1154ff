// Training on the GPU as plif-train runs it: a float16 step with loss scaling
// against the float32 step, and whole train() epochs with the frames on the
// GPU and streamed from the host (each batch and each evaluation batch
// uploaded). Skipped (reported) without a CUDA build and a GPU.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>

#include "cuda_test_support.hpp"
#include "support/remove_tree.hpp"
#include "support/small_frames.hpp"
#include "plifkit/nn/mixed_precision.hpp"
#include "plifkit/nn/network.hpp"
#include "plifkit/nn/trainer.hpp"

namespace plifkit::nn {
namespace {

using testing_cuda::kGpu;
using testing_cuda::small_config;

// float16 convolutions carry ~3 significant digits; with the loss scaled and
// the gradients unscaled before Adam, the step's loss and gradients stay
// within 1e-2 of the float32 step's (relative to the largest gradient of
// each tensor). A step whose scaled float16 gradients overflow is skipped
// (parameters and Adam untouched) with the scale halved, as GradScaler does;
// the same step is then retried until it goes through.
TEST(CudaTraining, Float16StepWithLossScalingFollowsTheFloat32Step_CUDA) {
  REQUIRE_CUDA();
  const TrainConfig config = small_config();
  auto gen = at::make_generator<at::CPUGeneratorImpl>(21);
  const torch::Tensor frames =
      torch::randint(0, 3, {6, 4, 2, 32, 32}, gen).to(torch::kFloat32).to(kGpu);
  const torch::Tensor labels = torch::tensor(std::vector<int64_t>{0, 3, 5, 10, 2, 7}).to(kGpu);
  struct Outcome {
    double loss;
    std::map<std::string, torch::Tensor> grads, params;
    double scale;
  };
  auto run = [&](Amp amp) {
    torch::manual_seed(22);
    PlifNet net(config.net);
    net->to(kGpu);
    torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(1e-3));
    LossScaler scaler(amp == Amp::fp16, kGpu);
    StepResult r;
    for (int attempt = 0; attempt < 8; ++attempt) {
      const double scale_before = scaler.current_scale();
      auto dropout = at::make_generator<at::CPUGeneratorImpl>(23);
      r = optimizer_step(*net, optimizer, scaler, amp, config, frames, labels, dropout);
      if (scaler.current_scale() >= scale_before) break;  // not skipped
    }
    Outcome o{r.loss.item<double>(), {}, {}, scaler.current_scale()};
    for (const auto& p : net->named_parameters()) {
      o.grads[p.key()] = p.value().grad().detach().cpu().to(torch::kFloat64);
      o.params[p.key()] = p.value().detach().cpu().to(torch::kFloat64);
    }
    return o;
  };
  const Outcome f32 = run(Amp::off);
  const Outcome f16 = run(Amp::fp16);
  EXPECT_NEAR(f16.loss, f32.loss, 1e-2 * std::abs(f32.loss));
  EXPECT_GE(f16.scale, 65536.0 / 128) << "every retried step overflowed";
  for (const auto& [name, g32] : f32.grads) {
    const torch::Tensor& g16 = f16.grads.at(name);
    const double largest = std::max(g32.abs().max().item<double>(), 1e-12);
    EXPECT_LE((g16 - g32).abs().max().item<double>(), 1e-2 * largest) << "gradient of " << name;
    EXPECT_TRUE(torch::isfinite(f16.params.at(name)).all().item<bool>()) << name;
  }
}

class CudaTrainEpoch : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!built_with_cuda() || torch::cuda::device_count() == 0) return;
    root_ = test::make_small_frames("cuda_epoch");
  }
  static void TearDownTestSuite() {
    if (!root_.empty()) remove_tree(root_);
  }

  static TrainConfig config(const std::string& name) {
    TrainConfig c = small_config();
    c.data_path = root_ + "/frames.h5";
    c.log_dir_prefix = root_ + "/runs";
    c.name = name;
    c.T.reset();  // as in the frames file
    c.net.height = c.net.width = 128;
    c.net.number_layer = 4;
    c.max_epoch = 1;
    c.batch_size = 4;
    c.device = parse_device("cuda");
    return c;
  }

  static void expect_one_sane_epoch(const TrainConfig& c) {
    std::vector<EpochReport> reports;
    TrainCallbacks callbacks;
    callbacks.on_epoch = [&](const EpochReport& r) { reports.push_back(r); };
    const TrainOutcome outcome = train(c, callbacks);
    ASSERT_EQ(reports.size(), 1u) << c.name;
    EXPECT_EQ(outcome.state.epoch, 0) << c.name;
    EXPECT_TRUE(std::isfinite(reports[0].train_loss)) << c.name;
    for (double accuracy : {reports[0].val_accuracy, reports[0].test_accuracy}) {
      EXPECT_GE(accuracy, 0.0) << c.name;
      EXPECT_LE(accuracy, 1.0) << c.name;
    }
    struct stat checkpoint;
    EXPECT_EQ(::stat((outcome.run_dir + "/checkpoint.h5").c_str(), &checkpoint), 0) << c.name;
  }

  static std::string root_;
};
std::string CudaTrainEpoch::root_;

TEST_F(CudaTrainEpoch, FramesOnTheGpu_CUDA) {
  REQUIRE_CUDA();
  expect_one_sane_epoch(config("on_gpu"));
}

// Batches read from the file on the host: the training steps and the
// evaluation (accuracy_of) must upload them.
TEST_F(CudaTrainEpoch, FramesStreamedFromTheHostWithFloat16_CUDA) {
  REQUIRE_CUDA();
  TrainConfig c = config("streamed_fp16");
  c.stream_frames = true;
  c.amp = Amp::fp16;
  expect_one_sane_epoch(c);
}

}  // namespace
}  // namespace plifkit::nn
