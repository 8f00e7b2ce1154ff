#include "plifkit/analysis/checkpoint_taus.hpp"

#include "plifkit/checkpoint/checkpoint_file.hpp"
#include "plifkit/core/error.hpp"
#include "plifkit/h5/names.hpp"
#include "plifkit/model/layout.hpp"

namespace plifkit::analysis {

namespace n = names::checkpoint;

std::vector<std::string> neuron_layer_names(const NetworkConfig& net) {
  return model::layout_of(net).neuron_layer_names();
}

std::vector<LayerTaus> read_checkpoint_taus(const std::string& path) {
  const CheckpointFile checkpoint = read_checkpoint(path, kCheckpointModel);
  const NetworkConfig& net = checkpoint.config.net;
  const NeuronKind kind = neuron_kind_of(net);
  std::vector<LayerTaus> layers;
  for (const auto& name : neuron_layer_names(net)) {
    LayerTaus layer;
    layer.layer = name;
    layer.kind = kind;
    if (kind == NeuronKind::lif) {
      layer.taus = {net.init_tau};
      layers.push_back(layer);
      continue;
    }
    layer.key = name + ".w";
    const auto it = checkpoint.model.find(layer.key);
    if (it == checkpoint.model.end())
      throw FormatError(quoted(path) + ": /model has no '" + layer.key + "' (use_plif is set)");
    const StoredTensor& w = it->second;
    const bool scalar = w.shape.empty();
    if (scalar != (kind == NeuronKind::plif_per_layer) || w.floats.empty())
      throw FormatError(quoted(path) + ": /model/" + layer.key + " is " + (scalar ? "a scalar" : "not a scalar") +
                        " but /config says " +
                        (kind == NeuronKind::plif_per_neuron ? "tau_per_neuron" : "one tau per layer"));
    // In double from the stored float32 w.
    for (float v : w.floats) layer.taus.push_back(model::tau_of_w(v));
    layers.push_back(layer);
  }
  return layers;
}

TauLog read_tau_log(const std::string& path) {
  const CheckpointFile checkpoint = read_checkpoint(path, kCheckpointLog);
  TauLog log;
  log.layers = neuron_layer_names(checkpoint.config.net);
  auto column = [&](const std::string& name) {
    const std::vector<double>* values = checkpoint.log.column(name);
    if (values == nullptr) throw FormatError(quoted(path) + ": /log has no column '" + name + "'");
    return *values;
  };
  log.epochs = column(n::kLogEpoch);
  for (std::size_t i = 0; i < log.layers.size(); ++i) {
    log.tau_mean.push_back(column(n::kLogTauMeanPrefix + std::to_string(i)));
    log.tau_std.push_back(column(n::kLogTauStdPrefix + std::to_string(i)));
  }
  return log;
}

}  // namespace plifkit::analysis
