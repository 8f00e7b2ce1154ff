// PlifNet: the PLIF networks of Fang et al., one class for all seven
// datasets, built from the layout the dataset's registry row selects
// (model/layout.hpp: the neuromorphic network of DVS128 Gesture, N-MNIST,
// CIFAR10-DVS and ASL-DVS, MNISTNet, Cifar10Net), with the parameter names
// and shapes of the reference PyTorch model's state_dict (formats.md section
// 2), so checkpoints can be exchanged with PyTorch code.
//
// Activations are kept b-major, [B, T, ...] (the frames file's own layout),
// and convolutions, BatchNorm and pooling run over all B*T frames at once;
// BatchNorm statistics and running updates stay per time step.
#pragma once

#include <torch/torch.h>

#include <c10/util/Optional.h>
#include <string>
#include <vector>

#include "plifkit/config/train_config.hpp"
#include "plifkit/dist/process_group.hpp"
#include "plifkit/model/layout.hpp"
#include "plifkit/nn/neuron_op.hpp"

namespace plifkit::nn {

// How the network runs its T steps. Fused is the product; plain is the
// reference's execution (the whole network once per time step, LibTorch
// neuron operations) kept for tests and benchmarks.
enum class Execution { fused, plain };

// A spiking neuron layer: PLIF (learnable w, k = sigmoid(w)) or LIF (k = 1/init_tau).
class NeuronLayerImpl : public torch::nn::Module {
 public:
  // neuron_shape: one sample's output of the layer, e.g. {C, H, W} or {F}.
  NeuronLayerImpl(std::vector<int64_t> neuron_shape, const NetworkConfig& config);

  // k: [] per layer, [1, ...neuron_shape] per neuron; on the parameters'
  // device (the CPU for LIF until the layer has run elsewhere).
  torch::Tensor decay() const;
  // tau = 1 / k, same shape as decay().
  torch::Tensor tau() const;
  bool learnable() const { return w_.defined(); }
  const torch::Tensor& w() const { return w_; }
  torch::Tensor alpha() const;

  // x: [B, T, ...neuron_shape] -> spikes, same shape.
  torch::Tensor forward(const torch::Tensor& x);
  // x: [B, T, C, H, W] -> max_pool2d(forward(x), 2, 2) as [B, T, C, H/2, W/2]
  // in one operation (neuron_pool_op.hpp); for convolution layers.
  torch::Tensor forward_max_pooled(const torch::Tensor& x);
  // One step for the plain execution; v: [B, ...neuron_shape] state.
  torch::Tensor step(const torch::Tensor& x_t, torch::Tensor& v);

 private:
  // The constant decay (LIF) and alpha (not learnable) are neither parameters
  // nor buffers (the reference's state_dict has neither), so Module::to does
  // not move them: they follow the input's device here, copied once.
  void follow_device(const torch::Device& device);

  NeuronConstants options_;
  torch::Tensor w_;             // PLIF only
  torch::Tensor fixed_decay_;   // LIF only
  torch::Tensor alpha_;         // learnable or a constant 2
};
TORCH_MODULE(NeuronLayer);

// What a forward pass can report besides the counts.
struct ForwardTrace {
  // Spikes summed over B, T and neurons, per neuron layer (network order).
  std::vector<double> spikes_per_layer;
  // Voting-layer scores summed over the first t + 1 steps: [T, B, class_num].
  torch::Tensor counts_by_step;
};

// The reference's network of config.dataset (model/layout.hpp): the event
// networks (DVS128GestureNet, NMNISTNet, CIFAR10DVSNet, ASLDVSNet) or the
// static ones (MNISTNet, FashionMNISTNet, Cifar10Net).
class PlifNetImpl : public torch::nn::Module {
 public:
  // Throws SettingError for settings the network cannot be built from.
  explicit PlifNetImpl(const NetworkConfig& config);

  // frames: [B, T, C, H, W] float, any T >= 1: event frames, or for a
  // static network the normalised image held for T steps (typically an
  // expanded view of [B, C, H, W]; only frames[:, 0] is read, and encoded
  // once). Returns counts: the voting
  // layer's scores summed over the T steps, [B, class_num]. Dropout masks
  // (training only) come from `generator`. `trace`, when given, is filled in.
  torch::Tensor forward(const torch::Tensor& frames, c10::optional<at::Generator> generator,
                        Execution execution = Execution::fused, ForwardTrace* trace = nullptr);

