#include "plifkit/analysis/eval_file.hpp"

#include "plifkit/core/error.hpp"
#include "plifkit/h5/h5.hpp"
#include "plifkit/h5/names.hpp"
#include "plifkit/h5/stage_file.hpp"

namespace plifkit::analysis {

namespace n = names::eval;

void write_eval_file(AtomicOutput& out, const Evaluation& e, bool per_step) {
  const EvalRun& run = e.run;
  const EvalSummary& s = e.summary;
  const hsize_t N = run.samples();
  const auto C = static_cast<hsize_t>(run.class_num);

  h5::Handle file = h5::create_file(out.temp_path());
  const hid_t f = file.id();
  h5::write_format_stamp(f, n::kFormatName, n::kVersion);
  h5::write_attr_string(f, n::kCheckpoint, e.checkpoint);
  h5::write_attr_string(f, n::kFrames, e.frames);
  h5::write_attr_string(f, n::kSplit, e.split);
  h5::write_attr<double>(f, n::kAccuracy, s.accuracy);
  h5::write_attr_strings(f, n::kClassNames, run.class_names);

  h5::write_dataset<float>(f, n::kCounts, {N, C}, s.counts.data());
  h5::write_vector(f, n::kPredicted, s.predicted);
  h5::write_vector(f, n::kLabels, run.labels);
  h5::write_strings(f, n::kSource, run.source);
  h5::write_vector(f, n::kSegment, run.segment);
  h5::write_dataset<std::uint32_t>(f, n::kConfusion, {C, C}, s.confusion.data());
  if (per_step) h5::write_vector(f, n::kAccuracyByStep, s.accuracy_by_step);

  std::vector<std::string> names;
  std::vector<std::uint64_t> fan_out;
  std::vector<double> firing_rate, synops;
  for (const auto& l : s.layers) {
    names.push_back(l.name);
    fan_out.push_back(static_cast<std::uint64_t>(l.fan_out));
    firing_rate.push_back(l.firing_rate);
    synops.push_back(l.synops);
  }
  h5::write_strings(f, n::kNeuronLayers, names);
  h5::write_vector(f, n::kFanOut, fan_out);
  h5::write_vector(f, n::kFiringRate, firing_rate);
  h5::write_vector(f, n::kSynops, synops);

  h5::close_file(file, out.temp_path());
  out.commit();
}

namespace {

[[noreturn]] void bad(const std::string& path, const std::string& why) {
  throw FormatError(quoted(path) + ": " + why);
}

// A 1-D dataset of `expected` entries (any count when expected is npos).
template <typename T>
std::vector<T> read_column(hid_t file, const char* name, std::size_t expected,
                           const std::string& path) {
  h5::Dims dims;
  std::vector<T> values = h5::read_dataset<T>(file, name, &dims);
  if (dims.size() != 1)
    bad(path, std::string("/") + name + " is not one-dimensional");
  if (expected != std::string::npos && values.size() != expected)
    bad(path, std::string("/") + name + " has " + std::to_string(values.size()) +
                  " entries, expected " + std::to_string(expected));
  return values;
}

template <typename T>
std::vector<T> read_optional_column(hid_t file, const char* name, std::size_t& layers,
                                    const std::string& path) {
  if (!h5::exists(file, name)) return {};
  std::vector<T> values = read_column<T>(file, name, layers, path);
  layers = values.size();
  return values;
}

}  // namespace

EvalFileContent read_eval_file(const std::string& path) {
  h5::Handle file = h5::open_file(path);
  const hid_t f = file.id();
  h5::require_format(f, path, n::kFormatName, n::kVersion);
  EvalFileContent e;
  e.checkpoint = h5::read_attr_string(f, n::kCheckpoint);
  e.frames = h5::read_attr_string(f, n::kFrames);
  e.split = h5::read_attr_string(f, n::kSplit);
  e.accuracy = h5::read_attr<double>(f, n::kAccuracy);
  if (!(e.accuracy >= 0 && e.accuracy <= 1))
    bad(path, "attribute 'accuracy' is " + std::to_string(e.accuracy) + ", not in [0, 1]");

  h5::Dims dims;
  e.counts = h5::read_dataset<float>(f, n::kCounts, &dims);
  if (dims.size() != 2 || dims[1] < 1)
    bad(path, "/counts is not shaped [N, class_num] with class_num >= 1");
  const auto N = static_cast<std::size_t>(dims[0]);
  const auto C = static_cast<std::size_t>(dims[1]);
  if (e.counts.size() / C != N || e.counts.size() % C != 0)
    bad(path, "/counts does not hold N x class_num values");
  e.class_num = C;
  e.predicted = read_column<std::uint8_t>(f, n::kPredicted, N, path);
  e.labels = read_column<std::uint8_t>(f, n::kLabels, N, path);
  e.segment = read_column<std::uint32_t>(f, n::kSegment, N, path);
  e.source = h5::read_strings(f, n::kSource);
  if (e.source.size() != N)
    bad(path, "/source has " + std::to_string(e.source.size()) + " entries, expected " +
                  std::to_string(N));
  for (std::size_t i = 0; i < N; ++i)
    if (e.labels[i] >= C || e.predicted[i] >= C)
      bad(path, "sample " + std::to_string(i) + ": label " + std::to_string(e.labels[i]) +
                    " or prediction " + std::to_string(e.predicted[i]) +
                    " is not below class_num " + std::to_string(C));

  e.confusion = h5::read_dataset<std::uint32_t>(f, n::kConfusion, &dims);
  if (dims.size() != 2 || dims[0] != C || dims[1] != C || e.confusion.size() / C != C)
    bad(path, "/confusion is not shaped [" + std::to_string(C) + ", " + std::to_string(C) + "]");
  std::vector<std::uint32_t> tally(e.confusion.size(), 0);
  for (std::size_t i = 0; i < N; ++i) ++tally[e.labels[i] * C + e.predicted[i]];
  if (tally != e.confusion) bad(path, "/confusion does not match /labels and /predicted");

  if (h5::has_attr(f, n::kClassNames)) {
    e.class_names = h5::read_attr_strings(f, n::kClassNames);
    if (e.class_names.size() != C)
      bad(path, "attribute 'class_names' has " + std::to_string(e.class_names.size()) +
                    " entries, class_num is " + std::to_string(C));
  }
  if (h5::exists(f, n::kAccuracyByStep))
    e.accuracy_by_step = read_column<double>(f, n::kAccuracyByStep, std::string::npos, path);

  std::size_t layers = std::string::npos;  // set by the first per-layer dataset present
  e.firing_rate = read_optional_column<double>(f, n::kFiringRate, layers, path);
  e.synops = read_optional_column<double>(f, n::kSynops, layers, path);
  e.fan_out = read_optional_column<std::uint64_t>(f, n::kFanOut, layers, path);
  if (h5::exists(f, n::kNeuronLayers)) {
    e.neuron_layers = h5::read_strings(f, n::kNeuronLayers);
    if (layers != std::string::npos && e.neuron_layers.size() != layers)
      bad(path, "/neuron_layers has " + std::to_string(e.neuron_layers.size()) +
                    " entries, the other per-layer datasets " + std::to_string(layers));
  }
  return e;
}

}  // namespace plifkit::analysis
