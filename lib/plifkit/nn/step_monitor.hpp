// The per-step numbers of a training epoch: the loss, the correct
// predictions and whether every learnable tau is still finite. They are kept
// as tensors where the step ran and read in bulk, so that a GPU step does not
// wait for the host; reading reports the first non-finite loss or tau with
// the epoch, step and layer where it appeared.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

namespace plifkit::nn {

// One step's numbers as read.
struct StepValues {
  int64_t step = 0;  // as recorded
  double loss = 0;
  int64_t correct = 0;
};

class StepMonitor {
 public:
  // layer_names: the learnable neuron layers, in the order of the flags.
  StepMonitor(int64_t epoch, std::vector<std::string> layer_names);

  // loss: [] (before the optimizer step); correct: [] int64; tau_finite:
  // [layers] bool (after the step), or undefined when no layer learns tau.
  void record(int64_t step, const torch::Tensor& loss, const torch::Tensor& correct,
              const torch::Tensor& tau_finite);

  // Reads what was recorded since the last read into the running sums and
  // returns it. Throws Error naming the first step whose loss or tau is not
  // finite.
  std::vector<StepValues> read();

  // Running sums over the steps read so far, and their number.
  double loss_sum() const { return loss_sum_; }
  int64_t correct() const { return correct_; }
  int64_t steps_read() const { return steps_read_; }
  void restore(double loss_sum, int64_t correct, int64_t steps);

 private:
  int64_t epoch_;
  std::vector<std::string> layer_names_;
  std::vector<int64_t> pending_steps_;
  std::vector<torch::Tensor> pending_loss_, pending_correct_, pending_finite_;
  double loss_sum_ = 0;
  int64_t correct_ = 0;
  int64_t steps_read_ = 0;
};

// [layers] bool: whether each learnable layer's taus are all finite.
torch::Tensor finite_tau_flags(const std::vector<torch::Tensor>& taus);

}  // namespace plifkit::nn
