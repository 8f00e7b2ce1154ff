#include "plifkit/nn/step_monitor.hpp"

#include <cmath>

#include "plifkit/core/error.hpp"

namespace plifkit::nn {

StepMonitor::StepMonitor(int64_t epoch, std::vector<std::string> layer_names)
    : epoch_(epoch), layer_names_(std::move(layer_names)) {}

void StepMonitor::record(int64_t step, const torch::Tensor& loss, const torch::Tensor& correct,
                         const torch::Tensor& tau_finite) {
  pending_steps_.push_back(step);
  pending_loss_.push_back(loss.detach().to(torch::kFloat64).reshape({}));
  pending_correct_.push_back(correct.detach().to(torch::kInt64).reshape({}));
  if (tau_finite.defined()) pending_finite_.push_back(tau_finite);
}

std::vector<StepValues> StepMonitor::read() {
  std::vector<StepValues> values;
  if (pending_steps_.empty()) return values;
  // One copy to the host for all pending steps.
  const torch::Tensor losses = torch::stack(pending_loss_).cpu();
  const torch::Tensor corrects = torch::stack(pending_correct_).cpu();
  const torch::Tensor finite =
      pending_finite_.empty() ? torch::Tensor() : torch::stack(pending_finite_).cpu();
  const double* loss = losses.data_ptr<double>();
  const int64_t* correct = corrects.data_ptr<int64_t>();
  for (size_t i = 0; i < pending_steps_.size(); ++i) {
    const std::string where =
        "epoch " + std::to_string(epoch_) + ", step " + std::to_string(pending_steps_[i]);
    if (!std::isfinite(loss[i]))
      throw Error("training diverged: the loss is " + std::to_string(loss[i]) + " at " + where +
                  "; the last good checkpoint is kept");
    if (finite.defined()) {
      const auto row = finite[static_cast<int64_t>(i)];
      for (size_t l = 0; l < layer_names_.size(); ++l)
        if (!row[static_cast<int64_t>(l)].item<bool>())
          throw Error("training diverged: tau of layer " + layer_names_[l] + " (" +
                      layer_names_[l] + ".w) is not finite after " + where +
                      "; the last good checkpoint is kept");
    }
    loss_sum_ += loss[i];
    correct_ += correct[i];
    ++steps_read_;
    values.push_back({pending_steps_[i], loss[i], correct[i]});
  }
  pending_steps_.clear();
  pending_loss_.clear();
  pending_correct_.clear();
  pending_finite_.clear();
  return values;
}

void StepMonitor::restore(double loss_sum, int64_t correct, int64_t steps) {
  loss_sum_ = loss_sum;
  correct_ = correct;
  steps_read_ = steps;
}

torch::Tensor finite_tau_flags(const std::vector<torch::Tensor>& taus) {
  if (taus.empty()) return {};
  std::vector<torch::Tensor> flags;
  for (const auto& tau : taus) flags.push_back(torch::isfinite(tau.detach()).all());
  return torch::stack(flags);
}

}  // namespace plifkit::nn
