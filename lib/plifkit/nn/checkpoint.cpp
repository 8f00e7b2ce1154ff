#include "plifkit/nn/checkpoint.hpp"

#include <cstdio>
#include <functional>
#include <sstream>
#include <type_traits>
#include <utility>

#include "plifkit/config/config_attributes.hpp"
#include "plifkit/core/atomic_output.hpp"
#include "plifkit/core/error.hpp"
#include "plifkit/h5/h5.hpp"
#include "plifkit/h5/names.hpp"
#include "plifkit/h5/stage_file.hpp"

namespace plifkit::nn {

namespace n = names::checkpoint;

// --- metrics log --------------------------------------------------------------------

void MetricsLog::append(const std::vector<std::pair<std::string, double>>& row) {
  if (names.empty()) {
    for (const auto& [name, value] : row) names.push_back(name);
    columns.resize(names.size());
  }
  if (row.size() != names.size()) throw Error("metrics row has a different set of columns");
  for (size_t i = 0; i < row.size(); ++i) {
    if (row[i].first != names[i]) throw Error("metrics column '" + row[i].first + "' out of order");
    columns[i].push_back(row[i].second);
  }
}

std::string MetricsLog::to_csv() const {
  std::ostringstream out;
  for (size_t i = 0; i < names.size(); ++i) out << (i ? "," : "") << names[i];
  out << "\n";
  char buf[32];
  for (size_t r = 0; r < rows(); ++r) {
    for (size_t i = 0; i < names.size(); ++i) {
      const double v = columns[i][r];
      if (names[i] == "epoch")
        std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
      else
        std::snprintf(buf, sizeof buf, "%.6g", v);
      out << (i ? "," : "") << buf;
    }
    out << "\n";
  }
  return out.str();
}

namespace {

// --- tensors as datasets ------------------------------------------------------------

h5::Dims dims_of(const torch::Tensor& t) {
  h5::Dims d;
  for (int64_t s : t.sizes()) d.push_back(static_cast<hsize_t>(s));
  return d;
}

void write_tensor(hid_t loc, const std::string& name, const torch::Tensor& tensor) {
  const torch::Tensor t = tensor.detach().to(torch::kCPU).contiguous();
  // Checksummed: a damaged weight is an error when read, not a silent change.
  h5::DatasetOptions options;
  options.checksum = true;
  if (t.scalar_type() == torch::kInt64) {
    h5::write_dataset<std::int64_t>(loc, name, dims_of(t), t.data_ptr<int64_t>(), options);
  } else {
    const torch::Tensor f = t.to(torch::kFloat32);
    h5::write_dataset<float>(loc, name, dims_of(f), f.data_ptr<float>(), options);
  }
}

torch::Tensor read_tensor(hid_t loc, const std::string& name) {
  h5::Handle ds = h5::open_dataset(loc, name);
  const bool integer = h5::dataset_class(ds.id()) == H5T_INTEGER;
  ds.reset();
  h5::Dims dims;
  std::vector<int64_t> shape;
  if (integer) {
    auto values = h5::read_dataset<std::int64_t>(loc, name, &dims);
    for (hsize_t d : dims) shape.push_back(static_cast<int64_t>(d));
    return torch::from_blob(values.data(), shape, torch::kInt64).clone();
  }
  auto values = h5::read_dataset<float>(loc, name, &dims);
  for (hsize_t d : dims) shape.push_back(static_cast<int64_t>(d));
  return torch::from_blob(values.data(), shape, torch::kFloat32).clone();
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

}  // namespace

// --- save / load --------------------------------------------------------------------

Checkpoint snapshot_checkpoint(const TrainConfig& config, PlifNetImpl& net,
                               torch::optim::Adam* optimizer, int64_t scheduler_last_epoch,
                               const TrainState& state, const MetricsLog& log) {
  auto host_copy = [](const torch::Tensor& t) {
    return t.detach().to(torch::kCPU, /*non_blocking=*/false, /*copy=*/true).contiguous();
  };
  Checkpoint c;
  c.config = config;
  for (const auto& p : net.named_parameters()) c.model[p.key()] = host_copy(p.value());
  for (const auto& b : net.named_buffers()) c.model[b.key()] = host_copy(b.value());
  if (optimizer != nullptr) {
    auto& states = optimizer->state();
    for (const auto& p : net.named_parameters()) {
      auto it = states.find(adam_key(p.value()));
      if (it == states.end()) continue;  // never stepped
      const auto& s = static_cast<const torch::optim::AdamParamState&>(*it->second);
      c.optimizer[p.key()] = {host_copy(s.exp_avg()), host_copy(s.exp_avg_sq()), s.step()};
    }
  }
  c.scheduler_last_epoch = scheduler_last_epoch;
  c.state = state;
  c.log = log;
  return c;
}

void write_checkpoint(const std::string& path, const Checkpoint& c) {
  AtomicOutput out(path);
  h5::Handle file = h5::create_file(out.temp_path());
  h5::write_format_stamp(file.id(), n::kFormatName, n::kVersion);
  {
    h5::Handle g = h5::create_group(file.id(), n::kConfig);
    write_config_attributes(g.id(), c.config);
  }
  {
    h5::Handle g = h5::create_group(file.id(), n::kModel);
    for (const auto& [key, tensor] : c.model) write_tensor(g.id(), key, tensor);
  }
  {
    h5::Handle g = h5::create_group(file.id(), n::kOptimizer);
    for (const auto& [key, entry] : c.optimizer) {
      h5::Handle pg = h5::create_group(g.id(), key);
      write_tensor(pg.id(), "exp_avg", entry.exp_avg);
      write_tensor(pg.id(), "exp_avg_sq", entry.exp_avg_sq);
      h5::write_attr<std::int64_t>(pg.id(), "step", entry.step);
    }
  }
  {
    h5::Handle g = h5::create_group(file.id(), n::kScheduler);
    h5::write_attr_string(g.id(), "type", "CosineAnnealingLR");
    h5::write_attr<std::int64_t>(g.id(), "last_epoch", c.scheduler_last_epoch);
    h5::write_attr<std::int64_t>(g.id(), "T_max", c.config.T_max);
    h5::write_attr<double>(g.id(), "base_lr", c.config.learning_rate);
    h5::write_attr<double>(g.id(), "eta_min", 0.0);
  }
  {
    const TrainState& state = c.state;
    h5::Handle g = h5::create_group(file.id(), n::kState);
    h5::write_attr<std::int64_t>(g.id(), n::kEpoch, state.epoch);
    h5::write_attr<std::int64_t>(g.id(), n::kTrainTimes, state.train_times);
    h5::write_attr<double>(g.id(), n::kMaxValAccuracy, state.max_val_accuracy);
    h5::write_attr<double>(g.id(), n::kMaxValTestAccuracy, state.max_val_test_accuracy);
    h5::write_attr<double>(g.id(), n::kMaxTestAccuracy, state.max_test_accuracy);
    h5::write_attr<std::int64_t>(g.id(), n::kStepInEpoch, state.partial.steps);
    h5::write_attr<double>(g.id(), n::kEpochLossSum, state.partial.loss_sum);
    h5::write_attr<std::int64_t>(g.id(), n::kEpochCorrect, state.partial.correct);
    h5::write_attr<double>(g.id(), n::kEpochSeconds, state.partial.seconds);
    h5::write_attr<double>(g.id(), n::kLossScale, state.loss_scale);
    h5::write_attr<std::int64_t>(g.id(), n::kLossScaleGrowth, state.loss_scale_growth);
  }
  {
    const MetricsLog& log = c.log;
    h5::Handle g = h5::create_group(file.id(), n::kLog);
    // HDF5 lists members by name; keep the column order for metrics.csv.
    if (!log.names.empty()) h5::write_attr_strings(g.id(), "columns", log.names);
    for (size_t i = 0; i < log.names.size(); ++i) {
      if (log.names[i] == "epoch") {
        std::vector<std::int64_t> epochs(log.columns[i].begin(), log.columns[i].end());
        h5::write_vector(g.id(), log.names[i], epochs);
      } else {
        h5::write_vector(g.id(), log.names[i], log.columns[i]);
      }
    }
  }
  h5::close_file(file, out.temp_path());
  out.commit();
}

void save_checkpoint(const std::string& path, const TrainConfig& config, PlifNetImpl& net,
                     torch::optim::Adam* optimizer, int64_t scheduler_last_epoch,
                     const TrainState& state, const MetricsLog& log) {
  write_checkpoint(path, snapshot_checkpoint(config, net, optimizer, scheduler_last_epoch, state, log));
}

TrainConfig load_checkpoint_config(const std::string& path) {
  h5::Handle file = h5::open_file(path);
  h5::require_format(file.id(), path, n::kFormatName, n::kVersion);
  h5::Handle g = h5::open_group(file.id(), n::kConfig);
  return read_config_attributes(g.id(), path);
}

Checkpoint load_checkpoint(const std::string& path) {
  h5::Handle file = h5::open_file(path);
  h5::require_format(file.id(), path, n::kFormatName, n::kVersion);
  Checkpoint c;
  {
    h5::Handle g = h5::open_group(file.id(), n::kConfig);
    c.config = read_config_attributes(g.id(), path);
  }
  {
    h5::Handle g = h5::open_group(file.id(), n::kModel);
    for (const auto& key : h5::member_names(g.id())) c.model[key] = read_tensor(g.id(), key);
  }
  {
    h5::Handle g = h5::open_group(file.id(), n::kOptimizer);
    for (const auto& key : h5::member_names(g.id())) {
      h5::Handle pg = h5::open_group(g.id(), key);
      Checkpoint::AdamEntry e;
      e.exp_avg = read_tensor(pg.id(), "exp_avg");
      e.exp_avg_sq = read_tensor(pg.id(), "exp_avg_sq");
      e.step = h5::read_attr<std::int64_t>(pg.id(), "step");
      c.optimizer[key] = e;
    }
  }
  {
    h5::Handle g = h5::open_group(file.id(), n::kScheduler);
    c.scheduler_last_epoch = h5::read_attr<std::int64_t>(g.id(), "last_epoch");
  }
  {
    h5::Handle g = h5::open_group(file.id(), n::kState);
    c.state.epoch = h5::read_attr<std::int64_t>(g.id(), n::kEpoch);
    c.state.train_times = h5::read_attr<std::int64_t>(g.id(), n::kTrainTimes);
    c.state.max_val_accuracy = h5::read_attr<double>(g.id(), n::kMaxValAccuracy);
    c.state.max_val_test_accuracy = h5::read_attr<double>(g.id(), n::kMaxValTestAccuracy);
    // Attributes later versions of plifkit added; older checkpoints lack them.
    auto optional_int = [&](const char* name, int64_t& value) {
      if (h5::has_attr(g.id(), name)) value = h5::read_attr<std::int64_t>(g.id(), name);
    };
    auto optional_double = [&](const char* name, double& value) {
      if (h5::has_attr(g.id(), name)) value = h5::read_attr<double>(g.id(), name);
    };
    optional_double(n::kMaxTestAccuracy, c.state.max_test_accuracy);
    optional_int(n::kStepInEpoch, c.state.partial.steps);
    optional_double(n::kEpochLossSum, c.state.partial.loss_sum);
    optional_int(n::kEpochCorrect, c.state.partial.correct);
    optional_double(n::kEpochSeconds, c.state.partial.seconds);
    optional_double(n::kLossScale, c.state.loss_scale);
    optional_int(n::kLossScaleGrowth, c.state.loss_scale_growth);
    if (c.state.partial.steps < 0)
      throw FormatError(plifkit::quoted(path) + ": /state " + n::kStepInEpoch + " is negative");
  }
  {
    h5::Handle g = h5::open_group(file.id(), n::kLog);
    const std::vector<std::string> keys = h5::has_attr(g.id(), "columns")
                                              ? h5::read_attr_strings(g.id(), "columns")
                                              : h5::member_names(g.id());
    for (const auto& key : keys) {
      c.log.names.push_back(key);
      c.log.columns.push_back(h5::read_dataset<double>(g.id(), key));
      if (c.log.columns.back().size() != c.log.columns.front().size())
        throw FormatError(plifkit::quoted(path) + ": /log columns have different lengths");
    }
  }
  return c;
}

void load_model_state(PlifNetImpl& net, const std::map<std::string, torch::Tensor>& model,
                      const std::string& path) {
  torch::NoGradGuard no_grad;
  auto assign = [&](const std::string& key, torch::Tensor& target) {
    auto it = model.find(key);
    if (it == model.end())
      throw FormatError(plifkit::quoted(path) + ": /model has no '" + key + "' (network built differently)");
    if (it->second.sizes() != target.sizes()) {
      std::ostringstream s;
      s << plifkit::quoted(path) << ": /model/" << key << " has shape " << it->second.sizes()
        << ", the network needs " << target.sizes();
      throw FormatError(s.str());
    }
    target.copy_(it->second.to(target.scalar_type()));
  };
  for (auto& p : net.named_parameters()) assign(p.key(), p.value());
  for (auto& b : net.named_buffers()) assign(b.key(), b.value());
}

void load_optimizer_state(torch::optim::Adam& optimizer, PlifNetImpl& net,
                          const std::map<std::string, Checkpoint::AdamEntry>& state,
                          const std::string& path) {
  for (const auto& p : net.named_parameters()) {
    auto it = state.find(p.key());
    if (it == state.end()) continue;
    if (it->second.exp_avg.sizes() != p.value().sizes())
      throw FormatError(plifkit::quoted(path) + ": /optimizer/" + p.key() + " does not fit the network");
    if (it->second.exp_avg_sq.sizes() != p.value().sizes())
      throw FormatError(plifkit::quoted(path) + ": /optimizer/" + p.key() + " does not fit the network");
    const auto device = p.value().device();
    auto s = std::make_unique<torch::optim::AdamParamState>();
    s->step(it->second.step);
    s->exp_avg(it->second.exp_avg.to(device, /*non_blocking=*/false, /*copy=*/true));
    s->exp_avg_sq(it->second.exp_avg_sq.to(device, /*non_blocking=*/false, /*copy=*/true));
    optimizer.state()[adam_key(p.value())] = std::move(s);
  }
}

}  // namespace plifkit::nn
