#include "plifkit/nn/checkpoint.hpp"

#include <sstream>
#include <type_traits>
#include <utility>

#include "plifkit/core/error.hpp"

namespace plifkit::nn {

namespace {

// --- tensors as stored entries -------------------------------------------------------

StoredTensor stored_of(const torch::Tensor& tensor) {
  const torch::Tensor t = tensor.detach().to(torch::kCPU).contiguous();
  StoredTensor s;
  s.shape.assign(t.sizes().begin(), t.sizes().end());
  if (t.scalar_type() == torch::kInt64) {
    s.type = StoredTensor::Type::int64;
    s.integers.assign(t.data_ptr<int64_t>(), t.data_ptr<int64_t>() + t.numel());
  } else {
    const torch::Tensor f = t.to(torch::kFloat32);
    s.floats.assign(f.data_ptr<float>(), f.data_ptr<float>() + f.numel());
  }
  return s;
}

// A tensor sharing the entry's memory (valid while the entry lives).
torch::Tensor view_of(const StoredTensor& s) {
  if (s.type == StoredTensor::Type::int64)
    return torch::from_blob(const_cast<int64_t*>(s.integers.data()), s.shape, torch::kInt64);
  return torch::from_blob(const_cast<float*>(s.floats.data()), s.shape, torch::kFloat32);
}

// The optimizer keys its per-parameter state by the parameter's TensorImpl:
// the address printed as a string up to Torch 1.13, the pointer itself in
// Torch 2.x. The key type is read off the optimizer, so no version test.
using AdamStateKey = std::decay_t<decltype(std::declval<torch::optim::Adam&>().state())>::key_type;

template <typename Key>
Key state_key_of(const torch::Tensor& p) {
  if constexpr (std::is_same_v<Key, std::string>) {
    std::ostringstream address;  // as c10::guts::to_string prints a pointer
    address << p.unsafeGetTensorImpl();
    return address.str();
  } else {
    return p.unsafeGetTensorImpl();
  }
}

AdamStateKey adam_key(const torch::Tensor& p) { return state_key_of<AdamStateKey>(p); }

std::string shape_text(const std::vector<int64_t>& shape) {
  std::ostringstream s;
  s << c10::IntArrayRef(shape);
  return s.str();
}

}  // namespace

CheckpointFile snapshot_checkpoint(const TrainConfig& config, PlifNetImpl& net,
                                   torch::optim::Adam* optimizer, int64_t scheduler_last_epoch,
                                   const TrainState& state, const MetricsLog& log) {
  CheckpointFile c;
  c.config = config;
  for (const auto& p : net.named_parameters()) c.model[p.key()] = stored_of(p.value());
  for (const auto& b : net.named_buffers()) c.model[b.key()] = stored_of(b.value());
  if (optimizer != nullptr) {
    auto& states = optimizer->state();
    for (const auto& p : net.named_parameters()) {
      auto it = states.find(adam_key(p.value()));
      if (it == states.end()) continue;  // never stepped
      const auto& s = static_cast<const torch::optim::AdamParamState&>(*it->second);
      c.optimizer[p.key()] = {stored_of(s.exp_avg()), stored_of(s.exp_avg_sq()), s.step()};
    }
  }
  c.scheduler_last_epoch = scheduler_last_epoch;
  c.state = state;
  c.log = log;
  return c;
}

void save_checkpoint(const std::string& path, const TrainConfig& config, PlifNetImpl& net,
                     torch::optim::Adam* optimizer, int64_t scheduler_last_epoch,
                     const TrainState& state, const MetricsLog& log) {
  write_checkpoint(path, snapshot_checkpoint(config, net, optimizer, scheduler_last_epoch, state, log));
}

void load_model_state(PlifNetImpl& net, const std::map<std::string, StoredTensor>& model,
                      const std::string& path) {
  torch::NoGradGuard no_grad;
  auto assign = [&](const std::string& key, torch::Tensor& target) {
    auto it = model.find(key);
    if (it == model.end())
      throw FormatError(plifkit::quoted(path) + ": /model has no '" + key + "' (network built differently)");
    if (c10::IntArrayRef(it->second.shape) != target.sizes())
      throw FormatError(plifkit::quoted(path) + ": /model/" + key + " has shape " +
                        shape_text(it->second.shape) + ", the network needs " +
                        shape_text(target.sizes().vec()));
    target.copy_(view_of(it->second).to(target.scalar_type()));
  };
  for (auto& p : net.named_parameters()) assign(p.key(), p.value());
  for (auto& b : net.named_buffers()) assign(b.key(), b.value());
}

void load_optimizer_state(torch::optim::Adam& optimizer, PlifNetImpl& net,
                          const std::map<std::string, AdamEntry>& state, const std::string& path) {
  for (const auto& p : net.named_parameters()) {
    auto it = state.find(p.key());
    if (it == state.end()) continue;
    const c10::IntArrayRef sizes = p.value().sizes();
    if (c10::IntArrayRef(it->second.exp_avg.shape) != sizes ||
        c10::IntArrayRef(it->second.exp_avg_sq.shape) != sizes)
      throw FormatError(plifkit::quoted(path) + ": /optimizer/" + p.key() + " does not fit the network");
    const auto device = p.value().device();
    auto s = std::make_unique<torch::optim::AdamParamState>();
    s->step(it->second.step);
    s->exp_avg(view_of(it->second.exp_avg).to(device, /*non_blocking=*/false, /*copy=*/true));
    s->exp_avg_sq(view_of(it->second.exp_avg_sq).to(device, /*non_blocking=*/false, /*copy=*/true));
    optimizer.state()[adam_key(p.value())] = std::move(s);
  }
}

}  // namespace plifkit::nn
