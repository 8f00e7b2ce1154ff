// The time constants of a checkpoint (formats.md section 2), read through
// the one checkpoint reader without LibTorch: which neuron layers the
// network has, the tau of every neuron of each, and the per-epoch tau
// columns of /log.
#pragma once

#include <string>
#include <vector>

#include "plifkit/config/train_config.hpp"

namespace plifkit::analysis {

struct LayerTaus {
  std::string layer;  // state_dict prefix: "conv.2", ..., "fc.3", "fc.6"
  std::string key;    // /model name of its w ("conv.2.w"); empty for LIF
  NeuronKind kind = NeuronKind::lif;  // how the layer holds its tau
  // tau = 1/sigmoid(w) = 1 + exp(-w), computed in double from the stored
  // float32 w; one value for per_layer and fixed layers.
  std::vector<double> taus;
};

// The neuron layers' state_dict prefixes of the network, in network order:
// conv.2, conv.6, ..., then fc.3 and fc.6 (event networks); the static
// networks' are fixed (MNIST: conv.0, conv.4, fc.3, fc.6).
std::vector<std::string> neuron_layer_names(const NetworkConfig& net);

// Reads /config and each layer's /model/<layer>.w. Throws IoError, or
// FormatError naming the file when it is not a checkpoint (or lacks the
// floor), or a w is missing or shaped against /config.
std::vector<LayerTaus> read_checkpoint_taus(const std::string& path);

// Per-epoch tau columns of /log: for neuron layer i (network order) the
// tau_mean_i and tau_std_i columns, one entry per finished epoch.
struct TauLog {
  std::vector<std::string> layers;  // as neuron_layer_names
  std::vector<double> epochs;
  std::vector<std::vector<double>> tau_mean, tau_std;  // [layer][row]
};

// Throws FormatError naming the file when a column is missing or the
// columns have different lengths.
TauLog read_tau_log(const std::string& path);

}  // namespace plifkit::analysis
