// plif-export's graph against values derived by hand: the BatchNorm folded
// into the convolution, NIR's tau from w and dt, the threshold just below 1,
// max pooling as SumPool2d then Threshold (or a stateless LIF), the vote as
// a 0/1 Linear, and a checkpoint lacking an entry refused naming it; the
// import of peers' forms (one value for a layer, r folded into the weights).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

#include "plifkit/core/error.hpp"
#include "plifkit/nir/export.hpp"
#include "plifkit/nir/import.hpp"

namespace plifkit::nir {
namespace {

StoredTensor filled(std::vector<std::int64_t> shape, float value) {
  StoredTensor t;
  t.shape = shape;
  std::int64_t n = 1;
  for (std::int64_t d : shape) n *= d;
  t.floats.assign(static_cast<std::size_t>(n), value);
  return t;
}

bool ends_with(const std::string& text, const std::string& end) {
  return text.size() >= end.size() && text.compare(text.size() - end.size(), end.size(), end) == 0;
}

// One conv block of 2 channels on 8x8 input, 3 classes, tau per neuron; every
// weight 0.5, BN gamma 2, beta 0.25, mean 1, var 3; w = 0 (tau 2) but for
// conv.2's first neuron, w = -ln 3 (tau 4).
CheckpointFile tiny_checkpoint() {
  TrainConfig config;
  NetworkConfig& net = config.net;
  net.height = net.width = 8;
  net.class_num = 3;
  net.channels = 2;
  net.number_layer = 1;
  net.use_plif = net.tau_per_neuron = net.use_max_pool = true;
  config.T = 5;
  CheckpointFile c = checkpoint_of_shapes(config);
  for (auto& [key, t] : c.model) {
    const bool norm = t.shape.size() == 1;  // BatchNorm entries are per channel
    const float value = ends_with(key, ".running_var") ? 3.0f
                        : ends_with(key, ".running_mean") ? 1.0f
                        : ends_with(key, ".bias") ? 0.25f
                        : ends_with(key, ".weight") ? (norm ? 2.0f : 0.5f)
                        : 0.0f;  // w: tau 2
    t.floats.assign(t.floats.size(), value);
  }
  c.model["conv.2.w"].floats[0] = static_cast<float>(-std::log(3.0));
  return c;
}

const Node& node(const Graph& g, const std::string& name) {
  for (const Node& n : g.nodes)
    if (n.name == name) return n;
  throw std::runtime_error("no node " + name);
}

const Field& field(const Node& n, const std::string& name) {
  for (const Field& f : n.fields)
    if (f.name == name) return f;
  throw std::runtime_error("node " + n.name + " has no field " + name);
}

TEST(NirExport, MapsEveryLayerAsDerivedByHand) {
  ExportOptions o;
  o.dt = 0.002;
  o.checkpoint = "tiny.h5";
  const Graph g = export_network(tiny_checkpoint(), o);

  std::vector<std::string> names;
  for (const Node& n : g.nodes) names.push_back(n.name + ":" + n.type);
  EXPECT_EQ(names, (std::vector<std::string>{"input:Input", "conv_0:Conv2d", "conv_2:LIF",
                                             "conv_2_pool:SumPool2d", "conv_2_pool_spike:Threshold",
                                             "flatten:Flatten", "fc_2:Linear", "fc_3:LIF", "fc_5:Linear",
                                             "fc_6:LIF", "vote:Linear", "output:Output"}));
  ASSERT_EQ(g.edges.size(), g.nodes.size() - 1);
  EXPECT_EQ(g.edges[2], (std::pair<std::string, std::string>{"conv_2", "conv_2_pool"}));

  // s = 2 / sqrt(3 + 1e-5): weight 0.5 s, bias 0.25 - 1 * s.
  const double s = 2.0 / std::sqrt(3.0 + 1e-5);
  const Node& conv = node(g, "conv_0");
  EXPECT_EQ(field(conv, "weight").shape, (std::vector<std::int64_t>{2, 2, 3, 3}));
  EXPECT_DOUBLE_EQ(field(conv, "weight").values[17], 0.5 * s);
  EXPECT_DOUBLE_EQ(field(conv, "bias").values[1], 0.25 - s);
  EXPECT_EQ(field(conv, "padding").values, (std::vector<double>{1, 1}));

  // tau = dt * (1 + exp(-w)): 0.002 * 4 for the first neuron, 0.002 * 2 after.
  const Node& lif = node(g, "conv_2");
  EXPECT_EQ(field(lif, "tau").shape, (std::vector<std::int64_t>{2, 8, 8}));
  EXPECT_NEAR(field(lif, "tau").values[0], 0.008, 1e-9);
  EXPECT_DOUBLE_EQ(field(lif, "tau").values[1], 0.004);
  EXPECT_DOUBLE_EQ(field(lif, "r").values[5], 1.0);
  EXPECT_DOUBLE_EQ(field(lif, "v_leak").values[5], 0.0);
  EXPECT_DOUBLE_EQ(field(lif, "v_reset").values[5], 0.0);
  const double threshold = field(lif, "v_threshold").values[5];
  EXPECT_LT(threshold, 1.0);
  EXPECT_EQ(static_cast<float>(threshold), std::nextafter(1.0f, 0.0f));

  EXPECT_EQ(field(node(g, "conv_2_pool_spike"), "threshold").shape, (std::vector<std::int64_t>{2, 4, 4}));
  EXPECT_DOUBLE_EQ(field(node(g, "conv_2_pool_spike"), "threshold").values[0], 0.5);
  EXPECT_EQ(field(node(g, "flatten"), "input_type").values, (std::vector<double>{2, 4, 4}));

  // The vote: class 1 sums voting neurons 10..19.
  const Field& vote = field(node(g, "vote"), "weight");
  ASSERT_EQ(vote.shape, (std::vector<std::int64_t>{3, 30}));
  for (int j = 0; j < 30; ++j) EXPECT_EQ(vote.values[30 + j], (j >= 10 && j < 20) ? 1.0 : 0.0) << j;
  EXPECT_EQ(field(node(g, "output"), "shape").values, (std::vector<double>{3}));
}

TEST(NirExport, AveragePoolingAndOneTauPerLayer) {
  CheckpointFile c = tiny_checkpoint();
  c.config.net.use_max_pool = false;
  c.config.net.tau_per_neuron = false;
  for (const char* layer : {"conv.2", "fc.3", "fc.6"}) c.model[std::string(layer) + ".w"] = filled({}, 1.0f);
  const Graph g = export_network(c, {});
  EXPECT_EQ(node(g, "conv_2_pool").type, "AvgPool2d");
  const Field& tau = field(node(g, "fc_3"), "tau");
  for (double t : tau.values) EXPECT_DOUBLE_EQ(t, 0.001 * (1.0 + std::exp(-1.0)));
}

TEST(NirExport, RefusesACheckpointLackingAnEntry) {
  CheckpointFile c = tiny_checkpoint();
  c.model.erase("conv.1.running_var");
  ExportOptions o;
  o.checkpoint = "tiny.h5";
  try {
    export_network(c, o);
    FAIL() << "exported";
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()), "'tiny.h5': /model has no 'conv.1.running_var' (the network needs it)");
  }
  o.dt = 0;
  EXPECT_THROW(export_network(tiny_checkpoint(), o), UsageError);
}

