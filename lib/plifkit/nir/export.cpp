#include "plifkit/nir/export.hpp"

#include <cmath>
#include <limits>

#include "plifkit/core/error.hpp"
#include "plifkit/datasets/registry.hpp"
#include "plifkit/model/layout.hpp"

namespace plifkit::nir {

namespace {

class Exporter {
 public:
  Exporter(const CheckpointFile& checkpoint, const ExportOptions& options)
      : c_(checkpoint), o_(options), layout_(model::layout_of(checkpoint.config.net)) {}

  Graph run() {
    const NetworkConfig& net = c_.config.net;
    add({"input", "Input", {Field::of_ints("shape", {layout_.input_channels, layout_.height, layout_.width})}});
    const std::vector<model::NeuronLayerInfo> neurons = layout_.neuron_layers();
    std::size_t layer = 0;
    std::vector<std::int64_t> shape;
    for (const model::ConvBlock& b : layout_.conv) {
      add_conv(b);
      shape = neurons[layer].shape;
      add_neurons(neurons[layer++]);
      if (b.pool_after) shape = add_pool(b, shape, net.use_max_pool);
    }
    add({"flatten", "Flatten",
         {Field::of_int("start_dim", 0), Field::of_int("end_dim", -1), Field::of_ints("input_type", shape)}});
    for (const model::LinearBlock& b : layout_.fc) {
      const StoredTensor& w = entry(b.linear + ".weight", {b.out_features, b.in_features});
      add({node_name(b.linear), "Linear", {floats("weight", w)}});
      add_neurons(neurons[layer++]);
    }
    add_vote();
    add({"output", "Output", {Field::of_ints("shape", {layout_.class_num})}});
    add_metadata();
    return std::move(graph_);
  }

 private:
  void add(Node node) {
    if (!graph_.nodes.empty()) graph_.edges.emplace_back(graph_.nodes.back().name, node.name);
    graph_.nodes.push_back(std::move(node));
  }

  // The /model entry, of the shape the layout gives.
  const StoredTensor& entry(const std::string& key, const std::vector<std::int64_t>& shape) const {
    const auto it = c_.model.find(key);
    if (it == c_.model.end())
      throw FormatError(quoted(o_.checkpoint) + ": /model has no '" + key + "' (the network needs it)");
    if (it->second.shape != shape || it->second.type != StoredTensor::Type::float32)
      throw FormatError(quoted(o_.checkpoint) + ": /model/" + key + " is not the float32 array of the shape " +
                        "the network of its /config needs");
    return it->second;
  }

  static Field floats(const std::string& name, const StoredTensor& t) {
    return Field::of_array(name, Field::Type::float32, t.shape,
                           std::vector<double>(t.floats.begin(), t.floats.end()));
  }

  // Convolution then BatchNorm in eval mode: y = (conv(x) - mean) * s + beta
  // with s = gamma / sqrt(var + eps), one conv with weight W * s and bias
  // beta - mean * s (in double, stored float32).
  void add_conv(const model::ConvBlock& b) {
    const std::int64_t out = b.out_channels, in = b.in_channels, k = model::kKernelSize;
    const StoredTensor& w = entry(b.conv + ".weight", {out, in, k, k});
    const StoredTensor& gamma = entry(b.norm + ".weight", {out});
    const StoredTensor& beta = entry(b.norm + ".bias", {out});
    const StoredTensor& mean = entry(b.norm + ".running_mean", {out});
    const StoredTensor& var = entry(b.norm + ".running_var", {out});
    std::vector<double> weight(w.floats.size()), bias(static_cast<std::size_t>(out));
    const std::size_t per_out = static_cast<std::size_t>(in * k * k);
    for (std::size_t o = 0; o < bias.size(); ++o) {
      const double s = gamma.floats[o] / std::sqrt(static_cast<double>(var.floats[o]) + model::kBatchNormEps);
      for (std::size_t i = 0; i < per_out; ++i) weight[o * per_out + i] = w.floats[o * per_out + i] * s;
      bias[o] = beta.floats[o] - mean.floats[o] * s;
    }
    add({node_name(b.conv), "Conv2d",
         {Field::of_ints("input_shape", {b.height, b.width}),
          Field::of_array("weight", Field::Type::float32, {out, in, k, k}, std::move(weight)),
          Field::of_ints("stride", {1, 1}), Field::of_ints("padding", {1, 1}),
          Field::of_ints("dilation", {1, 1}), Field::of_int("groups", 1),
          Field::of_array("bias", Field::Type::float32, {out}, std::move(bias))}});
  }

  // h = v + (x - (v - v_reset)) * k, k = 1 / tau_steps, is NIR's
  // tau dv/dt = (v_leak - v) + r x by forward Euler over dt with
  // tau = dt * tau_steps, v_leak = v_reset, r = 1.
  void add_neurons(const model::NeuronLayerInfo& layer) {
    const NetworkConfig& net = c_.config.net;
    const std::size_t n = static_cast<std::size_t>(layer.neurons);
    std::vector<double> tau(n, o_.dt * net.init_tau);
    switch (neuron_kind_of(net)) {
      case NeuronKind::lif:
        break;
      case NeuronKind::plif_per_layer: {
        const double w = entry(layer.name + ".w", {}).floats[0];
        tau.assign(n, o_.dt * model::tau_of_w(w));
        break;
      }
      case NeuronKind::plif_per_neuron: {
        std::vector<std::int64_t> shape = {1};
        shape.insert(shape.end(), layer.shape.begin(), layer.shape.end());
        const StoredTensor& w = entry(layer.name + ".w", shape);
        for (std::size_t i = 0; i < n; ++i) tau[i] = o_.dt * model::tau_of_w(w.floats[i]);
        break;
      }
    }
    const auto array = [&](const char* name, std::vector<double> values) {
      return Field::of_array(name, Field::Type::float64, layer.shape, std::move(values));
    };
    add({node_name(layer.name), "LIF",
         {array("tau", std::move(tau)), array("r", std::vector<double>(n, 1.0)),
          array("v_leak", std::vector<double>(n, 0.0)),
          array("v_threshold", std::vector<double>(n, kLifThreshold)),
          array("v_reset", std::vector<double>(n, 0.0))}});
  }

