// A network and its optimizer to and from a checkpoint (formats.md section
// 2, read and written by checkpoint/checkpoint_file.hpp): the model state
// under the reference's state_dict names, Adam's state for an exact resume.
#pragma once

#include <torch/torch.h>

#include <map>
#include <string>

#include "plifkit/checkpoint/checkpoint_file.hpp"
#include "plifkit/nn/network.hpp"

namespace plifkit::nn {

// Everything a checkpoint holds, copied to the host now (the training may go
// on while it is written).
CheckpointFile snapshot_checkpoint(const TrainConfig& config, PlifNetImpl& net,
                                   torch::optim::Adam* optimizer, int64_t scheduler_last_epoch,
                                   const TrainState& state, const MetricsLog& log);

// snapshot_checkpoint, then write_checkpoint.
void save_checkpoint(const std::string& path, const TrainConfig& config, PlifNetImpl& net,
                     torch::optim::Adam* optimizer, int64_t scheduler_last_epoch,
                     const TrainState& state, const MetricsLog& log);

// Copies checkpoint tensors into the network; every key and shape must match.
void load_model_state(PlifNetImpl& net, const std::map<std::string, StoredTensor>& model,
                      const std::string& path);
// Restores Adam's per-parameter state, on each parameter's device.
void load_optimizer_state(torch::optim::Adam& optimizer, PlifNetImpl& net,
                          const std::map<std::string, AdamEntry>& state,
                          const std::string& path);

}  // namespace plifkit::nn
