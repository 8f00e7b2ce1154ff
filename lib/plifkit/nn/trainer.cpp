#include "plifkit/nn/trainer.hpp"

#include <cmath>
#include <sstream>

#include "plifkit/core/error.hpp"

namespace plifkit::nn {

namespace {

constexpr double kPi = 3.14159265358979323846;

}  // namespace

double cosine_learning_rate(double base_lr, int64_t epoch, int64_t T_max) {
  return base_lr * (1.0 + std::cos(kPi * static_cast<double>(epoch) / static_cast<double>(T_max))) / 2.0;
}

torch::Tensor training_loss(const torch::Tensor& counts, const torch::Tensor& labels,
                            GestureNetImpl& net, const TrainConfig& config) {
  const auto one_hot = torch::one_hot(labels, config.net.class_num).to(counts.scalar_type());
  torch::Tensor loss = torch::mse_loss(counts / static_cast<double>(config.net.T), one_hot);
  if (config.net.tau_per_neuron && config.reg_lambda != 0.0) {
    for (const auto& [name, layer] : net.neuron_layers()) {
      if (!layer->learnable()) continue;
      const torch::Tensor target = config.reg_target == "tau" ? layer->tau() : layer->w();
      loss = loss + config.reg_lambda * target.var(/*unbiased=*/true);
    }
  }
  return loss;
}

StepResult optimizer_step(GestureNetImpl& net, torch::optim::Adam& optimizer, LossScaler& scaler,
                          Amp amp, const TrainConfig& config, const torch::Tensor& frames,
                          const torch::Tensor& labels, const at::Generator& dropout,
                          Execution execution) {
  StepResult result;
  {
    const AutocastGuard autocast(amp);
    result.counts = net.forward(frames, dropout, execution);
    result.loss = training_loss(result.counts, labels, net, config);
  }
  optimizer.zero_grad();
  scaler.scale(result.loss).backward();
  if (scaler.unscale(net.parameters())) optimizer.step();
  scaler.update();
  return result;
}

void validate(const TrainConfig& c) {
  validate(c.net);
  if (c.batch_size < 1) throw UsageError("batch_size must be >= 1");
  if (!(c.learning_rate > 0)) throw UsageError("learning_rate must be > 0");
  if (c.T_max < 1) throw UsageError("T_max must be >= 1");
  if (c.max_epoch < 1) throw UsageError("max_epoch must be >= 1");
  if (c.reg_target != "w" && c.reg_target != "tau")
    throw UsageError("reg_target must be w or tau, got '" + c.reg_target + "'");
  if (!(c.val_ratio >= 0 && c.val_ratio < 1)) throw UsageError("val_ratio must be in [0, 1)");
  if (!(c.tau_lr_scale >= 0)) throw UsageError("tau_lr_scale must be >= 0");
  if (c.max_steps < 0) throw UsageError("max_steps must be >= 0");
  if (c.reg_lambda != 0 && !c.net.tau_per_neuron)
    throw UsageError("reg_lambda needs tau_per_neuron (the variance of one tau per layer is 0)");
}

std::string default_run_name(const TrainConfig& c) {
  std::ostringstream s;
  s << c.dataset << "_init_tau_" << c.net.init_tau << "_use_plif_" << (c.net.use_plif ? "True" : "False")
    << "_T_" << c.net.T << "_c_" << c.net.channels << "_n_" << c.net.number_layer << "_split_by_"
    << c.split_by << "_normalization_" << c.normalization << "_max_pool_"
    << (c.net.use_max_pool ? "True" : "False") << "_detach_reset_"
    << (c.net.detach_reset ? "True" : "False");
  if (c.net.alpha_learnable) s << "_alpha_learnable";
  if (c.net.tau_per_neuron) s << "_tau_per_neuron_std_" << c.net.tau_std_dev << "_reg_" << c.reg_lambda;
  s << "_seed_" << c.seed;
  return s.str();
}

}  // namespace plifkit::nn
