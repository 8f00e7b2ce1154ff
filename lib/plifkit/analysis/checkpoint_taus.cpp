#include "plifkit/analysis/checkpoint_taus.hpp"

#include <cmath>
#include <cstdint>

#include "plifkit/core/error.hpp"
#include "plifkit/h5/h5.hpp"
#include "plifkit/h5/names.hpp"
#include "plifkit/h5/stage_file.hpp"
#include "plifkit/model/layout.hpp"

namespace plifkit::analysis {

namespace n = names::checkpoint;
namespace a = names::checkpoint::config;

namespace {

h5::Handle open_checkpoint(const std::string& path) {
  h5::Handle file = h5::open_file(path);
  h5::require_format(file.id(), path, n::kFormatName, n::kVersion);
  return file;
}

// The dataset that selects the network; absent in files of earlier
// versions, which were all DVS128 Gesture.
Dataset dataset_of(hid_t config, const std::string& path) {
  if (!h5::has_attr(config, a::kDataset)) return Dataset::DVS128Gesture;
  const std::string name = h5::read_attr_string(config, a::kDataset);
  if (const auto d = find_choice<Dataset>(name)) return *d;
  throw FormatError(quoted(path) + ": /config dataset '" + name + "' is none of " +
                    choice_list<Dataset>());
}

int number_layer_of(hid_t config, const std::string& path) {
  const auto number_layer = h5::read_attr<std::int64_t>(config, a::kNumberLayer);
  // Checked before the layer names are listed: a damaged file must not make
  // the reader list billions of layers.
  if (number_layer < 1 || number_layer > model::kMaxNumberLayer)
    throw FormatError(quoted(path) + ": /config number_layer is " + std::to_string(number_layer) +
                      " (expected 1.." + std::to_string(model::kMaxNumberLayer) + ")");
  return static_cast<int>(number_layer);
}

}  // namespace

std::vector<std::string> neuron_layer_names(Dataset dataset, int number_layer) {
  // The names do not depend on the input size or the widths.
  NetworkConfig shape;
  shape.dataset = dataset;
  shape.number_layer = number_layer;
  return model::layout_of(shape).neuron_layer_names();
}

std::vector<LayerTaus> read_checkpoint_taus(const std::string& path) {
  h5::Handle file = open_checkpoint(path);
  h5::Handle config = h5::open_group(file.id(), n::kConfig);
  const int number_layer = number_layer_of(config.id(), path);
  const NeuronKind kind =
      neuron_kind_of(h5::read_attr<std::uint8_t>(config.id(), a::kUsePlif) != 0,
                     h5::read_attr<std::uint8_t>(config.id(), a::kTauPerNeuron) != 0);
  const double init_tau = h5::read_attr<double>(config.id(), a::kInitTau);
  // Only the w's are used, but a checkpoint damaged anywhere is not trusted.
  h5::verify_checksums(file.id());
  h5::Handle model = h5::open_group(file.id(), n::kModel);

  std::vector<LayerTaus> layers;
  for (const auto& name : neuron_layer_names(dataset_of(config.id(), path), number_layer)) {
    LayerTaus layer;
    layer.layer = name;
    if (kind == NeuronKind::lif) {
      layer.kind = NeuronKind::lif;
      layer.taus = {init_tau};
      layers.push_back(layer);
      continue;
    }
    layer.key = name + ".w";
    if (!h5::exists(model.id(), layer.key))
      throw FormatError(quoted(path) + ": /model has no '" + layer.key + "' (use_plif is set)");
    h5::Dims dims;
    const std::vector<double> w = h5::read_dataset<double>(model.id(), layer.key, &dims);
    layer.kind = dims.empty() ? NeuronKind::plif_per_layer : NeuronKind::plif_per_neuron;
    if (layer.kind != kind || w.empty())
      throw FormatError(quoted(path) + ": /model/" + layer.key + " is " +
                        (dims.empty() ? "a scalar" : "not a scalar") + " but /config says " +
                        (kind == NeuronKind::plif_per_neuron ? "tau_per_neuron" : "one tau per layer"));
    for (double v : w) layer.taus.push_back(model::tau_of_w(v));
    layers.push_back(layer);
  }
  return layers;
}

TauLog read_tau_log(const std::string& path) {
  h5::Handle file = open_checkpoint(path);
  h5::Handle config = h5::open_group(file.id(), n::kConfig);
  TauLog log;
  log.layers = neuron_layer_names(dataset_of(config.id(), path), number_layer_of(config.id(), path));
  h5::Handle group = h5::open_group(file.id(), n::kLog);
  auto column = [&](const std::string& name) {
    if (!h5::exists(group.id(), name))
      throw FormatError(quoted(path) + ": /log has no column '" + name + "'");
    std::vector<double> values = h5::read_dataset<double>(group.id(), name);
    if (name != n::kLogEpoch && values.size() != log.epochs.size())
      throw FormatError(quoted(path) + ": /log/" + name + " has " + std::to_string(values.size()) +
                        " rows, /log/epoch " + std::to_string(log.epochs.size()));
    return values;
  };
  log.epochs = column(n::kLogEpoch);
  for (std::size_t i = 0; i < log.layers.size(); ++i) {
    log.tau_mean.push_back(column(n::kLogTauMeanPrefix + std::to_string(i)));
    log.tau_std.push_back(column(n::kLogTauStdPrefix + std::to_string(i)));
  }
  return log;
}

}  // namespace plifkit::analysis