  // 2x2, stride 2. Returns the shape after it.
  std::vector<std::int64_t> add_pool(const model::ConvBlock& b, std::vector<std::int64_t> shape, bool max) {
    const std::string name = node_name(b.neuron) + "_pool";
    const std::vector<Field> window = {Field::of_ints("kernel_size", {2, 2}), Field::of_ints("stride", {2, 2}),
                                       Field::of_ints("padding", {0, 0})};
    shape[1] /= 2;
    shape[2] /= 2;
    if (!max) {
      add({name, "AvgPool2d", window});
      return shape;
    }
    // The maximum of 0/1 spikes is 1 exactly when the window's sum is.
    add({name, "SumPool2d", window});
    std::int64_t n = 1;
    for (std::int64_t d : shape) n *= d;
    const auto array = [&](const char* field, double value) {
      return Field::of_array(field, Field::Type::float64, shape, std::vector<double>(static_cast<std::size_t>(n), value));
    };
    if (o_.pool_spike == PoolSpike::threshold) {
      add({name + "_spike", "Threshold", {array("threshold", kPoolSpikeThreshold)}});
    } else {
      add({name + "_spike", "LIF",
           {array("tau", o_.dt), array("r", 1.0), array("v_leak", 0.0), array("v_threshold", kPoolSpikeThreshold),
            array("v_reset", 0.0)}});
    }
    return shape;
  }

  // Class c's score: the spikes of voting neurons c*10 .. c*10+9.
  void add_vote() {
    const std::int64_t classes = layout_.class_num, group = layout_.vote_group;
    std::vector<double> w(static_cast<std::size_t>(classes * classes * group), 0.0);
    for (std::int64_t c = 0; c < classes; ++c)
      for (std::int64_t j = 0; j < group; ++j) w[static_cast<std::size_t>(c * classes * group + c * group + j)] = 1.0;
    add({"vote", "Linear", {Field::of_array("weight", Field::Type::float32, {classes, classes * group}, std::move(w))}});
  }

  void add_metadata() {
    const DatasetRow& row = row_of(c_.config.net.dataset);
    auto& m = graph_.metadata;
    m.push_back(Field::of_text("producer", "plifkit " + o_.plifkit_version));
    m.push_back(Field::of_text("checkpoint", o_.checkpoint));
    m.push_back(Field::of_real("dt", o_.dt));
    if (c_.config.T) m.push_back(Field::of_int("T", *c_.config.T));
    m.push_back(Field::of_text("dataset", name_of_choice(row.id)));
    m.push_back(Field::of_texts("class_names", row.class_names));
    m.push_back(Field::of_text("neuron", name_of(neuron_kind_of(c_.config.net))));
    m.push_back(Field::of_text("output", "per step, each class's count of spiking voting neurons; "
                                         "summed over T steps: plif-eval's votes (ties: lowest class)"));
    switch (row.kind) {
      case InputKind::events:
        m.push_back(Field::of_text("input", "per step, one frame [2, H, W] of the frames file (OFF, ON)"));
        break;
      case InputKind::images:
        m.push_back(Field::of_text("input", "every step, the image as pixel / 255, then (x - input_mean) / "
                                            "input_std per channel"));
        m.push_back(Field::of_array("input_mean", Field::Type::float64,
                                    {static_cast<std::int64_t>(row.statistics.mean.size())}, row.statistics.mean));
        m.push_back(Field::of_array("input_std", Field::Type::float64,
                                    {static_cast<std::int64_t>(row.statistics.std.size())}, row.statistics.std));
        break;
    }
  }

  const CheckpointFile& c_;
  const ExportOptions& o_;
  model::ModelLayout layout_;
  Graph graph_;
};

}  // namespace

CheckpointFile checkpoint_of_shapes(const TrainConfig& config) {
  CheckpointFile c;
  c.config = config;
  const model::ModelLayout layout = model::layout_of(config.net);
  auto zeros = [](std::vector<std::int64_t> shape) {
    StoredTensor t;
    std::int64_t n = 1;
    for (std::int64_t d : shape) n *= d;
    t.shape = std::move(shape);
    t.floats.assign(static_cast<std::size_t>(n), 0.0f);
    return t;
  };
  for (const auto& b : layout.conv) {
    c.model[b.conv + ".weight"] = zeros({b.out_channels, b.in_channels, model::kKernelSize, model::kKernelSize});
    for (const char* part : {".weight", ".bias", ".running_mean", ".running_var"})
      c.model[b.norm + part] = zeros({b.out_channels});
  }
  for (const auto& b : layout.fc) c.model[b.linear + ".weight"] = zeros({b.out_features, b.in_features});
  for (const auto& layer : layout.neuron_layers()) {
    std::vector<std::int64_t> shape;
    if (config.net.tau_per_neuron) {
      shape = {1};
      shape.insert(shape.end(), layer.shape.begin(), layer.shape.end());
    }
    c.model[layer.name + ".w"] = zeros(shape);
  }
  return c;
}

Graph export_network(const CheckpointFile& checkpoint, const ExportOptions& options) {
  if (!(options.dt > 0) || !std::isfinite(options.dt))
    throw UsageError("dt must be a positive number of seconds");
  return Exporter(checkpoint, options).run();
}

}  // namespace plifkit::nir
