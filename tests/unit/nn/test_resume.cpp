// A run stopped inside an epoch (the cancel flag, as SIGINT sets it) writes a
// checkpoint of the unfinished epoch; resuming from it ends with exactly the
// model, optimizer state and log of the run that was never stopped.
#include <gtest/gtest.h>

#include <atomic>

#include "plifkit/core/error.hpp"
#include "plifkit/nn/checkpoint.hpp"
#include "plifkit/nn/trainer.hpp"
#include "support/remove_tree.hpp"
#include "support/small_frames.hpp"

namespace plifkit::nn {
namespace {

class Resume : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = test::make_small_frames("resume");
  }
  static void TearDownTestSuite() { remove_tree(root_); }

  static TrainConfig config(const std::string& name) {
    TrainConfig c;
    c.data_path = root_ + "/frames.h5";
    c.log_dir_prefix = root_ + "/runs";
    c.name = name;
    c.max_epoch = 2;
    c.batch_size = 4;
    c.net.channels = 4;
    c.net.number_layer = 4;
    c.net.use_plif = true;
    c.net.tau_per_neuron = true;
    c.net.tau_std_dev = 0.1;
    c.reg_lambda = 0.01;
    return c;
  }

  static std::string root_;
};
std::string Resume::root_;

void expect_same_tensors(const std::map<std::string, StoredTensor>& a,
                         const std::map<std::string, StoredTensor>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [key, tensor] : a) {
    ASSERT_EQ(b.count(key), 1u) << key;
    EXPECT_TRUE(tensor == b.at(key)) << key;
  }
}

TEST_F(Resume, InterruptedInsideAnEpochEndsAsTheUninterruptedRun) {
  const auto whole = train(config("whole"), {});
  ASSERT_EQ(whole.state.epoch, 1);

  // The flag goes up when epoch 0 ends, so epoch 1 stops after its first step.
  std::atomic<bool> stop{false};
  const TrainConfig cut = config("cut");
  TrainCallbacks stopping;
  stopping.cancel = &stop;
  stopping.on_epoch = [&](const EpochReport&) { stop.store(true); };
  EXPECT_THROW(train(cut, stopping), Interrupted);
  const std::string cut_path = root_ + "/runs/cut/checkpoint.h5";
  const CheckpointFile stopped = read_checkpoint(cut_path, kCheckpointEverything);
  EXPECT_EQ(stopped.state.epoch, 0);
  EXPECT_EQ(stopped.state.partial.steps, 1);
  EXPECT_EQ(stopped.scheduler_last_epoch, 1);
  EXPECT_EQ(stopped.log.rows(), 1u);

  stop.store(false);
  const auto resumed = train(cut, {});
  EXPECT_TRUE(resumed.resumed);
  EXPECT_EQ(resumed.state.train_times, whole.state.train_times);

  const CheckpointFile a = read_checkpoint(root_ + "/runs/whole/checkpoint.h5", kCheckpointEverything);
  const CheckpointFile b = read_checkpoint(cut_path, kCheckpointEverything);
  expect_same_tensors(a.model, b.model);
  ASSERT_EQ(a.optimizer.size(), b.optimizer.size());
  for (const auto& [key, entry] : a.optimizer) {
    EXPECT_TRUE(entry.exp_avg == b.optimizer.at(key).exp_avg) << key;
    EXPECT_TRUE(entry.exp_avg_sq == b.optimizer.at(key).exp_avg_sq) << key;
    EXPECT_EQ(entry.step, b.optimizer.at(key).step) << key;
  }
  EXPECT_EQ(b.state.partial.steps, 0);
  ASSERT_EQ(a.log.names, b.log.names);
  for (size_t i = 0; i < a.log.names.size(); ++i) {
    if (a.log.names[i] != "seconds") {
      EXPECT_EQ(a.log.columns[i], b.log.columns[i]) << a.log.names[i];
    }
  }
}

}  // namespace
}  // namespace plifkit::nn
