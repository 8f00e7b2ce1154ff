#include "plifkit/nn/evaluate.hpp"

#include <algorithm>
#include <sstream>

#include "plifkit/core/error.hpp"
#include "plifkit/frames/frames_reader.hpp"
#include "plifkit/nn/checkpoint.hpp"
#include "plifkit/nn/device.hpp"
#include "plifkit/nn/network.hpp"
#include "plifkit/nn/sample_store.hpp"

namespace plifkit::nn {

namespace {

// One sample of the frames file.
struct Row {
  const char* split;  // "train" or "test"
  std::size_t index;
};

std::vector<Row> rows_of(const frames::FramesReader& reader, const std::string& split,
                         double val_ratio) {
  std::vector<Row> rows;
  auto add = [&](const char* file_split, const std::vector<std::size_t>& indices) {
    for (std::size_t i : indices) rows.push_back({file_split, i});
  };
  if (split == "train" || split == "val") {
    const auto division =
        split_train_val(reader.meta("train"), reader.header().class_num, val_ratio);
    add("train", split == "train" ? division.train : division.val);
  } else {
    if (split == "all") add("train", all_rows(reader.meta("train")));
    add("test", all_rows(reader.meta("test")));
  }
  return rows;
}

// The network's input and output shape and the frames' scale must be those
// of the frames file; everything that differs is named in one message.
void require_fit(const TrainConfig& c, const frames::FramesHeader& h, const EvalOptions& o) {
  std::string differences;
  auto differ = [&](const std::string& what, const std::string& network, const std::string& file) {
    if (network != file)
      differences += (differences.empty() ? "" : ", ") + what + " " + network + " vs " + file;
  };
  differ("T", std::to_string(c.net.T), std::to_string(h.T));
  differ("size", std::to_string(c.net.height) + "x" + std::to_string(c.net.width),
         std::to_string(h.height) + "x" + std::to_string(h.width));
  differ("class_num", std::to_string(c.net.class_num), std::to_string(h.class_num));
  differ("normalization", c.normalization, h.normalization);
  differ("split_by", c.split_by, h.split_by);
  if (!differences.empty())
    throw InputError("checkpoint " + quoted(o.checkpoint) + " does not fit frames " +
                     quoted(o.frames) + ": " + differences + " (checkpoint vs frames)");
}

// [B, T, 2, H, W] float frames of the given rows.
torch::Tensor read_batch(const frames::FramesReader& reader, const std::vector<Row>& rows,
                         std::size_t first, std::size_t count) {
  const auto& h = reader.header();
  torch::Tensor batch =
      torch::empty({static_cast<int64_t>(count), h.T, 2, h.height, h.width}, torch::kFloat32);
  float* dst = batch.data_ptr<float>();
  for (std::size_t b = 0; b < count; ++b) {
    const Row& row = rows[first + b];
    reader.read_float(row.split, row.index, 1, dst + b * reader.sample_elements());
  }
  return batch;
}

}  // namespace

analysis::Evaluation evaluate(const EvalOptions& options, const EvalProgress& progress) {
  if (options.split != "test" && options.split != "train" && options.split != "val" &&
      options.split != "all")
    throw UsageError("--split must be test, train, val or all, got '" + options.split + "'");
  if (options.batch_size < 1) throw UsageError("--batch_size must be >= 1");
  const torch::Device device = resolve_device(options.device);

  const Checkpoint checkpoint = load_checkpoint(options.checkpoint);
  const frames::FramesReader reader(options.frames);
  const auto& header = reader.header();
  require_fit(checkpoint.config, header, options);
  const std::vector<Row> rows = rows_of(reader, options.split, checkpoint.config.val_ratio);
  if (rows.empty()) {
    std::ostringstream why;
    why << "frames " << quoted(options.frames) << " have no samples in split '" << options.split << "'";
    if (options.split == "val")
      why << " (val_ratio of " << quoted(options.checkpoint) << " is " << checkpoint.config.val_ratio << ")";
    throw InputError(why.str());
  }

  GestureNet net(checkpoint.config.net);
  load_model_state(*net, checkpoint.model, options.checkpoint);
  net->to(device);
  net->eval();
  torch::NoGradGuard no_grad;

  analysis::Evaluation e;
  e.checkpoint = options.checkpoint;
  e.frames = options.frames;
  e.split = options.split;
  analysis::EvalRun& run = e.run;
  const std::size_t N = rows.size();
  const auto C = static_cast<std::size_t>(header.class_num);
  const auto T = static_cast<std::size_t>(header.T);
  run.T = header.T;
  run.class_num = header.class_num;
  run.class_names = header.class_names;
  const std::vector<int64_t> neurons = net->neurons_per_layer();
  const int64_t outputs = neurons.back();
  run.vote_group = static_cast<int>(outputs / header.class_num);
  const auto fan_out = analysis::synaptic_fan_out(checkpoint.config.net.channels,
                                                  checkpoint.config.net.number_layer,
                                                  neurons[neurons.size() - 2], outputs);
  const auto& layers = net->neuron_layers();
  for (std::size_t l = 0; l < layers.size(); ++l)
    run.layers.push_back({layers[l].first, neurons[l], fan_out[l], 0.0});
  for (const Row& row : rows) {
    const auto& meta = reader.meta(row.split);
    run.labels.push_back(meta.labels[row.index]);
    run.source.push_back(meta.source[row.index]);
    run.segment.push_back(meta.segment[row.index]);
  }

  run.votes.assign(T * N * C, 0);
  const auto batch_size = static_cast<std::size_t>(options.batch_size);
  for (std::size_t first = 0; first < N; first += batch_size) {
    if (options.cancel != nullptr && options.cancel->load()) throw Interrupted("interrupted");
    const std::size_t count = std::min(batch_size, N - first);
    ForwardTrace trace;
    net->forward(read_batch(reader, rows, first, count).to(device), c10::nullopt, Execution::fused,
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
          run.votes[(t * N + first + b) * C + c] = static_cast<std::uint32_t>(
              v[static_cast<int64_t>(t)][static_cast<int64_t>(b)][static_cast<int64_t>(c)]);
    if (progress) progress(first + count, N);
  }
  e.summary = analysis::summarize(run);
  return e;
}

}  // namespace plifkit::nn
