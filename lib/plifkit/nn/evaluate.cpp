#include "plifkit/nn/evaluate.hpp"

#include <algorithm>
#include <sstream>

#include "plifkit/core/setting_error.hpp"
#include "plifkit/frames/frames_reader.hpp"
#include "plifkit/nn/checkpoint.hpp"
#include "plifkit/nn/device.hpp"
#include "plifkit/nn/network.hpp"
#include "plifkit/nn/network_input.hpp"
#include "plifkit/nn/run_checks.hpp"
#include "plifkit/nn/sample_store.hpp"

namespace plifkit::nn {

namespace {

// The samples of the split asked for, as SampleStores read batch by batch
// from the file: "all" is the train split, then the test split.
struct Part {
  std::string file_split;  // "train" or "test"
  std::vector<size_t> rows;
};

std::vector<Part> parts_of(const frames::FramesReader& reader, EvalSplit split, double val_ratio) {
  switch (split) {
    case EvalSplit::train:
    case EvalSplit::val: {
      const auto division = split_train_val(reader.meta("train"), reader.header().class_num, val_ratio);
      return {{"train", split == EvalSplit::train ? division.train : division.val}};
    }
    case EvalSplit::all:
      return {{"train", all_rows(reader.meta("train"))}, {"test", all_rows(reader.meta("test"))}};
    case EvalSplit::test:
      break;
  }
  return {{"test", all_rows(reader.meta("test"))}};
}

}  // namespace

analysis::Evaluation evaluate(const EvalOptions& options, const EvalProgress& progress) {
  if (options.batch_size < 1) throw SettingError("batch_size", "must be >= 1");
  const torch::Device device = resolve_device(options.device);

  const CheckpointFile checkpoint = read_checkpoint(options.checkpoint, kCheckpointModel);
  const frames::FramesReader reader(options.frames);
  const auto& header = reader.header();
  require_fit(checkpoint.config, options.checkpoint, header, options.frames);
  const std::vector<Part> parts = parts_of(reader, options.split, checkpoint.config.val_ratio);
  std::size_t N = 0;
  for (const Part& part : parts) N += part.rows.size();
  if (N == 0) {
    std::ostringstream why;
    why << "frames " << quoted(options.frames) << " have no samples in split '"
        << name_of_choice(options.split) << "'";
    if (options.split == EvalSplit::val)
      why << " (val_ratio of " << quoted(options.checkpoint) << " is " << checkpoint.config.val_ratio << ")";
    throw InputError(why.str());
  }

  PlifNet net(checkpoint.config.net);
  load_model_state(*net, checkpoint.model, options.checkpoint);
  net->to(device);
  net->eval();
  torch::NoGradGuard no_grad;

  analysis::Evaluation e;
  e.checkpoint = options.checkpoint;
  e.frames = options.frames;
  e.split = name_of_choice(options.split);
  analysis::EvalRun& run = e.run;
  const auto C = static_cast<std::size_t>(header.class_num);
  // An images file has no T: the network runs the T it was trained with.
  const int64_t steps = header.input_kind == InputKind::images ? checkpoint.config.T.value() : header.T;
  const auto T = static_cast<std::size_t>(steps);
  run.T = steps;
  const InputOptions input{header.dataset, steps, nullptr};
  run.class_num = header.class_num;
  run.class_names = header.class_names;
  run.vote_group = static_cast<int>(net->layout().vote_group);
  for (const auto& layer : net->layout().neuron_layers())
    run.layers.push_back({layer.name, layer.neurons, layer.fan_out, 0.0});
  for (const Part& part : parts) {
    const auto& meta = reader.meta(part.file_split);
    for (std::size_t row : part.rows) {
      run.labels.push_back(meta.labels[row]);
      run.source.push_back(meta.source[row]);
      run.segment.push_back(meta.segment[row]);
    }
  }

  run.votes.assign(T * N * C, 0);
  const auto batch_size = static_cast<std::size_t>(options.batch_size);
  std::size_t done = 0;  // samples before the current batch, over all parts
  for (const Part& part : parts) {
    // Streamed: one batch of frames in memory at a time.
    const SampleStore store(reader, part.file_split, part.rows, /*in_memory=*/false);
    for (std::size_t first = 0; first < store.size(); first += batch_size) {
      if (options.cancel != nullptr && options.cancel->load()) throw Interrupted("interrupted");
      const std::size_t count = std::min(batch_size, store.size() - first);
      std::vector<int64_t> positions(count);
      for (std::size_t b = 0; b < count; ++b) positions[b] = static_cast<int64_t>(first + b);
      ForwardTrace trace;
      net->forward(network_input(store, positions, device, input), c10::nullopt, Execution::fused,
                   &trace);
      for (std::size_t l = 0; l < run.layers.size(); ++l) run.layers[l].spikes += trace.spikes_per_layer[l];
      // counts_by_step holds means of the voting groups' 0/1 spikes; times the
      // group size they are whole spike counts up to float rounding.
      const torch::Tensor scaled = trace.counts_by_step.cpu().to(torch::kFloat64) * run.vote_group;
      const torch::Tensor votes = scaled.round();
      if ((scaled - votes).abs().max().item<double>() > 0.25)
        throw Error("the voting layer's output of " + quoted(options.checkpoint) +
                    " is not a whole number of spikes");
      const auto v = votes.accessor<double, 3>();  // [T, count, C]
      for (std::size_t t = 0; t < T; ++t)
        for (std::size_t b = 0; b < count; ++b)
          for (std::size_t c = 0; c < C; ++c)
            run.votes[(t * N + done + b) * C + c] = static_cast<std::uint32_t>(
                v[static_cast<int64_t>(t)][static_cast<int64_t>(b)][static_cast<int64_t>(c)]);
      done += count;
      if (progress) progress(done, N);
    }
  }
  e.summary = analysis::summarize(run);
  return e;
}

}  // namespace plifkit::nn
