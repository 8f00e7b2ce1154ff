// NIR graph reader and import (read_graph, import_network), structure-aware:
// each input first picks a valid small graph (plif-export's graph of a one-
// or two-block network, per-layer or per-neuron tau, max or average
// pooling), then a sequence of mutations (h5_mutations.hpp). The reader and
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

// A DVS128 Gesture network on 8x8 input with 3 classes.
CheckpointFile pick_base(FuzzedDataProvider& in) {
  CheckpointFile c;
  NetworkConfig& net = c.config.net;
  net.height = net.width = 8;
  net.class_num = 3;
  net.channels = in.ConsumeIntegralInRange(1, 2);
  net.number_layer = in.ConsumeIntegralInRange(1, 2);
  net.use_plif = true;
  net.tau_per_neuron = in.ConsumeBool();
  net.use_max_pool = in.ConsumeBool();
  c.config.T = 4;
  const model::ModelLayout layout = model::layout_of(net);
  auto filled = [](std::vector<std::int64_t> shape, float value) {
    StoredTensor t;
    std::int64_t n = 1;
    for (std::int64_t d : shape) n *= d;
    t.shape = std::move(shape);
    t.floats.assign(static_cast<std::size_t>(n), value);
    return t;
  };
  for (const auto& b : layout.conv) {
    c.model[b.conv + ".weight"] = filled({b.out_channels, b.in_channels, 3, 3}, 0.5f);
    for (const char* part : {".weight", ".running_var"}) c.model[b.norm + part] = filled({b.out_channels}, 1.0f);
    for (const char* part : {".bias", ".running_mean"}) c.model[b.norm + part] = filled({b.out_channels}, 0.0f);
  }
  for (const auto& b : layout.fc) c.model[b.linear + ".weight"] = filled({b.out_features, b.in_features}, 0.25f);
  for (const auto& layer : layout.neuron_layers()) {
    std::vector<std::int64_t> shape = {1};
    shape.insert(shape.end(), layer.shape.begin(), layer.shape.end());
    c.model[layer.name + ".w"] = filled(net.tau_per_neuron ? shape : std::vector<std::int64_t>{}, 0.0f);
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
  nir::Graph graph;
  if (!fuzz::only_plifkit_errors([&] {
        graph = nir::export_network(base, {});
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
