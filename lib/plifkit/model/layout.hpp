// The network's structure as data, without Torch: its blocks in order, the
// state_dict names of their modules (those of the reference's PyTorch
// model, formats.md section 2), the shapes of their neuron layers, the vote
// group and the relation between w and tau. The Torch network
// (nn/network.cpp), the evaluation (nn/evaluate.cpp) and the checkpoint
// readers (analysis/checkpoint_taus.cpp) all take names and sizes from here.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "plifkit/config/train_config.hpp"

namespace plifkit::model {

// The voting layer has this many neurons per class; a class's score is the
// mean of its group's spikes.
inline constexpr int64_t kVotingGroup = 10;
// The convolutions' kernel: 3x3, stride 1, padding 1 (the size is kept).
inline constexpr int64_t kKernelSize = 3;
// Channels of an event frame: OFF and ON polarity.
inline constexpr int64_t kEventChannels = 2;
// Every BatchNorm2d: torch's defaults, which the reference keeps.
inline constexpr double kBatchNormEps = 1e-5;
inline constexpr double kBatchNormMomentum = 0.1;

// The membrane time constant of a PLIF neuron from its raw parameter w (the
// paper's a): tau = 1 / sigmoid(w), written as 1 + exp(-w) (the same number
// with one rounding less than inverting a computed sigmoid), and back.
inline double tau_of_w(double w) { return 1.0 + std::exp(-w); }
inline double w_of_tau(double tau) { return -std::log(tau - 1.0); }

// conv 3x3 (no bias) -> BatchNorm -> spiking neurons [-> 2x2 pooling]; the
// event networks' Sequential holds them at indices 4i .. 4i+3, every block
// pooling. The static networks encode the image with their first block's
// convolution and BatchNorm ("static_conv.0", "static_conv.1") once, and
// pool after some blocks only.
struct ConvBlock {
  std::string conv, norm, neuron;  // state_dict prefixes: "conv.0", "conv.1", "conv.2"
  int64_t in_channels = 0, out_channels = 0;
  int64_t height = 0, width = 0;  // of the block's input and of its neurons
  bool pool_after = true;
};

// [SNN dropout] -> linear (no bias) -> spiking neurons.
struct LinearBlock {
  std::string linear, neuron;  // "fc.2", "fc.3"
  int64_t in_features = 0, out_features = 0;
  bool dropout_before = true;
};

struct NeuronLayerInfo {
  std::string name;            // state_dict prefix, "conv.2"
  std::vector<int64_t> shape;  // one sample's neurons: {C, H, W} or {F}
  int64_t neurons = 0;         // product of shape
  // Synaptic operations one spike of this layer causes: the next block's
  // weights per input element (C_out * 3 * 3 for a convolution, the output
  // width for a linear layer); 0 for the voting layer (its average is not a
  // synapse). The 2x2 pooling in between passes every spike on: exact for
  // average pooling processed spike by spike (it is linear), an upper bound
  // for max pooling. Border neurons have fewer 3x3 targets (zero padding):
  // conv synops are an upper bound by at most that margin.
  int64_t fan_out = 0;
};

struct ModelLayout {
  int64_t input_channels = kEventChannels;
  int64_t height = 0, width = 0;  // of the input
  // Static networks: the first block's convolution and BatchNorm run once on
  // the image; its neurons (and everything after) run T steps on that
  // encoding.
  bool encode_once = false;
  std::vector<ConvBlock> conv;
  std::vector<LinearBlock> fc;
  int64_t class_num = 0;
  int64_t vote_group = kVotingGroup;

  // Every neuron layer, network order: the conv blocks', then the linear ones'.
  std::vector<NeuronLayerInfo> neuron_layers() const;
  // Just their names.
  std::vector<std::string> neuron_layer_names() const;
};

// The reference's networks for event data, one structure for all four:
// DVS128GestureNet (128x128, 11 classes), NMNISTNet (34x34, 10),
// CIFAR10DVSNet (128x128, 10) and the evident completion of its unfinished
// ASLDVSNet (180x240, 24): number_layer conv blocks of `channels` filters,
// then flatten, dropout, fc (flat -> flat / 4), neurons, dropout, fc (->
// class_num * 10), neurons, with flat = channels * (H >> number_layer) *
// (W >> number_layer). Sizes must have passed validate().
ModelLayout neuromorphic_layout(const NetworkConfig& config);

// The reference's static networks (built by layout_of), as its code evidently intends (as
// committed their PLIF layers lack out_shape and cannot be built), with
// width c = channels (the reference's 128 is the default):
//   MNISTNet (= FashionMNISTNet), 1x28x28: static_conv (conv 1->c, BN);
//     conv: neurons, pool, conv c->c, BN, neurons, pool; fc: flatten,
//     dropout, c*7*7 -> c*16, neurons, dropout, c*16 -> 100, neurons.
//   Cifar10Net, 3x32x32, width 2c (256): static_conv (conv 3->2c, BN); conv:
//     neurons, then (conv, BN, neurons) x 2, pool, (conv, BN, neurons) x 3,
//     pool; fc: flatten, dropout, 2c*8*8 -> c*16, neurons, c*16 -> 100,
//     neurons (no second dropout).
// The network of config.dataset, chosen by its registry row's network
// family: neuromorphic_layout or one of the static networks above.
ModelLayout layout_of(const NetworkConfig& config);

}  // namespace plifkit::model