  // The masks of the SNN dropout layers for one training pass of B samples
  // ([B, features] each; none when dropout_p is 0), drawn from `generator`
  // in the order forward draws them.
  std::vector<torch::Tensor> draw_dropout_masks(int64_t B, c10::optional<at::Generator> generator,
                                                const torch::TensorOptions& options) const;

  // One rank of a data-parallel run (null: a single process): in training,
  // the batch given to forward is this rank's slice of the global batch
  // (rank r holds samples r*B .. r*B+B-1), BatchNorm's statistics are the
  // global batch's and the dropout masks are the global batch's rows of
  // this slice, so all ranks together compute what one process computes.
  void set_process_group(dist::ProcessGroup* group) { group_ = group; }

  const NetworkConfig& config() const { return config_; }
  const model::ModelLayout& layout() const { return layout_; }
  // Neuron layers in network order with their state_dict prefix ("conv.2").
  const std::vector<std::pair<std::string, NeuronLayer>>& neuron_layers() const { return neurons_; }
  // Parameters whose learning rate tau_lr_scale multiplies (the w's), and the rest.
  std::vector<torch::Tensor> decay_parameters() const;
  std::vector<torch::Tensor> other_parameters() const;

 private:
  torch::Tensor forward_fused(const torch::Tensor& frames, const std::vector<torch::Tensor>& masks,
                              ForwardTrace* trace);
  torch::Tensor forward_plain(const torch::Tensor& frames, const std::vector<torch::Tensor>& masks,
                              ForwardTrace* trace);
  torch::Tensor pool(const torch::Tensor& x) const;

  NetworkConfig config_;
  model::ModelLayout layout_;
  // Per conv block, and per linear block, in layout order.
  std::vector<torch::nn::Conv2d> convs_;
  std::vector<torch::nn::BatchNorm2d> norms_;
  std::vector<NeuronLayer> conv_neurons_;
  std::vector<torch::nn::Linear> linears_;
  std::vector<NeuronLayer> fc_neurons_;
  std::vector<std::pair<std::string, NeuronLayer>> neurons_;
  dist::ProcessGroup* group_ = nullptr;
};
TORCH_MODULE(PlifNet);

// SNN dropout: one mask per sample, [B, features], each entry 0 (dropped,
// probability p) or 1 / (1 - p), drawn from `generator`.
torch::Tensor draw_dropout_mask(int64_t B, int64_t features, double p,
                                c10::optional<at::Generator> generator,
                                const torch::TensorOptions& options);
// x: [B, T, features]; the sample's mask multiplies every one of its T steps.
torch::Tensor apply_dropout_mask(const torch::Tensor& x, const torch::Tensor& mask);

// The predicted class of each sample from counts [B, class_num]: the scores
// are means of groups of ten 0/1 spikes, so counts * 10 are whole numbers of
// spikes; rounding them first makes equal votes tie exactly, and a tie goes to
// the lowest class index (as plif-eval decides).
torch::Tensor predict_classes(const torch::Tensor& counts);

// BatchNorm over y = [B*T, C, H, W] (b-major) with statistics per time step:
// in training, each step is normalised by the mean and biased variance of its
// B samples, and the running statistics are updated once per step in step
// order (num_batches_tracked grows by T); in evaluation the running
// statistics are used.
torch::Tensor batch_norm_per_step(const torch::Tensor& y, int64_t B, int64_t T,
                                  torch::nn::BatchNorm2dImpl& bn);

// T momentum updates r <- (1 - m) r + m x_t, t = 0..T-1 (per_step: [T, C]),
// in closed form: r_T = (1 - m)^T r_0 + sum_t m (1 - m)^(T-1-t) x_t.
void update_running_statistics(torch::Tensor& running, const torch::Tensor& per_step, double m);

// Initial w of the per-neuron layers: tau drawn per NetworkConfig, w = -ln(tau - 1).
// Throws SettingError when a drawn tau is <= 1.
torch::Tensor initial_w(const std::vector<int64_t>& shape, const NetworkConfig& config);

}  // namespace plifkit::nn
