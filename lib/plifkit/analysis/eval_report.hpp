// Text renderings of an evaluation for stdout: aligned tables for people,
// JSON for programs. Pure formatting.
#pragma once

#include <string>

#include "plifkit/analysis/eval_summary.hpp"

namespace plifkit::analysis {

// Inputs and accuracy, per-class accuracy with class names, the confusion
// matrix (rows true class, columns predicted), with per_step the accuracy
// after each number of steps, and the firing rate and synops per layer.
std::string eval_table(const Evaluation& e, bool per_step);

// The same summary as one JSON object (accuracy_by_step only with
// per_step); a class without samples has accuracy null.
std::string eval_json(const Evaluation& e, bool per_step);

}  // namespace plifkit::analysis
