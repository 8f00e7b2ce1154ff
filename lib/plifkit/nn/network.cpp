#include "plifkit/nn/network.hpp"

#include <cmath>
#include <map>
#include <sstream>

#include "plifkit/core/setting_error.hpp"
#include "plifkit/nn/device.hpp"
#include "plifkit/nn/neuron_pool_op.hpp"
#include "plifkit/nn/sparse_conv_op.hpp"
#include "plifkit/nn/sync_batch_norm.hpp"

namespace plifkit::nn {

namespace {

constexpr double kSurrogateAlpha = 2.0;

std::string number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

torch::Tensor initial_w(const std::vector<int64_t>& shape, const NetworkConfig& c) {
  const double offset = c.tau_init == TauInit::shifted ? 1.0 : 0.0;
  const double m = c.init_tau - offset;
  const double s = c.tau_std_dev;
  torch::Tensor tau;
  if (s == 0.0) {
    tau = torch::full(shape, c.init_tau, torch::kFloat64);
  } else {
    // The log-normal whose mean is m and standard deviation s.
    const double mu = std::log(m * m / std::sqrt(s * s + m * m));
    const double sigma = std::sqrt(std::log(1.0 + s * s / (m * m)));
    tau = torch::empty(shape, torch::kFloat64).log_normal_(mu, sigma) + offset;
  }
  const double smallest = tau.min().item<double>();
  if (!(smallest > 1.0))
    throw SettingError("tau_std_dev", number(s) + " draws an initial tau of " + number(smallest) +
                                          " <= 1 with init_tau " + number(c.init_tau) +
                                          "; use a larger init_tau or a smaller tau_std_dev");
  return (-torch::log(tau - 1.0)).to(torch::kFloat32);
}

// --- neuron layer ---------------------------------------------------------------

NeuronLayerImpl::NeuronLayerImpl(std::vector<int64_t> neuron_shape, const NetworkConfig& c) {
  options_.detach_reset = c.detach_reset;
  switch (neuron_kind_of(c)) {
    case NeuronKind::plif_per_neuron: {
      std::vector<int64_t> shape = {1};
      shape.insert(shape.end(), neuron_shape.begin(), neuron_shape.end());
      w_ = register_parameter("w", initial_w(shape, c));
      break;
    }
    case NeuronKind::plif_per_layer:
      w_ = register_parameter("w", torch::tensor(model::w_of_tau(c.init_tau), torch::kFloat32));
      break;
    case NeuronKind::lif:
      fixed_decay_ = torch::tensor(1.0 / c.init_tau, torch::kFloat32);
      break;
  }
  if (c.alpha_learnable) {
    auto surrogate = register_module("surrogate_function", std::make_shared<torch::nn::Module>());
    alpha_ = surrogate->register_parameter("alpha", torch::tensor(kSurrogateAlpha, torch::kFloat32));
  } else {
    alpha_ = torch::tensor(kSurrogateAlpha, torch::kFloat32);
  }
}

torch::Tensor NeuronLayerImpl::decay() const {
  return w_.defined() ? torch::sigmoid(w_) : fixed_decay_;
}

torch::Tensor NeuronLayerImpl::tau() const { return 1.0 / decay(); }

torch::Tensor NeuronLayerImpl::alpha() const { return alpha_; }

void NeuronLayerImpl::follow_device(const torch::Device& device) {
  if (fixed_decay_.defined() && fixed_decay_.device() != device) fixed_decay_ = fixed_decay_.to(device);
  if (!alpha_.requires_grad() && alpha_.device() != device) alpha_ = alpha_.to(device);
}

torch::Tensor NeuronLayerImpl::forward(const torch::Tensor& x) {
  follow_device(x.device());
  return neuron_multistep(x, decay(), alpha_, options_);
}

torch::Tensor NeuronLayerImpl::forward_max_pooled(const torch::Tensor& x) {
  follow_device(x.device());
  return neuron_max_pool(x, decay(), alpha_, options_);
}

torch::Tensor NeuronLayerImpl::step(const torch::Tensor& x_t, torch::Tensor& v) {
  follow_device(x_t.device());
  return neuron_step_plain(x_t, v, decay(), alpha_, options_);
}

torch::Tensor draw_dropout_mask(int64_t B, int64_t features, double p,
                                c10::optional<at::Generator> generator,
                                const torch::TensorOptions& options) {
  const double keep = 1.0 - p;
  // Drawn on the CPU from a CPU generator, then moved: the masks, and so a
  // run, do not depend on the device's random number generator.
  const auto cpu = options.device(torch::kCPU);
  return upload(torch::bernoulli(torch::full({B, features}, keep, cpu), generator) / keep,
                options.device());
}

torch::Tensor apply_dropout_mask(const torch::Tensor& x, const torch::Tensor& mask) {
  return x * mask.unsqueeze(1);
}

torch::Tensor predict_classes(const torch::Tensor& counts) {
  // argmax returns the first of equal maxima.
  return (counts.detach() * static_cast<double>(model::kVotingGroup)).round().argmax(1);
}

// --- BatchNorm per step -----------------------------------------------------------

// A handful of kernel launches instead of 2 per step on a GPU. Summed in
// float64: the float32 result is within an ulp or two of the step-by-step
// recurrence (which rounds T times).
void update_running_statistics(torch::Tensor& running, const torch::Tensor& per_step, double m) {
  const int64_t T = per_step.size(0);
  const auto f64 = per_step.options().dtype(torch::kFloat64);
  const torch::Tensor weights = torch::pow(1.0 - m, torch::arange(T - 1, -1, -1, f64)) * m;
  // A plain sum over the T rows, not a BLAS product: its order is fixed.
  const torch::Tensor blended = (weights.view({T, 1}) * per_step.to(torch::kFloat64)).sum(0) +
                                running.to(torch::kFloat64) * std::pow(1.0 - m, static_cast<double>(T));
  running.copy_(blended);
}

torch::Tensor batch_norm_per_step(const torch::Tensor& y, int64_t B, int64_t T,
                                  torch::nn::BatchNorm2dImpl& bn) {
  const double eps = bn.options.eps();
  if (!bn.is_training())
    return torch::batch_norm(y, bn.weight, bn.bias, bn.running_mean, bn.running_var, false, 0.0,
                             eps, true);
  const int64_t C = y.size(1), H = y.size(2), W = y.size(3);
  // [B*T, C, H, W] b-major is [B, T*C, H, W] as it lies in memory: ordinary
  // training-mode BatchNorm over T*C channels normalises each (step, channel)
  // by the statistics of that step's B samples, and hands them back.
  const auto [per_step, mean, invstd] = at::native_batch_norm(
      y.view({B, T * C, H, W}), bn.weight.repeat({T}), bn.bias.repeat({T}), {}, {}, true, 0.0, eps);
  {
    torch::NoGradGuard no_grad;
    // The batch variance from invstd = 1 / sqrt(var + eps), made unbiased
    // for the running estimate as BatchNorm2d keeps it.
    const double n = static_cast<double>(B * H * W);
    const torch::Tensor var = (invstd.pow(-2) - eps) * (n / (n - 1));
    const double m = bn.options.momentum().value();
    update_running_statistics(bn.running_mean, mean.view({T, C}), m);
    update_running_statistics(bn.running_var, var.view({T, C}), m);
    bn.num_batches_tracked += T;
  }
  return per_step.view({B * T, C, H, W});
}

// --- the network --------------------------------------------------------------------

PlifNetImpl::PlifNetImpl(const NetworkConfig& config) : config_(config) {
  validate(config_);
  layout_ = model::layout_of(config_);
  // The reference's Sequentials ("static_conv", "conv", "fc"): modules
  // registered under their indices there, in their order, so the
  // state_dict keys and their order are the reference's.
  std::map<std::string, std::shared_ptr<torch::nn::Module>> sequentials;
  for (const char* name : {"static_conv", "conv", "fc"}) {
    const bool used = std::string(name) != "static_conv" || layout_.encode_once;
    if (used) sequentials[name] = register_module(name, std::make_shared<torch::nn::Module>());
  }
  // "conv.2" -> the "conv" Sequential and the name "2" in it.
  auto in = [&](const std::string& prefixed) -> torch::nn::Module& {
    return *sequentials.at(prefixed.substr(0, prefixed.find('.')));
  };
  auto index_in = [](const std::string& prefixed) { return prefixed.substr(prefixed.find('.') + 1); };
  // The forward passes run these with conv3x3 (sparse_conv_op.hpp).
  static_assert(model::kKernelSize == 3, "conv3x3 runs the networks' convolutions");
  for (const model::ConvBlock& b : layout_.conv) {
    convs_.push_back(in(b.conv).register_module(
        index_in(b.conv), torch::nn::Conv2d(torch::nn::Conv2dOptions(b.in_channels, b.out_channels,
                                                                     model::kKernelSize)
                                                .stride(1)
                                                .padding(model::kKernelSize / 2)
                                                .bias(false))));
    norms_.push_back(in(b.norm).register_module(
        index_in(b.norm),
        torch::nn::BatchNorm2d(torch::nn::BatchNorm2dOptions(b.out_channels)
                                   .eps(model::kBatchNormEps)
                                   .momentum(model::kBatchNormMomentum))));
    conv_neurons_.push_back(in(b.neuron).register_module(
        index_in(b.neuron),
        NeuronLayer(std::vector<int64_t>{b.out_channels, b.height, b.width}, config_)));
    neurons_.emplace_back(b.neuron, conv_neurons_.back());
  }
  for (const model::LinearBlock& b : layout_.fc) {
    linears_.push_back(in(b.linear).register_module(
        index_in(b.linear),
        torch::nn::Linear(torch::nn::LinearOptions(b.in_features, b.out_features).bias(false))));
    fc_neurons_.push_back(in(b.neuron).register_module(
        index_in(b.neuron), NeuronLayer(std::vector<int64_t>{b.out_features}, config_)));
    neurons_.emplace_back(b.neuron, fc_neurons_.back());
  }
}

std::vector<torch::Tensor> PlifNetImpl::decay_parameters() const {
  std::vector<torch::Tensor> out;
  for (const auto& [name, layer] : neurons_)
    if (layer->learnable()) out.push_back(layer->w());
  return out;
}

std::vector<torch::Tensor> PlifNetImpl::other_parameters() const {
  std::vector<torch::Tensor> out;
  const auto decays = decay_parameters();
  for (const auto& p : parameters()) {
    bool is_decay = false;
    for (const auto& d : decays) is_decay = is_decay || p.is_same(d);
    if (!is_decay) out.push_back(p);
  }
  return out;
}

std::vector<torch::Tensor> PlifNetImpl::draw_dropout_masks(
    int64_t B, c10::optional<at::Generator> generator, const torch::TensorOptions& options) const {
  std::vector<torch::Tensor> masks;
  if (config_.dropout_p <= 0) return masks;
  for (const model::LinearBlock& b : layout_.fc)
    if (b.dropout_before)
      masks.push_back(draw_dropout_mask(B, b.in_features, config_.dropout_p, generator, options));
  return masks;
}

torch::Tensor PlifNetImpl::pool(const torch::Tensor& x) const {
  return config_.use_max_pool ? torch::max_pool2d(x, 2, 2) : torch::avg_pool2d(x, 2, 2);
}

torch::Tensor PlifNetImpl::forward(const torch::Tensor& frames,
                                      c10::optional<at::Generator> generator, Execution execution,
                                      ForwardTrace* trace) {
  TORCH_CHECK(frames.dim() == 5 && frames.size(1) >= 1 && frames.size(2) == layout_.input_channels &&
                  frames.size(3) == layout_.height && frames.size(4) == layout_.width,
              "frames must be [B, T, ", layout_.input_channels, ", ", layout_.height, ", ",
              layout_.width, "], got ", frames.sizes());
  const int64_t B = frames.size(0);
  // SNN dropout: one mask per sample, drawn before the first step and reused
  // for all T steps.
  std::vector<torch::Tensor> masks;
  TORCH_CHECK(group_ == nullptr || !is_training() || execution == Execution::fused,
              "a data-parallel network trains with the fused execution");
  if (is_training() && group_ != nullptr) {
    // The global batch's masks, drawn as one process draws them; this
    // rank's rows.
    masks = draw_dropout_masks(B * group_->size(), generator, frames.options());
    for (torch::Tensor& m : masks) m = m.narrow(0, B * group_->rank(), B).contiguous();
  } else if (is_training()) {
    masks = draw_dropout_masks(B, generator, frames.options());
  }
  if (trace != nullptr) trace->spikes_per_layer.assign(neurons_.size(), 0.0);
  return execution == Execution::fused ? forward_fused(frames, masks, trace)
                                       : forward_plain(frames, masks, trace);
}

namespace {

void count_spikes(ForwardTrace* trace, size_t layer, const torch::Tensor& spikes) {
  if (trace != nullptr) trace->spikes_per_layer[layer] += spikes.sum().item<double>();
}

// [B, T or 1, class_num * 10] -> mean of each group of ten: [B, T, class_num].
// Spikes of float16/bfloat16 layers (--amp) are voted in float32: summed
// over T in bfloat16 the counts would lose the tenths that decide a vote.
torch::Tensor vote(const torch::Tensor& spikes, int64_t class_num) {
  auto sizes = spikes.sizes().vec();
  sizes.back() = class_num;
  sizes.push_back(model::kVotingGroup);
  const bool reduced =
      spikes.scalar_type() == torch::kHalf || spikes.scalar_type() == torch::kBFloat16;
  const torch::Tensor exact = reduced ? spikes.to(torch::kFloat32) : spikes;
  return exact.view(sizes).mean(-1);
}

}  // namespace

torch::Tensor PlifNetImpl::forward_fused(const torch::Tensor& frames,
                                            const std::vector<torch::Tensor>& masks,
                                            ForwardTrace* trace) {
  const int64_t B = frames.size(0), T = frames.size(1);
  torch::Tensor x = frames.reshape({B * T, layout_.input_channels, layout_.height, layout_.width});
  for (size_t i = 0; i < convs_.size(); ++i) {
    torch::Tensor y;
    if (i == 0 && layout_.encode_once) {
      // The image is encoded once (one BatchNorm over the batch, as the
      // reference's static_conv) and that encoding is every step's input.
      const torch::Tensor image = conv3x3(frames.select(1, 0), convs_[0]->weight);
      const torch::Tensor encoded = group_ != nullptr && is_training()
                                        ? batch_norm_per_step_synced(image, B, 1, *norms_[0], *group_)
                                        : norms_[0]->forward(image);
      y = encoded.unsqueeze(1).expand({B, T, -1, -1, -1}).reshape({B * T, -1, encoded.size(2), encoded.size(3)});
    } else {
      y = group_ != nullptr && is_training()
              ? batch_norm_per_step_synced(conv3x3(x, convs_[i]->weight), B, T, *norms_[i], *group_)
              : batch_norm_per_step(conv3x3(x, convs_[i]->weight), B, T, *norms_[i]);
    }
    const auto per_sample = y.sizes().slice(1).vec();
    std::vector<int64_t> bt_shape = {B, T};
    bt_shape.insert(bt_shape.end(), per_sample.begin(), per_sample.end());
    const bool pool_here = layout_.conv[i].pool_after;
    if (pool_here && config_.use_max_pool && trace == nullptr) {
      // Neuron and pooling in one operation: autograd keeps no full-resolution
      // spikes. A trace counts those spikes, so it takes the two steps below.
      x = conv_neurons_[i]->forward_max_pooled(y.view(bt_shape)).flatten(0, 1);
      continue;
    }
    torch::Tensor s = conv_neurons_[i]->forward(y.view(bt_shape));
    count_spikes(trace, i, s);
    x = pool_here ? pool(s.view(y.sizes())) : s.view(y.sizes());
  }
  torch::Tensor h = x.reshape({B, T, -1});
  size_t mask = 0;
  for (size_t j = 0; j < linears_.size(); ++j) {
    if (!masks.empty() && layout_.fc[j].dropout_before) h = apply_dropout_mask(h, masks[mask++]);
    h = fc_neurons_[j]->forward(linears_[j]->forward(h));
    count_spikes(trace, convs_.size() + j, h);
  }
  const torch::Tensor votes = vote(h, layout_.class_num);  // [B, T, class_num]
  if (trace != nullptr) trace->counts_by_step = votes.detach().cumsum(1).transpose(0, 1);
  return votes.sum(1);
}

torch::Tensor PlifNetImpl::forward_plain(const torch::Tensor& frames,
                                            const std::vector<torch::Tensor>& masks,
                                            ForwardTrace* trace) {
  const int64_t B = frames.size(0), T = frames.size(1);
  std::vector<torch::Tensor> v(neurons_.size());
  std::vector<torch::Tensor> votes;
  // The reference's StaticNetBase: static_conv once, then T steps on it.
  torch::Tensor encoded;
  if (layout_.encode_once) {
    encoded = norms_[0]->forward(conv3x3(frames.select(1, 0), convs_[0]->weight));
  }
  for (int64_t t = 0; t < T; ++t) {
    torch::Tensor x = frames.select(1, t);
    for (size_t i = 0; i < convs_.size(); ++i) {
      const torch::Tensor y = i == 0 && layout_.encode_once
                                  ? encoded
                                  : norms_[i]->forward(conv3x3(x, convs_[i]->weight));
      if (t == 0) v[i] = torch::zeros_like(y);
      torch::Tensor s = conv_neurons_[i]->step(y, v[i]);
      count_spikes(trace, i, s);
      x = layout_.conv[i].pool_after ? pool(s) : s;
    }
    torch::Tensor h = x.reshape({B, -1});
    size_t mask = 0;
    for (size_t j = 0; j < linears_.size(); ++j) {
      if (!masks.empty() && layout_.fc[j].dropout_before) h = h * masks[mask++];
      const size_t l = convs_.size() + j;
      const torch::Tensor y = linears_[j]->forward(h);
      if (t == 0) v[l] = torch::zeros_like(y);
      h = fc_neurons_[j]->step(y, v[l]);
      count_spikes(trace, l, h);
    }
    votes.push_back(vote(h, layout_.class_num));
  }
  const torch::Tensor all = torch::stack(votes, 1);  // [B, T, class_num]
  if (trace != nullptr) trace->counts_by_step = all.detach().cumsum(1).transpose(0, 1);
  return all.sum(1);
}

}  // namespace plifkit::nn
