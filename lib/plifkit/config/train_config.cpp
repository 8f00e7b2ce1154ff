#include "plifkit/config/train_config.hpp"

#include <cstdio>
#include <cstdlib>
#include <sstream>


namespace plifkit {

namespace {

std::string number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

void validate(const NetworkConfig& c) {
  // Bounds first: the shapes are computed from these values (shifts and
  // products that must not overflow, even for a damaged checkpoint).
  constexpr int64_t kLargest = int64_t{1} << 20;
  auto bounded = [](const char* what, int64_t value, int64_t largest) {
    if (value < 1 || value > largest)
      throw SettingError(what, "must be in 1.." + std::to_string(largest) + ", got " + std::to_string(value));
  };
  bounded("channels", c.channels, kLargest);
  bounded("height", c.height, kLargest);
  bounded("width", c.width, kLargest);
  bounded("class_num", c.class_num, kLargest);
  bounded("number_layer", c.number_layer, kMaxNumberLayer);
  // The static networks have a fixed structure (layout.hpp): number_layer
  // is an argument of the event networks only, as in the reference.
  const bool events = row_of(c.dataset).kind == InputKind::events;
  if (events && ((c.height >> c.number_layer) < 1 || (c.width >> c.number_layer) < 1))
    throw SettingError("number_layer", std::to_string(c.number_layer) + " pools a " +
                                           std::to_string(c.height) + "x" + std::to_string(c.width) +
                                           " input to nothing");
  if (events && (c.channels * (c.height >> c.number_layer) * (c.width >> c.number_layer)) / 4 < 1)
    throw SettingError("channels", "too small: the hidden linear layer would have no neurons");
  if (!(c.init_tau > 1.0))
    throw SettingError("init_tau", "must be > 1 (tau = 1/sigmoid(w) > 1), got " + number(c.init_tau));
  if (!(c.tau_std_dev >= 0)) throw SettingError("tau_std_dev", "must be >= 0");
  if (!(c.dropout_p >= 0.0 && c.dropout_p < 1.0)) throw SettingError("dropout_p", "must be in [0, 1)");
  // Contradictions: a setting that would be silently ignored is refused.
  if (c.tau_per_neuron && !c.use_plif)
    throw SettingError("tau_per_neuron", "needs use_plif (LIF neurons have no learnable tau)");
  if (c.tau_std_dev > 0 && !c.tau_per_neuron)
    throw SettingError("tau_std_dev", "needs tau_per_neuron (one tau per layer starts at init_tau)");
}

void validate(const TrainConfig& c) {
  if (c.T && (*c.T < 1 || *c.T > (int64_t{1} << 20)))
    throw SettingError("T", "must be in 1.." + std::to_string(int64_t{1} << 20) + ", got " + std::to_string(*c.T));
  validate(c.net);
  if (c.batch_size < 1) throw SettingError("batch_size", "must be >= 1");
  if (!(c.learning_rate > 0)) throw SettingError("learning_rate", "must be > 0");
  if (c.T_max < 1) throw SettingError("T_max", "must be >= 1");
  if (c.max_epoch < 1) throw SettingError("max_epoch", "must be >= 1");
  if (!(c.val_ratio >= 0 && c.val_ratio < 1)) throw SettingError("val_ratio", "must be in [0, 1)");
  if (!(c.tau_lr_scale >= 0)) throw SettingError("tau_lr_scale", "must be >= 0");
  if (c.max_steps < 0) throw SettingError("max_steps", "must be >= 0");
  if (c.reg_lambda != 0 && !c.net.tau_per_neuron)
    throw SettingError("reg_lambda", "needs tau_per_neuron (the variance of one tau per layer is 0)");
  if (c.amp != Amp::off && !c.device.cuda)
    throw SettingError("amp", std::string(name_of_choice(c.amp)) +
                                  " needs a CUDA device");
}

NeuronKind neuron_kind_of(const NetworkConfig& c) {
  if (!c.use_plif) return NeuronKind::lif;
  return c.tau_per_neuron ? NeuronKind::plif_per_neuron : NeuronKind::plif_per_layer;
}

const char* name_of(NeuronKind kind) {
  switch (kind) {
    case NeuronKind::lif: return "fixed";
    case NeuronKind::plif_per_layer: return "per_layer";
    case NeuronKind::plif_per_neuron: return "per_neuron";
  }
  return "?";
}

namespace {

// A double as Python's str() prints it: the shortest digits that read back
// as the same value, and ".0" after a whole number (2.0, 0.15, 1e-05).
std::string python_float(double v) {
  char buf[32];
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  std::string s = buf;
  if (s.find_first_of(".eni") == std::string::npos) s += ".0";
  return s;
}

// How the reference prints -normalization: the string given, None for none.
std::string reference_normalization(frames::Normalization n) {
  return n == frames::Normalization::none ? "None" : name_of_choice(n);
}

}  // namespace

std::string default_run_name(const TrainConfig& c) {
  auto flag = [](bool b) { return b ? "True" : "False"; };
  std::ostringstream s;
  s << "val_" << python_float(c.val_ratio) << "_" << name_of_choice(c.dataset.value())
    << "_init_tau_" << python_float(c.net.init_tau) << "_use_plif_" << flag(c.net.use_plif)
    << "_use_max_pool_" << flag(c.net.use_max_pool) << "_T_" << c.T.value();
  // Event frames: the width, the conv blocks and how the frames were made.
  if (c.split_by)
    s << "_c_" << c.net.channels << "_n_" << c.net.number_layer << "_split_by_"
      << name_of_choice(*c.split_by) << "_normalization_"
      << reference_normalization(c.normalization.value());
  s << "_detach_reset_" << flag(c.net.detach_reset);
  if (c.net.alpha_learnable) s << "_alpha_learnable";
  if (c.net.tau_per_neuron)
    s << "_tau_per_neuron_std_" << python_float(c.net.tau_std_dev) << "_reg_"
      << python_float(c.reg_lambda);
  s << "_seed_" << c.seed;
  return s.str();
}

}  // namespace plifkit
