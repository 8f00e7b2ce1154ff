#include "plifkit/nn/run_checks.hpp"

#include <cctype>

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
  TrainConfig a = asked;
  a.max_epoch = stored.max_epoch;  // extending a run is allowed
  auto same = [](const NetworkConfig& x, const NetworkConfig& y) {
    return x.T == y.T && x.height == y.height && x.width == y.width && x.class_num == y.class_num &&
           x.channels == y.channels && x.number_layer == y.number_layer &&
           x.use_plif == y.use_plif && x.tau_per_neuron == y.tau_per_neuron &&
           x.use_max_pool == y.use_max_pool && x.detach_reset == y.detach_reset &&
           x.alpha_learnable == y.alpha_learnable && x.init_tau == y.init_tau &&
           x.tau_std_dev == y.tau_std_dev && x.tau_init == y.tau_init && x.dropout_p == y.dropout_p;
  };
  if (!same(stored.net, a.net) || stored.batch_size != a.batch_size ||
      stored.learning_rate != a.learning_rate || stored.T_max != a.T_max || stored.seed != a.seed ||
      stored.reg_lambda != a.reg_lambda || stored.reg_target != a.reg_target ||
      stored.tau_lr_scale != a.tau_lr_scale || stored.val_ratio != a.val_ratio)
    throw UsageError(plifkit::quoted(path) + " holds a run with other settings; use another --name or "
                     "--log_dir_prefix, or delete it to start over");
}

}  // namespace plifkit::nn