TEST(NirImport, InvertsTheExport) {
  ExportOptions o;
  o.dt = 0.002;
  const CheckpointFile original = tiny_checkpoint();
  ImportOptions io;
  io.path = "tiny.nir";
  io.dataset = Dataset::DVS128Gesture;  // 8x8 and 3 classes fit no row: named
  const CheckpointFile c = import_network(export_network(original, o), io);
  EXPECT_EQ(c.config.net.channels, 2);
  EXPECT_EQ(c.config.net.number_layer, 1);
  EXPECT_TRUE(c.config.net.use_plif && c.config.net.tau_per_neuron && c.config.net.use_max_pool);
  EXPECT_EQ(c.config.T, 5);
  // The folded conv, with BatchNorm a unit scale: weight 0.5 s, shift 0.25 - s.
  const double s = 2.0 / std::sqrt(3.0 + 1e-5);
  EXPECT_FLOAT_EQ(c.model.at("conv.0.weight").floats[3], static_cast<float>(0.5 * s));
  EXPECT_FLOAT_EQ(c.model.at("conv.1.bias").floats[0], static_cast<float>(0.25 - s));
  EXPECT_FLOAT_EQ(c.model.at("conv.1.weight").floats[0], 1.0f);
  EXPECT_FLOAT_EQ(c.model.at("conv.1.running_mean").floats[0], 0.0f);
  EXPECT_FLOAT_EQ(c.model.at("conv.1.running_var").floats[0], static_cast<float>(1 - 1e-5));
  // w back from tau / dt: -ln 3 for the first neuron, 0 for the others.
  EXPECT_NEAR(c.model.at("conv.2.w").floats[0], -std::log(3.0), 1e-6);
  EXPECT_NEAR(c.model.at("conv.2.w").floats[1], 0.0, 1e-6);
  EXPECT_EQ(c.model.at("conv.2.w").shape, (std::vector<std::int64_t>{1, 2, 8, 8}));
  EXPECT_EQ(c.model.at("fc.2.weight").floats, original.model.at("fc.2.weight").floats);
}

