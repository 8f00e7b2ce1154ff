// Training of the gesture network on a frames file: the reference's recipe
// (Adam, cosine-annealed learning rate, MSE on counts / T, optional variance
// regulariser on the per-neuron w or tau), evaluation of test and validation
// after every epoch, checkpoints and resume.
#pragma once

#include <atomic>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "plifkit/dist/gradient_averager.hpp"
#include "plifkit/dist/launch.hpp"
#include "plifkit/nn/checkpoint.hpp"
#include "plifkit/nn/mixed_precision.hpp"
#include "plifkit/config/train_config.hpp"

namespace plifkit::nn {

// One finished epoch, as reported to the caller (the tool prints it).
struct EpochReport {
  int64_t epoch = 0;
  int64_t max_epoch = 0;
  double train_loss = 0, train_accuracy = 0, val_accuracy = 0, test_accuracy = 0;
  double learning_rate = 0, seconds = 0;
  std::vector<double> tau_mean;  // per neuron layer
  bool new_best = false;         // checkpoint_max.h5 was written
};

struct TrainOutcome {
  std::string run_dir;
  // A data-parallel run: bytes each rank sends per training step in its
  // allreduces (a ring's 2 (N - 1) / N of the gradients, BatchNorm's sums,
  // the metrics); 0 for a single process.
  int64_t allreduce_bytes_per_step = 0;
  bool resumed = false;
  int64_t first_epoch = 0;  // first epoch run by this call
  TrainState state;
};

// learning rate of epoch e: lr * (1 + cos(pi * e / T_max)) / 2 (eta_min 0),
// periodic past T_max as PyTorch's CosineAnnealingLR.
double cosine_learning_rate(double base_lr, int64_t epoch, int64_t T_max);

// The loss: MSE of counts / T against one-hot labels (mean over batch and
// classes) plus reg_lambda * Var (unbiased) of w or tau of every per-neuron
// PLIF layer.
torch::Tensor training_loss(const torch::Tensor& counts, const torch::Tensor& labels,
                            PlifNetImpl& net, const TrainConfig& config);

// One optimizer step of the recipe on a batch: forward (under autocast for
// --amp) and loss, backward (scaled for float16), Adam's step unless the
// float16 gradients overflowed, the scaler's update. In a data-parallel run
// the averager averages the gradients over the ranks before the step.
// Returns the counts and the loss (unscaled) for the step's metrics.
struct StepResult {
  torch::Tensor counts;
  torch::Tensor loss;
};
StepResult optimizer_step(PlifNetImpl& net, torch::optim::Adam& optimizer, LossScaler& scaler,
                          Amp amp, const TrainConfig& config, const torch::Tensor& frames,
                          const torch::Tensor& labels, const at::Generator& dropout,
                          Execution execution = Execution::fused,
                          dist::GradientAverager* averager = nullptr);

// How far the current epoch's steps are, reported as their metrics are read
// (every step on the CPU, every 16 on a GPU, and at the epoch's last step).
struct StepProgress {
  int64_t epoch = 0;
  int64_t steps_done = 0;   // of this epoch, including those before a resume
  int64_t steps_total = 0;  // per epoch
  double mean_loss = 0;     // over the steps read so far in this epoch
};

// What the caller hears of a run, and how it stops one.
struct TrainCallbacks {
  std::function<void(const StepProgress&)> on_steps;
  // After each epoch; that epoch's checkpoint is written meanwhile and is on
  // disk before the next epoch's is written and before train returns.
  std::function<void(const EpochReport&)> on_epoch;
  // Checked after every step: when set, a checkpoint of the unfinished epoch
  // is written and train throws Interrupted (the same command resumes).
  const std::atomic<bool>* cancel = nullptr;
};

// Runs (or resumes, also from inside an epoch) the run in
// <log_dir_prefix>/<name>. Throws the library's errors; Interrupted after
// writing a checkpoint when callbacks.cancel is set. With `launch`, this
// process is one rank of a data-parallel run (dist/launch.hpp): each rank
// trains on its slice of every global batch and the ranks together compute
// what one process would (up to float summation order); only rank 0 writes
// the run's files, and any rank's stop stops all at the same step.
TrainOutcome train(const TrainConfig& config, const TrainCallbacks& callbacks,
                   const std::optional<dist::LaunchSpec>& launch = std::nullopt);

}  // namespace plifkit::nn
