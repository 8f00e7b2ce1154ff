#include "plifkit/nn/network.hpp"

#include <cmath>

#include "plifkit/core/error.hpp"
#include "plifkit/nn/device.hpp"
#include "plifkit/nn/neuron_pool_op.hpp"

namespace plifkit::nn {

namespace {

constexpr double kSurrogateAlpha = 2.0;
constexpr double kBatchNormEps = 1e-5;
constexpr double kBatchNormMomentum = 0.1;
constexpr int64_t kVotingGroup = 10;

std::string number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

}  // namespace

void validate(const NetworkConfig& c) {
  // Bounds first: the shapes below are computed from these values (shifts
  // and products that must not overflow, even for a damaged checkpoint).
  constexpr int64_t kLargest = int64_t{1} << 20;
  auto bounded = [](const char* what, int64_t value, int64_t largest) {
    if (value < 1 || value > largest)
      throw UsageError(std::string(what) + " must be in 1.." + std::to_string(largest) + ", got " +
                       std::to_string(value));
  };
  bounded("T", c.T, kLargest);
  bounded("channels", c.channels, kLargest);
  bounded("height", c.height, kLargest);
  bounded("width", c.width, kLargest);
  bounded("class_num", c.class_num, kLargest);
  bounded("number_layer", c.number_layer, 62);
  if ((c.height >> c.number_layer) < 1 || (c.width >> c.number_layer) < 1)
    throw UsageError("number_layer " + std::to_string(c.number_layer) + " pools a " +
                     std::to_string(c.height) + "x" + std::to_string(c.width) +
                     " input to nothing");
  if ((c.channels * (c.height >> c.number_layer) * (c.width >> c.number_layer)) / 4 < 1)
    throw UsageError("the hidden linear layer would have no neurons (channels too small)");
  if (!(c.init_tau > 1.0))
    throw UsageError("init_tau must be > 1 (tau = 1/sigmoid(w) > 1), got " + number(c.init_tau));
  if (c.tau_std_dev < 0) throw UsageError("tau_std_dev must be >= 0");
  if (c.tau_init != "lognormal" && c.tau_init != "shifted")
    throw UsageError("tau_init must be lognormal or shifted, got '" + c.tau_init + "'");
  if (!(c.dropout_p >= 0.0 && c.dropout_p < 1.0)) throw UsageError("dropout_p must be in [0, 1)");
}

torch::Tensor initial_w(const std::vector<int64_t>& shape, const NetworkConfig& c) {
  const double offset = c.tau_init == "shifted" ? 1.0 : 0.0;
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
    throw UsageError("a drawn initial tau is " + number(smallest) +
                     " <= 1 (init_tau " + number(c.init_tau) + ", tau_std_dev " + number(s) +
                     "); use a larger init_tau or a smaller tau_std_dev");
  return (-torch::log(tau - 1.0)).to(torch::kFloat32);
}

// --- neuron layer ---------------------------------------------------------------

NeuronLayerImpl::NeuronLayerImpl(std::vector<int64_t> neuron_shape, const NetworkConfig& c) {
  options_.detach_reset = c.detach_reset;
  if (c.use_plif) {
    torch::Tensor w0;
    if (c.tau_per_neuron) {
      std::vector<int64_t> shape = {1};
      shape.insert(shape.end(), neuron_shape.begin(), neuron_shape.end());
      w0 = initial_w(shape, c);
    } else {
      w0 = torch::tensor(-std::log(c.init_tau - 1.0), torch::kFloat32);
    }
    w_ = register_parameter("w", w0);
  } else {
    fixed_decay_ = torch::tensor(1.0 / c.init_tau, torch::kFloat32);
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
  return (counts.detach() * static_cast<double>(kVotingGroup)).round().argmax(1);
}

// --- BatchNorm per step -----------------------------------------------------------

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
    const torch::Tensor mean_tc = mean.view({T, C});
    const torch::Tensor var_tc = var.view({T, C});
    for (int64_t t = 0; t < T; ++t) {
      bn.running_mean.copy_(mean_tc[t] * m + bn.running_mean * (1 - m));
      bn.running_var.copy_(var_tc[t] * m + bn.running_var * (1 - m));
    }
    bn.num_batches_tracked += T;
  }
  return per_step.view({B * T, C, H, W});
}

// --- the network --------------------------------------------------------------------

