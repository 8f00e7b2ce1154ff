#include "plifkit/nn/trainer.hpp"

#include <cmath>

#include "plifkit/core/math_constants.hpp"

namespace plifkit::nn {

double cosine_learning_rate(double base_lr, int64_t epoch, int64_t T_max) {
  return base_lr * (1.0 + std::cos(kPi * static_cast<double>(epoch) / static_cast<double>(T_max))) / 2.0;
}

torch::Tensor training_loss(const torch::Tensor& counts, const torch::Tensor& labels,
                            PlifNetImpl& net, const TrainConfig& config) {
  const auto one_hot = torch::one_hot(labels, config.net.class_num).to(counts.scalar_type());
  torch::Tensor loss = torch::mse_loss(counts / static_cast<double>(config.T.value()), one_hot);
  if (config.net.tau_per_neuron && config.reg_lambda != 0.0) {
    for (const auto& [name, layer] : net.neuron_layers()) {
      if (!layer->learnable()) continue;
      const torch::Tensor target = config.reg_target == RegTarget::tau ? layer->tau() : layer->w();
      loss = loss + config.reg_lambda * target.var(/*unbiased=*/true);
    }
  }
  return loss;
}

StepResult optimizer_step(PlifNetImpl& net, torch::optim::Adam& optimizer, LossScaler& scaler,
                          Amp amp, const TrainConfig& config, const torch::Tensor& frames,
                          const torch::Tensor& labels, const at::Generator& dropout,
                          Execution execution, dist::GradientAverager* averager) {
  StepResult result;
  {
    const AutocastGuard autocast(amp);
    result.counts = net.forward(frames, dropout, execution);
    result.loss = training_loss(result.counts, labels, net, config);
  }
  optimizer.zero_grad();
  scaler.scale(result.loss).backward();
  if (averager != nullptr) averager->finish();
  if (scaler.unscale(net.parameters())) optimizer.step();
  scaler.update();
  return result;
}

}  // namespace plifkit::nn
