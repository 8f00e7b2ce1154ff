// The checkpoint file (formats.md section 2): configuration, model state under
// the reference's state_dict names, optimizer and scheduler state for an
// exact resume, counters, and the per-epoch log.
#pragma once

#include <torch/torch.h>

#include <map>
#include <string>
#include <vector>

#include "plifkit/nn/network.hpp"
#include "plifkit/config/train_config.hpp"

namespace plifkit::nn {

// How far an interrupted epoch got: its steps done and its running sums
// (steps == 0: the checkpoint is at an epoch boundary).
struct EpochProgress {
  int64_t steps = 0;
  double loss_sum = 0.0;
  int64_t correct = 0;
  double seconds = 0.0;
};

struct TrainState {
  int64_t epoch = -1;  // last finished epoch, 0-based
  int64_t train_times = 0;
  double max_val_accuracy = -1.0;
  double max_val_test_accuracy = 0.0;
  double max_test_accuracy = 0.0;
  EpochProgress partial;  // of epoch + 1
  // The float16 loss scaler (--amp fp16).
  double loss_scale = 1.0;
  int64_t loss_scale_growth = 0;
};

// Columns of /log in order, each with one value per finished epoch.
struct MetricsLog {
  std::vector<std::string> names;
  std::vector<std::vector<double>> columns;

  void append(const std::vector<std::pair<std::string, double>>& row);
  size_t rows() const { return columns.empty() ? 0 : columns.front().size(); }
  // CSV text with a header line, fixed precision.
  std::string to_csv() const;
};

struct Checkpoint {
  TrainConfig config;
  std::map<std::string, torch::Tensor> model;  // state_dict key -> tensor
  // Adam state per parameter key: exp_avg, exp_avg_sq and step.
  struct AdamEntry {
    torch::Tensor exp_avg, exp_avg_sq;
    int64_t step = 0;
  };
  std::map<std::string, AdamEntry> optimizer;
  int64_t scheduler_last_epoch = 0;
  TrainState state;
  MetricsLog log;
};

// Everything a checkpoint holds, copied to the host now (the training may go
// on while it is written).
Checkpoint snapshot_checkpoint(const TrainConfig& config, PlifNetImpl& net,
                               torch::optim::Adam* optimizer, int64_t scheduler_last_epoch,
                               const TrainState& state, const MetricsLog& log);

// Writes atomically (temporary file, then rename). Throws IoError.
void write_checkpoint(const std::string& path, const Checkpoint& checkpoint);

// snapshot_checkpoint, then write_checkpoint.
void save_checkpoint(const std::string& path, const TrainConfig& config, PlifNetImpl& net,
                     torch::optim::Adam* optimizer, int64_t scheduler_last_epoch,
                     const TrainState& state, const MetricsLog& log);

// Reads everything; throws FormatError / IoError naming the file.
Checkpoint load_checkpoint(const std::string& path);
// Only /config (cheap: for tools that need the network's shape first).
TrainConfig load_checkpoint_config(const std::string& path);

// Copies checkpoint tensors into the network; every key and shape must match.
void load_model_state(PlifNetImpl& net, const std::map<std::string, torch::Tensor>& model,
                      const std::string& path);
// Restores Adam's per-parameter state, on each parameter's device.
void load_optimizer_state(torch::optim::Adam& optimizer, PlifNetImpl& net,
                          const std::map<std::string, Checkpoint::AdamEntry>& state,
                          const std::string& path);

}  // namespace plifkit::nn
