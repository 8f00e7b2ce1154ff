#include "plifkit/model/layout.hpp"

namespace plifkit::model {

namespace {

int64_t product(const std::vector<int64_t>& shape) {
  int64_t n = 1;
  for (int64_t s : shape) n *= s;
  return n;
}

}  // namespace

std::vector<NeuronLayerInfo> ModelLayout::neuron_layers() const {
  std::vector<NeuronLayerInfo> layers;
  for (const ConvBlock& b : conv)
    layers.push_back({b.neuron, {b.out_channels, b.height, b.width}, 0, 0});
  for (const LinearBlock& b : fc) layers.push_back({b.neuron, {b.out_features}, 0, 0});
  for (size_t i = 0; i < layers.size(); ++i) {
    layers[i].neurons = product(layers[i].shape);
    // The block after layer i (conv blocks first, then the linear ones).
    const size_t next = i + 1;
    if (next < conv.size())
      layers[i].fan_out = conv[next].out_channels * kKernelSize * kKernelSize;
    else if (next - conv.size() < fc.size())
      layers[i].fan_out = fc[next - conv.size()].out_features;
  }
  return layers;
}

std::vector<std::string> ModelLayout::neuron_layer_names() const {
  std::vector<std::string> names;
  for (const auto& layer : neuron_layers()) names.push_back(layer.name);
  return names;
}

ModelLayout neuromorphic_layout(const NetworkConfig& c) {
  ModelLayout m;
  m.height = c.height;
  m.width = c.width;
  m.class_num = c.class_num;
  for (int64_t i = 0; i < c.number_layer; ++i) {
    const int64_t base = 4 * i;  // conv, BN, neuron, pool
    m.conv.push_back({"conv." + std::to_string(base), "conv." + std::to_string(base + 1),
                      "conv." + std::to_string(base + 2), i == 0 ? m.input_channels : c.channels,
                      c.channels, c.height >> i, c.width >> i});
  }
  const int64_t flat = c.channels * (c.height >> c.number_layer) * (c.width >> c.number_layer);
  // fc.0 Flatten and fc.1 / fc.4 Dropout hold no parameters.
  m.fc.push_back({"fc.2", "fc.3", flat, flat / 4, true});
  m.fc.push_back({"fc.5", "fc.6", flat / 4, c.class_num * kVotingGroup, true});
  return m;
}

}  // namespace plifkit::model
