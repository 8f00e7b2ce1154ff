#include "plifkit/tensorboard/evaluation_log.hpp"

#include <cmath>
#include <set>
#include <utility>

#include "plifkit/h5/h5.hpp"
#include "plifkit/h5/names.hpp"
#include "plifkit/h5/stage_file.hpp"
#include "plifkit/tensorboard/event_file.hpp"

namespace plifkit::tensorboard {

namespace {

std::int64_t checkpoint_epoch(const std::string& path) {
  namespace n = names::checkpoint;
  h5::Handle file = h5::open_file(path);
  h5::require_format(file.id(), path, n::kFormatName, n::kVersion);
  h5::Handle state = h5::open_group(file.id(), n::kState);
  return h5::read_attr<std::int64_t>(state.id(), n::kEpoch);
}

}  // namespace

EvaluationLog::EvaluationLog(std::string run_dir) : run_dir_(std::move(run_dir)) {
  list_event_files(run_dir_);
}

std::string EvaluationLog::add(const analysis::Evaluation& evaluation) {
  const std::int64_t step = checkpoint_epoch(evaluation.checkpoint);
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