GestureNetImpl::GestureNetImpl(const NetworkConfig& config) : config_(config) {
  validate(config_);
  const int64_t C = config_.channels;
  auto conv = register_module("conv", std::make_shared<torch::nn::Module>());
  for (int64_t i = 0; i < config_.number_layer; ++i) {
    const int64_t in = i == 0 ? 2 : C;
    const int64_t base = 4 * i;  // conv, BN, neuron, pool
    convs_.push_back(conv->register_module(
        std::to_string(base),
        torch::nn::Conv2d(torch::nn::Conv2dOptions(in, C, 3).stride(1).padding(1).bias(false))));
    norms_.push_back(conv->register_module(
        std::to_string(base + 1),
        torch::nn::BatchNorm2d(
            torch::nn::BatchNorm2dOptions(C).eps(kBatchNormEps).momentum(kBatchNormMomentum))));
    conv_neurons_.push_back(conv->register_module(
        std::to_string(base + 2),
        NeuronLayer(std::vector<int64_t>{C, config_.height >> i, config_.width >> i}, config_)));
    neurons_.emplace_back("conv." + std::to_string(base + 2), conv_neurons_.back());
  }
  const int64_t flat =
      C * (config_.height >> config_.number_layer) * (config_.width >> config_.number_layer);
  const int64_t hidden = flat / 4;
  const int64_t outputs = config_.class_num * kVotingGroup;
  auto fc = register_module("fc", std::make_shared<torch::nn::Module>());
  // fc.0 Flatten and fc.1 / fc.4 Dropout hold no parameters.
  fc1_ = fc->register_module("2", torch::nn::Linear(torch::nn::LinearOptions(flat, hidden).bias(false)));
  fc1_neuron_ = fc->register_module("3", NeuronLayer(std::vector<int64_t>{hidden}, config_));
  fc2_ = fc->register_module("5", torch::nn::Linear(torch::nn::LinearOptions(hidden, outputs).bias(false)));
  fc2_neuron_ = fc->register_module("6", NeuronLayer(std::vector<int64_t>{outputs}, config_));
  neurons_.emplace_back("fc.3", fc1_neuron_);
  neurons_.emplace_back("fc.6", fc2_neuron_);
}

std::vector<int64_t> GestureNetImpl::neurons_per_layer() const {
  std::vector<int64_t> n;
  for (int64_t i = 0; i < config_.number_layer; ++i)
    n.push_back(config_.channels * (config_.height >> i) * (config_.width >> i));
  n.push_back(fc1_->options.out_features());
  n.push_back(fc2_->options.out_features());
  return n;
}

std::vector<torch::Tensor> GestureNetImpl::decay_parameters() const {
  std::vector<torch::Tensor> out;
  for (const auto& [name, layer] : neurons_)
    if (layer->learnable()) out.push_back(layer->w());
  return out;
}

std::vector<torch::Tensor> GestureNetImpl::other_parameters() const {
  std::vector<torch::Tensor> out;
  const auto decays = decay_parameters();
  for (const auto& p : parameters()) {
    bool is_decay = false;
    for (const auto& d : decays) is_decay = is_decay || p.is_same(d);
    if (!is_decay) out.push_back(p);
  }
  return out;
}

std::vector<torch::Tensor> GestureNetImpl::draw_dropout_masks(
    int64_t B, c10::optional<at::Generator> generator, const torch::TensorOptions& options) const {
  std::vector<torch::Tensor> masks;
  if (config_.dropout_p <= 0) return masks;
  for (int64_t features : {fc1_->options.in_features(), fc2_->options.in_features()})
    masks.push_back(draw_dropout_mask(B, features, config_.dropout_p, generator, options));
  return masks;
}

torch::Tensor GestureNetImpl::pool(const torch::Tensor& x) const {
  return config_.use_max_pool ? torch::max_pool2d(x, 2, 2) : torch::avg_pool2d(x, 2, 2);
}

torch::Tensor GestureNetImpl::forward(const torch::Tensor& frames,
                                      c10::optional<at::Generator> generator, Execution execution,
                                      ForwardTrace* trace) {
  TORCH_CHECK(frames.dim() == 5 && frames.size(1) == config_.T && frames.size(2) == 2 &&
                  frames.size(3) == config_.height && frames.size(4) == config_.width,
              "frames must be [B, ", config_.T, ", 2, ", config_.height, ", ", config_.width,
              "], got ", frames.sizes());
  const int64_t B = frames.size(0);
  // SNN dropout: one mask per sample, drawn before the first step and reused
  // for all T steps.
  std::vector<torch::Tensor> masks;
  if (is_training()) masks = draw_dropout_masks(B, generator, frames.options());
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
  sizes.push_back(kVotingGroup);
  const bool reduced =
      spikes.scalar_type() == torch::kHalf || spikes.scalar_type() == torch::kBFloat16;
  const torch::Tensor exact = reduced ? spikes.to(torch::kFloat32) : spikes;
  return exact.view(sizes).mean(-1);
}

}  // namespace

