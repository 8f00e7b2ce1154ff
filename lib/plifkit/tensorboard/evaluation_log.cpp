#include "plifkit/tensorboard/evaluation_log.hpp"

#include <cmath>
#include <set>
#include <utility>

#include "plifkit/checkpoint/checkpoint_file.hpp"
#include "plifkit/tensorboard/event_file.hpp"

namespace plifkit::tensorboard {

EvaluationLog::EvaluationLog(std::string run_dir) : run_dir_(std::move(run_dir)) {
  list_event_files(run_dir_);
}

std::string EvaluationLog::add(const analysis::Evaluation& evaluation) {
  const std::int64_t step = read_checkpoint(evaluation.checkpoint, kCheckpointState).state.epoch;
  const std::string prefix = "eval/" + evaluation.split + "/";
  std::vector<std::pair<std::string, double>> values = {
      {prefix + "accuracy", evaluation.summary.accuracy}};
  for (const auto& c : evaluation.summary.classes)
    if (c.samples > 0) values.emplace_back(prefix + "class_accuracy/" + c.name, c.accuracy);

  std::set<std::string> present;
  for (const auto& path : list_event_files(run_dir_))
    for (const auto& scalar : read_event_file(path).scalars)
      if (scalar.step == step) present.insert(scalar.tag);
  EventFileWriter writer(run_dir_);
  for (const auto& [tag, value] : values)
    if (present.count(tag) == 0) writer.add_scalar(tag, step, value);
  writer.sync();
  return writer.path();
}

}  // namespace plifkit::tensorboard
