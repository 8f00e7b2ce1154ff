#include "plifkit/tensorboard/run_log.hpp"

#include <cctype>
#include <cstdio>
#include <set>

#include "plifkit/core/error.hpp"

namespace plifkit::tensorboard {

namespace {

// What a tag's step counts.
enum class StepKind {
  step,       // train_times before a step
  epoch_end,  // train_times at the end of an epoch
  epoch,      // the epoch
  foreign,    // not a tag plif-train writes
};

bool has_layer_suffix(const std::string& tag, const std::string& stem) {
  if (tag.size() <= stem.size() || tag.compare(0, stem.size(), stem) != 0) return false;
  for (size_t i = stem.size(); i < tag.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(tag[i]))) return false;
  return true;
}

StepKind kind_of(const std::string& tag) {
  if (tag == "train_accuracy" || tag == "train_loss") return StepKind::step;
  if (has_layer_suffix(tag, "w") || has_layer_suffix(tag, "w_std")) return StepKind::epoch_end;
  if (tag == "test_accuracy" || tag == "val_accuracy" || tag.rfind("plifkit/", 0) == 0)
    return StepKind::epoch;
  return StepKind::foreign;
}

double column(const LogRow& row, const std::string& name) {
  for (const auto& [key, value] : row)
    if (key == name) return value;
  throw FormatError("the log has no column '" + name + "'");
}

// Number of neuron layers in a row: its tau_mean_i columns.
size_t layers_of(const LogRow& row) {
  size_t n = 0;
  for (const auto& entry : row)
    if (entry.first == "tau_mean_" + std::to_string(n)) ++n;
  return n;
}

}  // namespace

bool logs_step(std::int64_t train_times) { return train_times % kStepInterval == 0; }

std::vector<Scalar> step_scalars(std::int64_t train_times, double loss, double accuracy) {
  return {{"train_accuracy", train_times, accuracy}, {"train_loss", train_times, loss}};
}

std::vector<Scalar> epoch_scalars(const LogRow& row, std::int64_t epoch_end_train_times,
                                  const RunLayout& layout) {
  const auto epoch = static_cast<std::int64_t>(column(row, "epoch"));
  // The reference's order: test, val, then the w of every layer.
  std::vector<Scalar> scalars = {{"test_accuracy", epoch, column(row, "test_accuracy")},
                                 {"val_accuracy", epoch, column(row, "val_accuracy")}};
  const size_t layers = layers_of(row);
  if (layout.learnable) {
    for (size_t i = 0; i < layers; ++i) {
      const std::string s = std::to_string(i);
      scalars.push_back({"w" + s, epoch_end_train_times, column(row, "w_mean_" + s)});
      if (layout.per_neuron)
        scalars.push_back({"w_std" + s, epoch_end_train_times, column(row, "w_std_" + s)});
    }
  }
  scalars.push_back({"plifkit/learning_rate", epoch, column(row, "learning_rate")});
  scalars.push_back({"plifkit/epoch_seconds", epoch, column(row, "seconds")});
  scalars.push_back({"plifkit/epoch_train_loss", epoch, column(row, "train_loss")});
  scalars.push_back({"plifkit/epoch_train_accuracy", epoch, column(row, "train_accuracy")});
  for (size_t i = 0; i < layers; ++i) {
    const std::string s = std::to_string(i);
    scalars.push_back({"plifkit/tau_mean" + s, epoch, column(row, "tau_mean_" + s)});
    scalars.push_back({"plifkit/tau_std" + s, epoch, column(row, "tau_std_" + s)});
  }
  return scalars;
}

std::string tau_histogram_tag(std::size_t layer) { return "plifkit/tau" + std::to_string(layer); }

bool logged_by(const std::string& tag, std::int64_t step, const LogPosition& position) {
  switch (kind_of(tag)) {
    case StepKind::step: return step < position.train_times;
    case StepKind::epoch_end: return step <= position.epoch_end_train_times;
    case StepKind::epoch: return step <= position.epoch;
    case StepKind::foreign: return true;
  }
  return true;
}

std::vector<Scalar> reconcile_run_folder(const std::string& run_dir, const LogPosition& position,
                                         const std::vector<LogRow>& log,
                                         std::int64_t steps_per_epoch, const RunLayout& layout) {
  remove_stale_temporaries(run_dir);
  for (const auto& path : list_event_files(run_dir))
    filter_event_file(path, [&](const std::string& tag, std::int64_t step) {
      return logged_by(tag, step, position);
    });
  std::set<std::pair<std::string, std::int64_t>> present;
  for (const auto& path : list_event_files(run_dir))
    for (const auto& scalar : read_event_file(path).scalars) present.emplace(scalar.tag, scalar.step);
  std::vector<Scalar> missing;
  for (const LogRow& row : log) {
    const auto epoch = static_cast<std::int64_t>(column(row, "epoch"));
    const std::int64_t end = position.epoch_end_train_times - (position.epoch - epoch) * steps_per_epoch;
    for (auto& scalar : epoch_scalars(row, end, layout))
      if (present.count({scalar.tag, scalar.step}) == 0) missing.push_back(std::move(scalar));
  }
  return missing;
}

}  // namespace plifkit::tensorboard