TEST(NirImport, RefusesAGraphOfAnotherShapeNamingTheNode) {
  Graph g = export_network(tiny_checkpoint(), {});
  ImportOptions io;
  io.path = "g.nir";
  io.dataset = Dataset::DVS128Gesture;
  Graph no_pool = g;
  no_pool.nodes[3].type = "AvgPool2d";  // SumPool2d without its Threshold
  try {
    import_network(no_pool, io);
    FAIL() << "imported";
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()),
              "'g.nir': node 'conv_2_pool_spike' (Threshold) stands where plifkit's network has a Flatten (node 4)");
  }
  Graph leaky = g;
  for (Field& f : leaky.nodes[2].fields)
    if (f.name == "v_leak") f.values[7] = 0.5;
  try {
    import_network(leaky, io);
    FAIL() << "imported";
  } catch (const FormatError& e) {
    EXPECT_NE(std::string(e.what()).find("node 'conv_2' (LIF) field 'v_leak' has a value plifkit's neurons do not"),
              std::string::npos)
        << e.what();
  }
}

Field& field(Graph& g, const std::string& node_name, const std::string& name) {
  return const_cast<Field&>(field(node(g, node_name), name));
}

TEST(NirExport, PoolSpikeAsAStatelessLif) {
  ExportOptions o;
  o.dt = 0.002;
  o.pool_spike = PoolSpike::lif;
  const Graph g = export_network(tiny_checkpoint(), o);
  const Node& spike = node(g, "conv_2_pool_spike");
  ASSERT_EQ(spike.type, "LIF");
  // tau = dt: one Euler step gives v + (0 - v + x) = x, so it fires where
  // x > 0.5 (a window sum of 1 or more) and is 0 again after firing.
  EXPECT_EQ(field(spike, "tau").shape, (std::vector<std::int64_t>{2, 4, 4}));
  EXPECT_DOUBLE_EQ(field(spike, "tau").values[3], 0.002);
  EXPECT_DOUBLE_EQ(field(spike, "v_threshold").values[3], 0.5);
  EXPECT_DOUBLE_EQ(field(spike, "r").values[3], 1.0);

  ImportOptions io;
  io.path = "lif.nir";
  io.dataset = Dataset::DVS128Gesture;
  const CheckpointFile c = import_network(g, io);
  EXPECT_TRUE(c.config.net.use_max_pool && c.config.net.tau_per_neuron);
  EXPECT_NEAR(c.model.at("conv.2.w").floats[0], -std::log(3.0), 1e-6);  // the neurons, not the pool's LIF
  Graph stateful = g;
  field(stateful, "conv_2_pool_spike", "tau").values[0] = 0.004;
  EXPECT_THROW(import_network(stateful, io), FormatError);
}

// snnTorch writes a layer's tau and r as scalars, v_threshold as [1], a
// window as one number, and r = tau / dt (its membrane adds the input
// unscaled): r is folded into the weights before the layer.
TEST(NirImport, BroadcastsOneValueAndFoldsR) {
  CheckpointFile original = tiny_checkpoint();
  original.config.net.use_max_pool = false;
  original.config.net.tau_per_neuron = false;
  for (const char* layer : {"conv.2", "fc.3", "fc.6"}) original.model[std::string(layer) + ".w"] = filled({}, 0.0f);
  Graph g = export_network(original, {});
  const auto scalar = [](Field& f, double value) {
    f.shape = {};
    f.values = {value};
  };
  for (const char* lif : {"conv_2", "fc_3", "fc_6"}) {
    scalar(field(g, lif, "tau"), 0.002);
    scalar(field(g, lif, "r"), 2.0);
    field(g, lif, "v_threshold").shape = {1};
    field(g, lif, "v_threshold").values = {1.0};
    scalar(field(g, lif, "v_leak"), 0.0);
    scalar(field(g, lif, "v_reset"), 0.0);
  }
  scalar(field(g, "conv_2_pool", "kernel_size"), 2);
  ImportOptions io;
  io.path = "peer.nir";
  io.dataset = Dataset::DVS128Gesture;
  const CheckpointFile c = import_network(g, io);
  EXPECT_FALSE(c.config.net.tau_per_neuron);
  EXPECT_NEAR(c.model.at("fc.3.w").floats[0], 0.0, 1e-9);  // tau 2 steps
  // Twice the folded weights and shift: conv 0.5 s -> s, shift 0.25 - s -> 0.5 - 2 s.
  const double s = 2.0 / std::sqrt(3.0 + 1e-5);
  EXPECT_FLOAT_EQ(c.model.at("conv.0.weight").floats[3], static_cast<float>(s));
  EXPECT_FLOAT_EQ(c.model.at("conv.1.bias").floats[1], static_cast<float>(0.5 - 2 * s));
  EXPECT_FLOAT_EQ(c.model.at("fc.2.weight").floats[0], 1.0f);

  Graph uneven = g;
  Field& r = field(uneven, "conv_2", "r");
  r.shape = {2, 8, 8};
  r.values.assign(128, 2.0);
  r.values[70] = 3.0;  // channel 1
  try {
    import_network(uneven, io);
    FAIL() << "imported";
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()), "'peer.nir': node 'conv_2' (LIF) field 'r' differs within channel 1 "
                                     "(plifkit folds r into the convolution, one value per channel)");
  }
}

}  // namespace
}  // namespace plifkit::nir
