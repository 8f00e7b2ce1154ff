#include "plifkit/analysis/eval_file.hpp"

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

}  // namespace plifkit::analysis
