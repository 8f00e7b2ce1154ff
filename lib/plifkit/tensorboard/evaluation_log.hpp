// plif-eval's results in a run folder's TensorBoard log, beside the
// training curves: for the evaluated split, at step = the checkpoint's epoch,
//   eval/<split>/accuracy
//   eval/<split>/class_accuracy/<class name>  (classes with samples in the split)
#pragma once

#include <string>

#include "plifkit/analysis/eval_summary.hpp"

namespace plifkit::tensorboard {

class EvaluationLog {
 public:
  // Checks now that run_dir is a folder that can be listed (IoError
  // otherwise), so that a wrong path fails before the network runs.
  explicit EvaluationLog(std::string run_dir);

  // Writes the evaluation's values to a new event file of the folder, all but
  // those the folder's event files already hold under the same tag and step
  // (the same checkpoint evaluated again). The epoch is read from the
  // checkpoint's /state. Returns the file written, empty when nothing was
  // new. Throws IoError / FormatError naming the file.
  std::string add(const analysis::Evaluation& evaluation);

 private:
  std::string run_dir_;
};

}  // namespace plifkit::tensorboard
