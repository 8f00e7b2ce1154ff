// Everything a training run is defined by: the seed README's arguments (same
// names, same meanings, same defaults) plus the options plifkit adds. Stored
// whole in the checkpoint's /config so a run can be rebuilt and resumed.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "plifkit/nn/network.hpp"

namespace plifkit::nn {

struct TrainConfig {
  // T, size and classes come from the frames file. Before training, T = 0,
  // an empty split_by / normalization / dataset mean "as in the file"; a
  // given value must agree with the file.
  NetworkConfig net;
  std::string dataset;
  std::string split_by;
  std::string normalization;
  int64_t batch_size = 16;
  double learning_rate = 1e-3;
  int64_t T_max = 64;           // cosine schedule period, epochs
  int64_t max_epoch = 0;
  int64_t seed = 2020;
  double reg_lambda = 0.0;
  std::string reg_target = "w";  // "w" (the reference code) or "tau" (the thesis text)
  double tau_lr_scale = 1.0;     // learning-rate factor of the w parameters
  double val_ratio = 0.15;

  // Where and how (not part of the run's identity).
  std::string data_path;         // frames file
  std::string log_dir_prefix;    // parent of the run folder
  std::string name;              // run folder name; derived from the arguments when empty
  std::string init_checkpoint;   // start from these model weights
  std::string device = "cpu";    // cpu, cuda or cuda:N
  std::string amp = "off";       // off, bf16 or fp16 (CUDA only)
  // Checked after every step: when set, a checkpoint of the unfinished epoch
  // is written and train throws Interrupted (the same command resumes).
  const std::atomic<bool>* cancel = nullptr;
  int64_t max_steps = 0;         // stop after this many optimizer steps (0: no limit)
  bool frames_in_memory = true;  // false: read every batch from the file
  bool tensorboard = true;       // TensorBoard event files in the run folder
  bool quiet = false;
};

// Throws UsageError for values training cannot run with.
void validate(const TrainConfig& config);

// The run folder name the reference derived from its arguments.
std::string default_run_name(const TrainConfig& config);

}  // namespace plifkit::nn
