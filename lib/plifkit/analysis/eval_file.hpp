// The evaluation file (formats.md section 3) written by plif-eval, and read
// back for checks and later analysis.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "plifkit/analysis/eval_summary.hpp"
#include "plifkit/core/atomic_output.hpp"

namespace plifkit::analysis {

// Writes into out.temp_path() and commits: root attributes format,
// format_version, checkpoint, frames, split, accuracy (plus class_names);
// datasets counts, predicted, labels, source, segment, confusion,
// firing_rate, synops (plus neuron_layers, fan_out) and, with per_step,
// accuracy_by_step. Throws IoError.
void write_eval_file(AtomicOutput& out, const Evaluation& e, bool per_step);

// What an evaluation file holds. N samples, C = class_num, L neuron layers.
struct EvalFileContent {
  std::string checkpoint, frames, split;  // root attributes, as given to plif-eval
  double accuracy = 0;                    // in [0, 1]
  std::size_t class_num = 0;              // C, from the shape of counts
  std::vector<std::string> class_names;   // C entries; empty when the file has none
  std::vector<float> counts;              // [N, C] row-major
  std::vector<std::uint8_t> predicted;    // [N], each < C
  std::vector<std::uint8_t> labels;       // [N], each < C
  std::vector<std::string> source;        // [N]
  std::vector<std::uint32_t> segment;     // [N]
  std::vector<std::uint32_t> confusion;   // [C, C], row true class, column predicted
  std::vector<double> accuracy_by_step;   // [T]; empty when written without per_step
  // Per neuron layer, network order; each is [L] or empty when absent.
  std::vector<std::string> neuron_layers;
  std::vector<std::uint64_t> fan_out;
  std::vector<double> firing_rate, synops;
  std::size_t samples() const { return labels.size(); }
};

// Reads and checks an evaluation file: the format stamp, the shapes above,
// every class index below C, and confusion equal to the tally of (labels,
// predicted). Throws IoError, or FormatError naming the file and the object.
EvalFileContent read_eval_file(const std::string& path);

}  // namespace plifkit::analysis
