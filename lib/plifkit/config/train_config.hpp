// Everything a training run is defined by: the seed README's arguments (same
// names, same meanings, same defaults) plus the options plifkit adds, as
// typed values. The settings table (run_settings.hpp) describes each field
// once: its option, default, help, /config attribute and whether it is part
// of the run's identity. Torch-free, so file readers and tools share it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "plifkit/config/choices.hpp"
#include "plifkit/datasets/registry.hpp"
#include "plifkit/config/device_spec.hpp"
#include "plifkit/config/frame_settings.hpp"

namespace plifkit {

// Each conv block halves height and width, so more blocks than this leave
// nothing of any input (h >> 63 is 0 for every int64 h); checked before any
// shape is computed from a (possibly damaged) number_layer.
inline constexpr int64_t kMaxNumberLayer = 62;

// What the network is built from. The input size and the classes come from
// the frames file; the number of time steps is not a property of the
// network (its weights do not depend on it) but of its input.
struct NetworkConfig {
  // Which of the reference's networks (layout.hpp): the four event datasets
  // share one structure, MNIST / FashionMNIST and CIFAR10 have their own.
  // Always equal to TrainConfig::dataset once that is known (its setter in
  // the settings table sets both).
  Dataset dataset = kDefaultDataset;
  int64_t height = 128;
  int64_t width = 128;
  int64_t class_num = 11;
  int64_t channels = 128;
  int64_t number_layer = 5;
  bool use_plif = false;
  bool tau_per_neuron = false;
  bool use_max_pool = false;
  bool detach_reset = false;
  bool alpha_learnable = false;
  double init_tau = 2.0;
  double tau_std_dev = 0.0;
  TauInit tau_init = TauInit::lognormal;
  double dropout_p = 0.5;
};

// The neuron of every spiking layer, decided once from the seed's use_plif
// and tau_per_neuron (which needs use_plif): used by the network, tau
// extraction, TensorBoard and the checkpoint reader alike.
enum class NeuronKind {
  lif,              // tau fixed at init_tau, no parameter
  plif_per_layer,   // PLIF: one learnable w per layer (a scalar)
  plif_per_neuron,  // PLIF with tau_per_neuron: w of shape [1, ...neurons]
};
NeuronKind neuron_kind_of(const NetworkConfig& config);
// "fixed", "per_layer", "per_neuron" (tau-stats' kind column and attribute).
const char* name_of(NeuronKind kind);

struct TrainConfig {
  // Decided by the frames file: empty means "as in the file"; a value given
  // must agree with it. Set from the file before training starts.
  std::optional<Dataset> dataset;
  std::optional<int64_t> T;
  std::optional<frames::SplitBy> split_by;
  std::optional<frames::Normalization> normalization;

  NetworkConfig net;
  int64_t batch_size = 16;
  double learning_rate = 1e-3;
  int64_t T_max = 64;  // cosine schedule period, epochs
  int64_t max_epoch = 0;
  int64_t seed = 2020;
  double reg_lambda = 0.0;
  RegTarget reg_target = RegTarget::w;
  double tau_lr_scale = 1.0;  // learning-rate factor of the w parameters
  double val_ratio = 0.15;
  // Images: the reference's training transforms (MNIST RandomAffine,
  // CIFAR10 crop and flip); off: normalisation only. Events: no effect.
  Switch augment = Switch::on;

  // Where and how (not part of the run's identity).
  std::string data_path;        // frames file
  std::string log_dir_prefix = "runs";  // parent of the run folder
  std::string name;             // run folder name; derived from the settings when empty
  std::string init_checkpoint;  // start from these model weights
  DeviceSpec device;
  Amp amp = Amp::off;
  int64_t max_steps = 0;        // stop after this many optimizer steps (0: no limit)
  bool stream_frames = false;   // read every batch from the file
  Switch tensorboard = Switch::on;  // event files in the run folder
};

// Throw SettingError naming the first setting that the network or the run
// cannot be built with, or two settings that contradict each other.
void validate(const NetworkConfig& config);
void validate(const TrainConfig& config);

// The run folder name as the PLIF authors' train_val.py derives it, numbers
// printed as Python prints them:
//   val_0.15_DVS128Gesture_init_tau_2.0_use_plif_True_use_max_pool_True_T_20
//   _c_128_n_5_split_by_number_normalization_None_detach_reset_True
// (no _c_.._normalization_ part for the image datasets), followed by what
// the study varies and that name omits, so that the runs of a sweep do not
// share a folder: _alpha_learnable, _tau_per_neuron_std_<s>_reg_<lambda>,
// _seed_<seed>. The frames settings must be set for event datasets.
std::string default_run_name(const TrainConfig& config);

}  // namespace plifkit
