// NIR graph reader and import (read_graph, import_network), structure-aware:
// each input first picks a valid small graph (plif-export's graph of a one-
// or two-block network, per-layer or per-neuron tau, max or average
// pooling, max pooling's spike as Threshold or LIF), then a sequence of mutations (h5_mutations.hpp). The reader and
// the import must refuse with a plifkit::Error or give a checkpoint of the
// network its /config describes.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "h5_mutations.hpp"
#include "plifkit/model/layout.hpp"
#include "plifkit/nir/export.hpp"
#include "plifkit/nir/import.hpp"
#include "plifkit/nir/nir_reader.hpp"

using namespace plifkit;

namespace {

// A DVS128 Gesture network on 8x8 input with 3 classes: conv weights 0.5,
// linear 0.25, BatchNorm the identity, tau 2.
CheckpointFile pick_base(FuzzedDataProvider& in) {
  TrainConfig config;
  NetworkConfig& net = config.net;
  net.height = net.width = 8;
  net.class_num = 3;
  net.channels = in.ConsumeIntegralInRange(1, 2);
  net.number_layer = in.ConsumeIntegralInRange(1, 2);
  net.use_plif = true;
  net.tau_per_neuron = in.ConsumeBool();
  net.use_max_pool = in.ConsumeBool();
  config.T = 4;
  CheckpointFile c = nir::checkpoint_of_shapes(config);
  for (auto& [key, t] : c.model) {
    const bool weight = key.size() > 7 && key.compare(key.size() - 7, 7, ".weight") == 0;
    const bool variance = key.find("running_var") != std::string::npos;
    const float value = t.shape.size() == 4 && weight ? 0.5f              // conv
                        : t.shape.size() == 2 && weight ? 0.25f          // linear
                        : (t.shape.size() == 1 && weight) || variance ? 1.0f  // BN scale, variance
                        : 0.0f;
    t.floats.assign(t.floats.size(), value);
  }
  return c;
}

fuzz::H5Shape shape_of(const nir::Graph& g) {
  fuzz::H5Shape s;
  s.objects = {"/version", "/node", "/node/type", "/node/nodes", "/node/edges", "/node/metadata"};
  for (const nir::Node& n : g.nodes) {
    s.objects.push_back("/node/nodes/" + n.name);
    s.objects.push_back("/node/nodes/" + n.name + "/type");
    for (const nir::Field& f : n.fields) s.objects.push_back("/node/nodes/" + n.name + "/" + f.name);
  }
  s.words = {"NIRGraph", "Conv2d", "LIF", "SumPool2d", "Threshold", "AvgPool2d", "Flatten", "Linear",
             "Output", "Input", "conv_0", "conv_2", "output", ""};
  s.numbers = {3, 8, 4, 30, 2};
  return s;
}

void check(const CheckpointFile& c) {
  const NetworkConfig& net = c.config.net;
  fuzz::require(net.number_layer >= 1 && net.number_layer <= kMaxNumberLayer, "number_layer in range");
  fuzz::require(net.channels >= 1 && net.class_num >= 1, "channels and classes positive");
  for (const auto& layer : model::layout_of(net).neuron_layers()) {
    const auto it = c.model.find(layer.name + ".w");
    fuzz::require(!net.use_plif || it != c.model.end(), "a w per PLIF layer");
    if (it != c.model.end())
      for (float w : it->second.floats) fuzz::require(!std::isnan(w), "w is a number");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = fuzz::scratch_path("nir");
  FuzzedDataProvider in(data, size);
  const CheckpointFile base = pick_base(in);
  nir::ExportOptions form;
  form.pool_spike = in.ConsumeBool() ? nir::PoolSpike::lif : nir::PoolSpike::threshold;
  nir::Graph graph;
  if (!fuzz::only_plifkit_errors([&] {
        graph = nir::export_network(base, form);
        nir::write_graph(path, graph);
      }))
    fuzz::bug("the harness cannot write its valid NIR graph");
  fuzz::mutate_file(path, shape_of(graph), in);

  fuzz::only_plifkit_errors([&] {
    nir::ImportOptions o;
    o.path = path;
    o.dataset = Dataset::DVS128Gesture;
    check(nir::import_network(nir::read_graph(path), o));
  });
  if (fuzz::open_h5_objects() != 0) fuzz::bug("read_graph left HDF5 objects open");
  std::remove(path.c_str());
  return 0;
}
