// The evaluation file (formats.md section 3) written by plif-eval.
#pragma once

#include "plifkit/analysis/eval_summary.hpp"
#include "plifkit/core/atomic_output.hpp"

namespace plifkit::analysis {

// Writes into out.temp_path() and commits: root attributes format,
// format_version, checkpoint, frames, split, accuracy (plus class_names);
// datasets counts, predicted, labels, source, segment, confusion,
// firing_rate, synops (plus neuron_layers, fan_out) and, with per_step,
// accuracy_by_step. Throws IoError.
void write_eval_file(AtomicOutput& out, const Evaluation& e, bool per_step);

}  // namespace plifkit::analysis
