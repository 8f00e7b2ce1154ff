#include "plifkit/nn/run_checks.hpp"

#include <cctype>
#include <sstream>

#include "plifkit/core/error.hpp"

namespace plifkit::nn {

namespace {

std::string lowercase(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

}  // namespace

void require_agreement(const TrainConfig& c, const frames::FramesHeader& h, const std::string& path) {
  auto disagree = [&](const std::string& what, const std::string& given, const std::string& stored) {
    throw UsageError("--" + what + " " + given + " contradicts " + plifkit::quoted(path) +
                     ", which was made with " + what + " " + stored);
  };
  if (c.net.T != 0 && c.net.T != h.T) disagree("T", std::to_string(c.net.T), std::to_string(h.T));
  if (!c.split_by.empty() && c.split_by != h.split_by) disagree("split_by", c.split_by, h.split_by);
  if (!c.normalization.empty() && lowercase(c.normalization) != h.normalization)
    disagree("normalization", c.normalization, h.normalization);
  // The seed's table spells the dataset DVSGesture; its commands DVS128Gesture.
  const std::string dataset = c.dataset == "DVSGesture" ? "DVS128Gesture" : c.dataset;
  if (!dataset.empty() && dataset != h.dataset) disagree("dataset_name", c.dataset, h.dataset);
}

void require_same_run(const TrainConfig& stored, const TrainConfig& asked, const std::string& path) {
  std::string differences;
  auto differ = [&](const std::string& what, const auto& was, const auto& now) {
    if (was == now) return;
    std::ostringstream s;
    s << (differences.empty() ? "" : ", ") << what << " " << was << " vs " << now;
    differences += s.str();
  };
  const NetworkConfig& x = stored.net;
  const NetworkConfig& y = asked.net;
  // What the frames file decides: resuming on other frames is another run.
  differ("dataset", stored.dataset, asked.dataset);
  differ("split_by", stored.split_by, asked.split_by);
  differ("normalization", stored.normalization, asked.normalization);
  differ("T", x.T, y.T);
  differ("height", x.height, y.height);
  differ("width", x.width, y.width);
  differ("class_num", x.class_num, y.class_num);
  // The network and the recipe (max_epoch may grow: extending a run).
  differ("channels", x.channels, y.channels);
  differ("number_layer", x.number_layer, y.number_layer);
  differ("use_plif", x.use_plif, y.use_plif);
  differ("tau_per_neuron", x.tau_per_neuron, y.tau_per_neuron);
  differ("use_max_pool", x.use_max_pool, y.use_max_pool);
  differ("detach_reset", x.detach_reset, y.detach_reset);
  differ("alpha_learnable", x.alpha_learnable, y.alpha_learnable);
  differ("init_tau", x.init_tau, y.init_tau);
  differ("tau_std_dev", x.tau_std_dev, y.tau_std_dev);
  differ("tau_init", x.tau_init, y.tau_init);
  differ("dropout_p", x.dropout_p, y.dropout_p);
  differ("batch_size", stored.batch_size, asked.batch_size);
  differ("learning_rate", stored.learning_rate, asked.learning_rate);
  differ("T_max", stored.T_max, asked.T_max);
  differ("seed", stored.seed, asked.seed);
  differ("reg_lambda", stored.reg_lambda, asked.reg_lambda);
  differ("reg_target", stored.reg_target, asked.reg_target);
  differ("tau_lr_scale", stored.tau_lr_scale, asked.tau_lr_scale);
  differ("val_ratio", stored.val_ratio, asked.val_ratio);
  if (!differences.empty())
    throw UsageError(plifkit::quoted(path) + " holds a run with other settings (" + differences +
                     ", stored vs asked); use another --name or --log_dir_prefix, or delete it "
                     "to start over");
}

}  // namespace plifkit::nn
