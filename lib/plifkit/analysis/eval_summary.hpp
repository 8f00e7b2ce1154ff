// What plif-eval derives from a network's outputs over a split, kept free of
// LibTorch: predictions (lowest class index on ties), accuracy, per-class
// accuracy, confusion matrix, the early-decision curve, and firing rates with
// the synaptic operations they imply.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace plifkit::analysis {

// One neuron layer's activity over the whole evaluated split.
struct LayerActivity {
  std::string name;     // state_dict prefix: "conv.2", "fc.3", ...
  std::int64_t neurons = 0;  // per sample and step
  std::int64_t fan_out = 0;  // synaptic operations one spike causes (model::NeuronLayerInfo)
  double spikes = 0;    // summed over all samples, steps and neurons
};

// The raw outputs of one evaluation, as the network produced them.
struct EvalRun {
  std::int64_t T = 0;
  int class_num = 0;
  // Voting neurons per class: the voting layer's output for a class is the
  // mean of its group's spikes, so a count is votes / vote_group.
  int vote_group = 0;
  std::vector<std::string> class_names;
  // Per sample (N entries), copied from the frames file.
  std::vector<std::uint8_t> labels;
  std::vector<std::string> source;
  std::vector<std::uint32_t> segment;
  // votes[(t * N + n) * class_num + c]: spikes of class c's voting group in
  // sample n summed over steps 0..t. [T, N, class_num]. Integers, so that
  // equal spike totals are equal whatever order floats would be summed in.
  std::vector<std::uint32_t> votes;
  std::vector<LayerActivity> layers;  // network order
  std::size_t samples() const { return labels.size(); }
};

struct ClassResult {
  std::string name;
  std::uint64_t samples = 0;  // true members in the split
  std::uint64_t correct = 0;
  double accuracy = 0;        // correct / samples; NaN when samples == 0
};

struct LayerResult {
  std::string name;
  std::int64_t neurons = 0;
  std::int64_t fan_out = 0;
  double firing_rate = 0;  // spikes per neuron per step
  double synops = 0;       // per sample: spikes per sample * fan_out
};

struct EvalSummary {
  // counts[n * class_num + c] = votes over all T steps / vote_group: the
  // voting layer's output summed over the steps. [N, class_num].
  std::vector<float> counts;
  std::vector<std::uint8_t> predicted;   // [N]
  std::vector<std::uint32_t> confusion;  // [class_num, class_num], row true, column predicted
  std::uint64_t correct = 0;
  double accuracy = 0;
  std::vector<ClassResult> classes;
  // accuracy_by_step[t]: accuracy deciding on the votes of steps 0..t. [T]
  std::vector<double> accuracy_by_step;
  std::vector<LayerResult> layers;
  double synops = 0;  // per sample, all layers
};

// One evaluation as reported and stored: the inputs as given, the raw
// outputs and what was derived from them.
struct Evaluation {
  std::string checkpoint, frames, split;
  EvalRun run;
  EvalSummary summary;
};

// The class with the most votes among `class_num` scores, the lowest index
// on ties.
std::uint8_t predict(const std::uint32_t* votes, int class_num);

// Derives everything from the raw outputs. Throws Error for an empty run or
// inconsistent sizes.
EvalSummary summarize(const EvalRun& run);


}  // namespace plifkit::analysis
