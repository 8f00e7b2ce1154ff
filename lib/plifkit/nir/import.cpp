#include "plifkit/nir/import.hpp"

#include <cmath>
#include <map>
#include <set>

#include "plifkit/core/error.hpp"
#include "plifkit/core/setting_error.hpp"
#include "plifkit/datasets/registry.hpp"
#include "plifkit/model/layout.hpp"
#include "plifkit/nir/export.hpp"

namespace plifkit::nir {

namespace {

class Importer {
 public:
  // A copy of the graph: fields that NIR lets stand for the whole shape (one
  // value) are broadcast in place while matching.
  Importer(const Graph& graph, const ImportOptions& options) : g_(graph), o_(options) {}

  CheckpointFile run() {
    order_path();
    CheckpointFile c;
    c.config = infer_config();
    ExportOptions form{dt_, "", "", pool_spike_};
    expected_ = export_network(checkpoint_of_shapes(c.config), form);
    check_shape();
    fill_model(c);
    return c;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const { throw FormatError(quoted(o_.path) + ": " + what); }
  [[noreturn]] void fail(const Node& n, const std::string& what) const {
    fail("node '" + n.name + "' (" + n.type + ") " + what);
  }

  static const Field* find(const Node& n, const std::string& name) {
    for (const Field& f : n.fields)
      if (f.name == name) return &f;
    return nullptr;
  }
  static Field* find(Node& n, const std::string& name) {
    return const_cast<Field*>(find(static_cast<const Node&>(n), name));
  }

  // NIR writers give a neuron parameter one value for the whole layer
  // (snnTorch: tau and r as scalars, v_threshold as [1]) and a pooling
  // window one number for both sides (kernel_size 2): such a field becomes
  // the array plifkit's network has.
  static void broadcast(const Node& node, Field& have, const Field& want) {
    const bool per_neuron = node.type == "LIF" || node.type == "Threshold";
    const bool window = node.type == "SumPool2d" || node.type == "AvgPool2d";
    if (have.values.size() != 1 || want.values.size() <= 1 || !(per_neuron || window)) return;
    have.values.assign(want.values.size(), have.values[0]);
    have.shape = want.shape;
    if (window) have.type = Field::Type::int64;
  }
  const Field& need(const Node& n, const std::string& name) const {
    if (const Field* f = find(n, name)) return *f;
    fail(n, "has no field '" + name + "'");
  }
  const Field* metadata(const std::string& name) const {
    for (const Field& f : g_.metadata)
      if (f.name == name) return &f;
    return nullptr;
  }

  // The nodes from the one Input to the Output, each with one successor: the
  // shape of every plifkit network.
  void order_path() {
    std::map<std::string, Node*> by_name;
    Node* input = nullptr;
    for (Node& n : g_.nodes) {
      by_name[n.name] = &n;
      if (n.type == "Input") {
        if (input != nullptr) fail(n, "is a second Input (plifkit's networks have one)");
        input = &n;
      }
    }
    if (input == nullptr) fail("the graph has no Input node");
    std::map<std::string, std::vector<std::string>> next;
    for (const auto& [from, to] : g_.edges) next[from].push_back(to);
    std::set<std::string> seen;
    for (Node* n = input;;) {
      if (!seen.insert(n->name).second) fail(*n, "is reached twice: the graph has a cycle");
      path_.push_back(n);
      const auto& successors = next[n->name];
      if (n->type == "Output") {
        if (!successors.empty()) fail(*n, "has successors");
        break;
      }
      if (successors.size() != 1)
        fail(*n, "has " + std::to_string(successors.size()) + " successors (plifkit's networks are a chain)");
      n = by_name.at(successors[0]);
    }
    if (path_.size() != g_.nodes.size())
      for (const Node& n : g_.nodes)
        if (seen.count(n.name) == 0) fail(n, "is not on the path from the Input to the Output");
  }

  std::vector<std::int64_t> ints(const Node& n, const std::string& name, std::size_t count) const {
    const Field& f = need(n, name);
    if (f.type == Field::Type::text || f.values.size() != count)
      fail(n, "field '" + name + "' is not " + std::to_string(count) + " number(s), as plifkit's networks have it");
    return std::vector<std::int64_t>(f.values.begin(), f.values.end());
  }

  TrainConfig infer_config() {
    const Node& input = *path_.front();
    const Node& output = *path_.back();
    const auto chw = ints(input, "shape", 3);
    const std::int64_t classes = ints(output, "shape", 1)[0];
    Dataset dataset;
    const Field* named = metadata("dataset");
    if (o_.dataset) {
      dataset = *o_.dataset;
    } else if (named != nullptr && named->texts.size() == 1 && find_choice<Dataset>(named->texts[0])) {
      dataset = *find_choice<Dataset>(named->texts[0]);  // plif-export's own graphs say it
    } else {
      std::vector<Dataset> fits;
      for (const DatasetRow& row : all_datasets())
        if (row.channels == chw[0] && row.height == chw[1] && row.width == chw[2] && row.class_num == classes)
          fits.push_back(row.id);
      if (fits.size() != 1)
        fail("the Input [" + std::to_string(chw[0]) + ", " + std::to_string(chw[1]) + ", " +
             std::to_string(chw[2]) + "] and the Output's " + std::to_string(classes) + " classes fit " +
             (fits.empty() ? std::string("no dataset of the registry") : dataset_list(fits)) + ": give --dataset");
      dataset = fits[0];
    }
    // The dataset decides the network's family; its size and classes are the
    // graph's (as a checkpoint's come from its frames file).
    const DatasetRow& row = row_of(dataset);
    if (row.channels != chw[0])
      fail(input, "takes " + std::to_string(chw[0]) + " channels, " + std::string(name_of_choice(dataset)) +
                      "'s network " + std::to_string(row.channels));

    TrainConfig c;
    c.dataset = dataset;
    NetworkConfig& net = c.net;
    net.dataset = dataset;
    net.height = chw[1];
    net.width = chw[2];
    net.class_num = classes;
    std::vector<const Node*> convs, lifs;
    bool average = false;
    for (std::size_t i = 0; i < path_.size(); ++i) {
      const Node* n = path_[i];
      // A LIF right after a SumPool2d is a max pooling's spike (PoolSpike::lif).
      const bool pool_spike = i > 0 && path_[i - 1]->type == "SumPool2d";
      if (n->type == "Conv2d") convs.push_back(n);
      if (n->type == "LIF" && !pool_spike) lifs.push_back(n);
      if (n->type == "LIF" && pool_spike) pool_spike_ = PoolSpike::lif;
      if (n->type == "AvgPool2d") average = true;
    }
    if (convs.empty() || lifs.empty()) fail("the graph has no Conv2d or no LIF node");
    const std::int64_t width = need(*convs[0], "weight").shape.at(0);
    net.channels = row.network == NetworkFamily::cifar10 ? width / 2 : width;
    net.number_layer = static_cast<std::int64_t>(convs.size());
    net.use_max_pool = !average;

    const Field* dt = metadata("dt");
    dt_ = o_.dt ? *o_.dt : dt != nullptr && !dt->values.empty() ? dt->values[0] : 1e-3;
    if (!(dt_ > 0)) fail("dt is not positive");
    const Field* T = metadata("T");
    if (o_.T) {
      c.T = *o_.T;
    } else if (T != nullptr && T->values.size() == 1) {
      c.T = static_cast<std::int64_t>(T->values[0]);
    } else {
      throw UsageError(quoted(o_.path) + " holds no T: give --T");
    }
    if (row.kind == InputKind::events) {
      c.split_by = o_.split_by;
      c.normalization = o_.normalization;
    }
    decide_neurons(lifs, net);
    try {
      validate(c.net);
    } catch (const SettingError& e) {
      fail(std::string("gives a network plifkit cannot build: ") + e.what());
    }
    return c;
  }

  static std::string dataset_list(const std::vector<Dataset>& datasets) {
    std::string text;
    for (Dataset d : datasets) text += (text.empty() ? "" : ", ") + std::string(name_of_choice(d));
    return text;
  }

  // The neuron kind: the metadata's, else a tau per neuron where a layer's
  // taus differ, else one learnable tau per layer.
  void decide_neurons(const std::vector<const Node*>& lifs, NetworkConfig& net) const {
    bool uniform = true;
    for (const Node* n : lifs) {
      const auto& tau = need(*n, "tau").values;  // one value: broadcast, uniform
      for (double t : tau) uniform = uniform && t == tau.front();
    }
    std::string kind = uniform ? name_of(NeuronKind::plif_per_layer) : name_of(NeuronKind::plif_per_neuron);
    if (const Field* m = metadata("neuron"); m != nullptr && m->texts.size() == 1) kind = m->texts[0];
    net.use_plif = kind != name_of(NeuronKind::lif);
    net.tau_per_neuron = kind == name_of(NeuronKind::plif_per_neuron);
    if (!net.use_plif) {
      const double tau = need(*lifs[0], "tau").values.at(0);
      for (const Node* n : lifs)
        for (double t : need(*n, "tau").values)
          if (t != tau) fail(*n, "has taus other than the fixed tau of LIF neurons");
      net.init_tau = tau / dt_;
    }
  }

  // Node by node against the export of the inferred network: the same
  // types and shapes, the structural numbers equal, LIF constants as
  // plifkit's neurons have them.
  void check_shape() {
    for (std::size_t i = 0; i < expected_.nodes.size(); ++i) {
      const Node& want = expected_.nodes[i];
      if (i >= path_.size()) fail("the graph ends before plifkit's network does (at its " + want.type + ")");
      Node& have = *path_[i];
      if (have.type != want.type)
        fail(have, "stands where plifkit's network has a " + want.type + " (node " + std::to_string(i) + ")");
      matched_[want.name] = &have;
      for (const Field& w : want.fields) {
        Field* h = find(have, w.name);
        if (h == nullptr) {
          if (w.name == "input_shape" || w.name == "input_type" || w.name == "v_reset") continue;  // optional in NIR
          fail(have, "has no field '" + w.name + "'");
        }
        broadcast(have, *h, w);
        if (h->shape != w.shape && !(w.shape.size() == 1 && h->values.size() == w.values.size()))
          fail(have, "field '" + w.name + "' has another shape than plifkit's network needs");
        if (w.type == Field::Type::int64 && h->values != w.values)
          fail(have, "field '" + w.name + "' differs from plifkit's network (" + w.name + " must be as exported)");
      }
      check_constants(have, want);
    }
    if (path_.size() != expected_.nodes.size())
      fail(*path_[expected_.nodes.size()], "follows the end of plifkit's network");
  }

  void check_constants(const Node& have, const Node& want) const {
    auto all = [&](const char* name, auto ok) {
      if (const Field* f = find(have, name))
        for (double v : f->values)
          if (!ok(v)) fail(have, std::string("field '") + name + "' has a value plifkit's neurons do not (" +
                                     std::to_string(v) + ")");
    };
    if (have.type == "LIF" && is_pool_spike(want)) {
      all("r", [](double v) { return v == 1.0; });
      all("v_leak", [](double v) { return v == 0.0; });
      all("v_reset", [](double v) { return v == 0.0; });
      all("v_threshold", [](double v) { return v >= 0.0 && v < 1.0; });
      all("tau", [&](double v) { return std::abs(v - dt_) <= kPoolSpikeTauTolerance * dt_; });
    } else if (have.type == "LIF") {
      // r scales the input; it is folded into the weights before the layer.
      all("r", [](double v) { return v > 0.0 && std::isfinite(v); });
      all("v_leak", [](double v) { return v == 0.0; });
      all("v_reset", [](double v) { return v == 0.0; });
      all("v_threshold", [](double v) { return v >= kLifThreshold && v <= 1.0; });
      all("tau", [&](double v) { return v > dt_; });
    } else if (have.type == "Threshold") {
      // Binary spikes summed over a window: any threshold in [0, 1) is "one or more".
      all("threshold", [](double v) { return v >= 0.0 && v < 1.0; });
    } else if (want.name == "vote") {
      const Field& w = want.fields[0];
      const Field& h = need(have, "weight");
      double scale = 0;
      for (std::size_t i = 0; i < w.values.size(); ++i) {
        if (w.values[i] == 0.0 ? h.values[i] != 0.0 : scale != 0.0 && h.values[i] != scale)
          fail(have, "is not the vote: each class must sum (or average) its own group of 10 neurons");
        if (w.values[i] != 0.0 && scale == 0.0) scale = h.values[i];
      }
      if (!(scale > 0)) fail(have, "is not the vote: its weights are not positive");
    }
  }

  static bool is_pool_spike(const Node& want) {
    const std::string suffix = "_pool_spike";
    return want.name.size() > suffix.size() && want.name.compare(want.name.size() - suffix.size(), suffix.size(), suffix) == 0;
  }

  // The LIF's r of each neuron (1 where the field is absent).
  std::vector<double> input_scale(const Node& lif, std::size_t neurons) const {
    const Field* r = find(lif, "r");
    return r != nullptr ? r->values : std::vector<double>(neurons, 1.0);
  }

  static StoredTensor stored(std::vector<std::int64_t> shape, const std::vector<double>& values) {
    StoredTensor t;
    t.shape = std::move(shape);
    t.floats.assign(values.begin(), values.end());
    return t;
  }

  void fill_model(CheckpointFile& c) const {
    const NetworkConfig& net = c.config.net;
    const model::ModelLayout layout = model::layout_of(net);
    for (const auto& b : layout.conv) {
      const Node& conv = *matched_.at(node_name(b.conv));
      const Field* bias_field = find(conv, "bias");
      const std::size_t out = static_cast<std::size_t>(b.out_channels);
      std::vector<double> weight = need(conv, "weight").values;
      std::vector<double> bias = bias_field != nullptr ? bias_field->values : std::vector<double>(out, 0.0);
      // NIR's LIF charges with r * input: r, one per channel, scales the
      // channel's weights and bias.
      const Node& lif = *matched_.at(node_name(b.neuron));
      const std::size_t per_channel = static_cast<std::size_t>(b.height * b.width);
      const std::vector<double> r = input_scale(lif, out * per_channel);
      const std::size_t per_out = weight.size() / out;
      for (std::size_t o = 0; o < out; ++o) {
        for (std::size_t j = 1; j < per_channel; ++j)
          if (r[o * per_channel + j] != r[o * per_channel])
            fail(lif, "field 'r' differs within channel " + std::to_string(o) +
                          " (plifkit folds r into the convolution, one value per channel)");
        for (std::size_t i = 0; i < per_out; ++i) weight[o * per_out + i] *= r[o * per_channel];
        bias[o] *= r[o * per_channel];
      }
      c.model[b.conv + ".weight"] = stored(need(conv, "weight").shape, weight);
      c.model[b.norm + ".weight"] = stored({b.out_channels}, std::vector<double>(out, 1.0));
      c.model[b.norm + ".bias"] = stored({b.out_channels}, bias);
      c.model[b.norm + ".running_mean"] = stored({b.out_channels}, std::vector<double>(out, 0.0));
      // Variance 1 - eps: the normalisation divides by sqrt(1) (a unit scale).
      c.model[b.norm + ".running_var"] =
          stored({b.out_channels}, std::vector<double>(out, 1.0 - model::kBatchNormEps));
      StoredTensor tracked;
      tracked.type = StoredTensor::Type::int64;
      tracked.integers = {0};
      c.model[b.norm + ".num_batches_tracked"] = tracked;
    }
    for (const auto& b : layout.fc) {
      const Field& field = need(*matched_.at(node_name(b.linear)), "weight");
      std::vector<double> weight = field.values;
      const std::size_t out = static_cast<std::size_t>(b.out_features), in = static_cast<std::size_t>(b.in_features);
      const std::vector<double> r = input_scale(*matched_.at(node_name(b.neuron)), out);
      for (std::size_t o = 0; o < out; ++o)
        for (std::size_t i = 0; i < in; ++i) weight[o * in + i] *= r[o];
      c.model[b.linear + ".weight"] = stored(field.shape, weight);
    }
    if (!net.use_plif) return;
    for (const auto& layer : layout.neuron_layers()) {
      const Node& lif = *matched_.at(node_name(layer.name));
      const std::vector<double>& tau = need(lif, "tau").values;
      std::vector<double> w;
      for (double t : tau) w.push_back(model::w_of_tau(t / dt_));
      if (net.tau_per_neuron) {
        std::vector<std::int64_t> shape = {1};
        shape.insert(shape.end(), layer.shape.begin(), layer.shape.end());
        c.model[layer.name + ".w"] = stored(shape, w);
      } else {
        for (double t : tau)
          if (t != tau.front()) fail(lif, "has taus that differ, but the graph's neuron kind is one tau per layer");
        c.model[layer.name + ".w"] = stored({}, {w.front()});
      }
    }
  }

  Graph g_;
  const ImportOptions& o_;
  std::vector<Node*> path_;
  double dt_ = 1e-3;
  PoolSpike pool_spike_ = PoolSpike::threshold;
  Graph expected_;
  std::map<std::string, const Node*> matched_;  // expected name -> the graph's node
};

}  // namespace

CheckpointFile import_network(const Graph& graph, const ImportOptions& options) {
  return Importer(graph, options).run();
}

}  // namespace plifkit::nir
