// The TensorBoard log of a training run (tags: tensorboard/run_log.hpp): event
// files in the run folder, a new one for every call of train. On start it
// makes the folder's earlier event files agree with the checkpoint (what a
// stopped run logged past its checkpoint is taken out, finished epochs
// missing from them are written from /log), so that a resumed run holds one
// value per tag and step.
#pragma once

#include <memory>

#include "plifkit/nn/training_observer.hpp"
#include "plifkit/tensorboard/event_file.hpp"
#include "plifkit/tensorboard/run_log.hpp"

namespace plifkit::nn {

class TensorBoardSink : public TrainingObserver {
 public:
  void on_start(const std::string& run_dir, const TrainState& state, const MetricsLog& log,
                int64_t steps_per_epoch, PlifNetImpl& net) override;
  void on_step(int64_t train_times, double loss, double accuracy) override;
  void on_epoch(const MetricsLog& log, int64_t train_times, PlifNetImpl& net) override;

 private:
  std::unique_ptr<tensorboard::EventFileWriter> writer_;
  tensorboard::RunLayout layout_;
};

}  // namespace plifkit::nn
