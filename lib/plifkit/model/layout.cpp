#include "plifkit/model/layout.hpp"

#include <stdexcept>

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

namespace {

std::string at(const char* sequential, int64_t index) {
  return std::string(sequential) + "." + std::to_string(index);
}

}  // namespace

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

namespace {

// The reference's static networks (MNISTNet, Cifar10Net): the first
// convolution encodes the image once, the rest runs for T steps.
ModelLayout static_layout(const NetworkConfig& c, NetworkFamily family) {
  ModelLayout m;
  const DatasetRow& facts = row_of(c.dataset);
  m.input_channels = facts.channels;
  m.height = facts.height;
  m.width = facts.width;
  m.class_num = facts.class_num;
  m.encode_once = true;
  const int64_t hidden = c.channels * 16;  // the reference's 128 * 4 * 4
  auto block = [&](std::string conv, std::string norm, std::string neuron, int64_t in,
                   int64_t out, int64_t side, bool pool_after) {
    m.conv.push_back({std::move(conv), std::move(norm), std::move(neuron), in, out, side, side,
                      pool_after});
  };
  if (family == NetworkFamily::cifar10) {
    const int64_t w = 2 * c.channels;  // the reference's 256
    // conv: 0 neurons, 1-3, 4-6 then pool 7, 8-10, 11-13, 14-16 then pool 17.
    block("static_conv.0", "static_conv.1", at("conv", 0), m.input_channels, w, 32, false);
    block(at("conv", 1), at("conv", 2), at("conv", 3), w, w, 32, false);
    block(at("conv", 4), at("conv", 5), at("conv", 6), w, w, 32, true);
    block(at("conv", 8), at("conv", 9), at("conv", 10), w, w, 16, false);
    block(at("conv", 11), at("conv", 12), at("conv", 13), w, w, 16, false);
    block(at("conv", 14), at("conv", 15), at("conv", 16), w, w, 16, true);
    m.fc.push_back({"fc.2", "fc.3", w * 8 * 8, hidden, true});
    m.fc.push_back({"fc.4", "fc.5", hidden, m.class_num * kVotingGroup, false});
    return m;
  }
  // MNIST and FashionMNIST: conv: 0 neurons, 1 pool, 2-4, 5 pool.
  block("static_conv.0", "static_conv.1", at("conv", 0), m.input_channels, c.channels, 28, true);
  block(at("conv", 2), at("conv", 3), at("conv", 4), c.channels, c.channels, 14, true);
  m.fc.push_back({"fc.2", "fc.3", c.channels * 7 * 7, hidden, true});
  m.fc.push_back({"fc.5", "fc.6", hidden, m.class_num * kVotingGroup, true});
  return m;
}

}  // namespace

ModelLayout layout_of(const NetworkConfig& c) {
  const NetworkFamily family = row_of(c.dataset).network;
  switch (family) {
    case NetworkFamily::neuromorphic:
      return neuromorphic_layout(c);
    case NetworkFamily::mnist:
    case NetworkFamily::cifar10:
      return static_layout(c, family);
  }
  throw std::logic_error("layout_of: unknown network family");
}

}  // namespace plifkit::model
