// What a training run reports while it goes, for logs kept beside the
// checkpoint and metrics.csv (the TensorBoard log, tensorboard_sink.hpp).
// Calls come from the training thread, in this order: on_start once, then
// on_step after every optimizer step and on_epoch after every finished epoch.
#pragma once

#include <cstdint>
#include <string>

#include "plifkit/nn/checkpoint.hpp"
#include "plifkit/nn/network.hpp"

namespace plifkit::nn {

class TrainingObserver {
 public:
  virtual ~TrainingObserver() = default;

  // Before the first step of this call, also when the run is found already
  // finished: the run folder and where its checkpoint left it (`state` and
  // `log` as loaded; the initial state for a new run).
  virtual void on_start(const std::string& run_dir, const TrainState& state, const MetricsLog& log,
                        int64_t steps_per_epoch, PlifNetImpl& net) = 0;

  // After an optimizer step's numbers were read: train_times counts the steps
  // before this one (the reference's step number); loss as minimised, the
  // accuracy of the step's batch (predicted before the update).
  virtual void on_step(int64_t train_times, double loss, double accuracy) = 0;

  // After an epoch was closed (its row is the last of `log`) and BEFORE its
  // checkpoint is written: whatever the observer logs is never behind a
  // checkpoint. train_times: optimizer steps done.
  virtual void on_epoch(const MetricsLog& log, int64_t train_times, PlifNetImpl& net) = 0;
};

}  // namespace plifkit::nn