torch::Tensor GestureNetImpl::forward_fused(const torch::Tensor& frames,
                                            const std::vector<torch::Tensor>& masks,
                                            ForwardTrace* trace) {
  const int64_t B = frames.size(0), T = config_.T;
  torch::Tensor x = frames.reshape({B * T, 2, config_.height, config_.width});
  for (size_t i = 0; i < convs_.size(); ++i) {
    torch::Tensor y = batch_norm_per_step(convs_[i]->forward(x), B, T, *norms_[i]);
    const auto per_sample = y.sizes().slice(1).vec();
    std::vector<int64_t> bt_shape = {B, T};
    bt_shape.insert(bt_shape.end(), per_sample.begin(), per_sample.end());
    if (config_.use_max_pool && trace == nullptr) {
      // Neuron and pooling in one operation: autograd keeps no full-resolution
      // spikes. A trace counts those spikes, so it takes the two steps below.
      x = conv_neurons_[i]->forward_max_pooled(y.view(bt_shape)).flatten(0, 1);
      continue;
    }
    torch::Tensor s = conv_neurons_[i]->forward(y.view(bt_shape));
    count_spikes(trace, i, s);
    x = pool(s.view(y.sizes()));
  }
  torch::Tensor h = x.reshape({B, T, -1});
  if (!masks.empty()) h = apply_dropout_mask(h, masks[0]);
  torch::Tensor s1 = fc1_neuron_->forward(fc1_->forward(h));
  count_spikes(trace, convs_.size(), s1);
  if (!masks.empty()) s1 = apply_dropout_mask(s1, masks[1]);
  torch::Tensor s2 = fc2_neuron_->forward(fc2_->forward(s1));
  count_spikes(trace, convs_.size() + 1, s2);
  const torch::Tensor votes = vote(s2, config_.class_num);  // [B, T, class_num]
  if (trace != nullptr) trace->counts_by_step = votes.detach().cumsum(1).transpose(0, 1);
  return votes.sum(1);
}

torch::Tensor GestureNetImpl::forward_plain(const torch::Tensor& frames,
                                            const std::vector<torch::Tensor>& masks,
                                            ForwardTrace* trace) {
  const int64_t B = frames.size(0);
  std::vector<torch::Tensor> v(neurons_.size());
  std::vector<torch::Tensor> votes;
  for (int64_t t = 0; t < config_.T; ++t) {
    torch::Tensor x = frames.select(1, t);
    for (size_t i = 0; i < convs_.size(); ++i) {
      torch::Tensor y = norms_[i]->forward(convs_[i]->forward(x));
      if (t == 0) v[i] = torch::zeros_like(y);
      torch::Tensor s = conv_neurons_[i]->step(y, v[i]);
      count_spikes(trace, i, s);
      x = pool(s);
    }
    torch::Tensor h = x.reshape({B, -1});
    if (!masks.empty()) h = h * masks[0];
    torch::Tensor y1 = fc1_->forward(h);
    const size_t l1 = convs_.size(), l2 = convs_.size() + 1;
    if (t == 0) v[l1] = torch::zeros_like(y1);
    torch::Tensor s1 = fc1_neuron_->step(y1, v[l1]);
    count_spikes(trace, l1, s1);
    if (!masks.empty()) s1 = s1 * masks[1];
    torch::Tensor y2 = fc2_->forward(s1);
    if (t == 0) v[l2] = torch::zeros_like(y2);
    torch::Tensor s2 = fc2_neuron_->step(y2, v[l2]);
    count_spikes(trace, l2, s2);
    votes.push_back(vote(s2, config_.class_num));
  }
  const torch::Tensor all = torch::stack(votes, 1);  // [B, T, class_num]
  if (trace != nullptr) trace->counts_by_step = all.detach().cumsum(1).transpose(0, 1);
  return all.sum(1);
}

}  // namespace plifkit::nn
