#include "plifkit/checkpoint/checkpoint_file.hpp"

#include <type_traits>

#include "plifkit/checkpoint/config_group.hpp"
#include "plifkit/core/atomic_output.hpp"
#include "plifkit/core/error.hpp"
#include "plifkit/h5/h5.hpp"
#include "plifkit/h5/names.hpp"
#include "plifkit/h5/stage_file.hpp"

namespace plifkit {

namespace n = names::checkpoint;

namespace {

// --- entries as datasets ------------------------------------------------------------

void write_entry(hid_t loc, const std::string& name, const StoredTensor& t) {
  h5::Dims dims(t.shape.begin(), t.shape.end());
  // Checksummed: a damaged weight is an error when read, not a silent change.
  h5::DatasetOptions options;
  options.checksum = true;
  if (t.type == StoredTensor::Type::int64)
    h5::write_dataset<std::int64_t>(loc, name, dims, t.integers.data(), options);
  else
    h5::write_dataset<float>(loc, name, dims, t.floats.data(), options);
}

StoredTensor read_entry(hid_t loc, const std::string& name) {
  StoredTensor t;
  h5::Dims dims;
  if (h5::dataset_class(h5::open_dataset(loc, name).id()) == H5T_INTEGER) {
    t.type = StoredTensor::Type::int64;
    t.integers = h5::read_dataset<std::int64_t>(loc, name, &dims);
  } else {
    t.floats = h5::read_dataset<float>(loc, name, &dims);
  }
  t.shape.assign(dims.begin(), dims.end());
  return t;
}

// A group of the floor, or FormatError naming it.
h5::Handle floor_group(hid_t file, const char* name, const std::string& path) {
  if (!h5::exists(file, name)) throw FormatError(quoted(path) + ": no /" + name + " group");
  return h5::open_group(file, name);
}

h5::Handle open_checkpoint(const std::string& path) {
  h5::Handle file = h5::open_file(path);
  h5::require_format(file.id(), path, n::kFormatName, n::kVersion);
  return file;
}

// --- the groups ------------------------------------------------------------------

TrainState read_state(hid_t g, const std::string& path) {
  TrainState s;
  auto floor_attr = [&](const char* name, auto& value) {
    if (!h5::has_attr(g, name)) throw FormatError(quoted(path) + ": /state has no attribute '" + name + "'");
    value = h5::read_attr<std::decay_t<decltype(value)>>(g, name);
  };
  auto optional_attr = [&](const char* name, auto& value) {
    if (h5::has_attr(g, name)) value = h5::read_attr<std::decay_t<decltype(value)>>(g, name);
  };
  floor_attr(n::kEpoch, s.epoch);
  floor_attr(n::kTrainTimes, s.train_times);
  floor_attr(n::kMaxValAccuracy, s.max_val_accuracy);
  floor_attr(n::kMaxValTestAccuracy, s.max_val_test_accuracy);
  optional_attr(n::kMaxTestAccuracy, s.max_test_accuracy);
  optional_attr(n::kStepInEpoch, s.partial.steps);
  optional_attr(n::kEpochLossSum, s.partial.loss_sum);
  optional_attr(n::kEpochCorrect, s.partial.correct);
  optional_attr(n::kEpochSeconds, s.partial.seconds);
  optional_attr(n::kLossScale, s.loss_scale);
  optional_attr(n::kLossScaleGrowth, s.loss_scale_growth);
  if (s.partial.steps < 0) throw FormatError(quoted(path) + ": /state " + n::kStepInEpoch + " is negative");
  return s;
}

void write_state(hid_t g, const TrainState& s) {
  h5::write_attr<std::int64_t>(g, n::kEpoch, s.epoch);
  h5::write_attr<std::int64_t>(g, n::kTrainTimes, s.train_times);
  h5::write_attr<double>(g, n::kMaxValAccuracy, s.max_val_accuracy);
  h5::write_attr<double>(g, n::kMaxValTestAccuracy, s.max_val_test_accuracy);
  h5::write_attr<double>(g, n::kMaxTestAccuracy, s.max_test_accuracy);
  h5::write_attr<std::int64_t>(g, n::kStepInEpoch, s.partial.steps);
  h5::write_attr<double>(g, n::kEpochLossSum, s.partial.loss_sum);
  h5::write_attr<std::int64_t>(g, n::kEpochCorrect, s.partial.correct);
  h5::write_attr<double>(g, n::kEpochSeconds, s.partial.seconds);
  h5::write_attr<double>(g, n::kLossScale, s.loss_scale);
  h5::write_attr<std::int64_t>(g, n::kLossScaleGrowth, s.loss_scale_growth);
}

MetricsLog read_log(hid_t g, const std::string& path) {
  MetricsLog log;
  // HDF5 lists members by name; the `columns` attribute keeps the order.
  const std::vector<std::string> keys =
      h5::has_attr(g, "columns") ? h5::read_attr_strings(g, "columns") : h5::member_names(g);
  for (const auto& key : keys) {
    if (!h5::exists(g, key)) throw FormatError(quoted(path) + ": /log has no column '" + key + "'");
    log.names.push_back(key);
    log.columns.push_back(h5::read_dataset<double>(g, key));
    if (log.columns.back().size() != log.columns.front().size())
      throw FormatError(quoted(path) + ": /log/" + key + " has " + std::to_string(log.columns.back().size()) +
                        " rows, /log/" + log.names.front() + " " + std::to_string(log.columns.front().size()));
  }
  return log;
}

void write_log(hid_t g, const MetricsLog& log) {
  if (!log.names.empty()) h5::write_attr_strings(g, "columns", log.names);
  for (std::size_t i = 0; i < log.names.size(); ++i) {
    if (log.names[i] == n::kLogEpoch) {
      std::vector<std::int64_t> epochs(log.columns[i].begin(), log.columns[i].end());
      h5::write_vector(g, log.names[i], epochs);
    } else {
      h5::write_vector(g, log.names[i], log.columns[i]);
    }
  }
}

}  // namespace

CheckpointFile read_checkpoint(const std::string& path, unsigned parts) {
  h5::Handle file = open_checkpoint(path);
  CheckpointFile c;
  c.config = read_config_attributes(floor_group(file.id(), n::kConfig, path).id(), path);
  if (parts & kCheckpointModel) {
    // Reading /model checks its checksums; a checkpoint damaged anywhere is
    // not trusted, so the other checksummed group is walked when not read.
    h5::Handle g = floor_group(file.id(), n::kModel, path);
    for (const auto& key : h5::member_names(g.id())) c.model[key] = read_entry(g.id(), key);
    if (!(parts & kCheckpointOptimizer) && h5::exists(file.id(), n::kOptimizer))
      h5::verify_checksums(h5::open_group(file.id(), n::kOptimizer).id());
  }
  if (parts & kCheckpointState) c.state = read_state(floor_group(file.id(), n::kState, path).id(), path);
  if (parts & kCheckpointLog) c.log = read_log(floor_group(file.id(), n::kLog, path).id(), path);
  if (parts & kCheckpointOptimizer) {
    // Beyond the floor's wording but needed to resume bit for bit.
    h5::Handle g = floor_group(file.id(), n::kOptimizer, path);
    for (const auto& key : h5::member_names(g.id())) {
      h5::Handle pg = h5::open_group(g.id(), key);
      AdamEntry e;
      e.exp_avg = read_entry(pg.id(), "exp_avg");
      e.exp_avg_sq = read_entry(pg.id(), "exp_avg_sq");
      e.step = h5::read_attr<std::int64_t>(pg.id(), "step");
      c.optimizer[key] = e;
    }
    h5::Handle sg = floor_group(file.id(), n::kScheduler, path);
    c.scheduler_last_epoch = h5::read_attr<std::int64_t>(sg.id(), "last_epoch");
  }
  return c;
}

TrainConfig read_checkpoint_config(const std::string& path) { return read_checkpoint(path, 0).config; }

void write_checkpoint(const std::string& path, const CheckpointFile& c) {
  AtomicOutput out(path);
  h5::Handle file = h5::create_file(out.temp_path());
  h5::write_format_stamp(file.id(), n::kFormatName, n::kVersion);
  write_config_attributes(h5::create_group(file.id(), n::kConfig).id(), c.config);
  {
    h5::Handle g = h5::create_group(file.id(), n::kModel);
    for (const auto& [key, entry] : c.model) write_entry(g.id(), key, entry);
  }
  {
    h5::Handle g = h5::create_group(file.id(), n::kOptimizer);
    for (const auto& [key, entry] : c.optimizer) {
      h5::Handle pg = h5::create_group(g.id(), key);
      write_entry(pg.id(), "exp_avg", entry.exp_avg);
      write_entry(pg.id(), "exp_avg_sq", entry.exp_avg_sq);
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
  write_state(h5::create_group(file.id(), n::kState).id(), c.state);
  write_log(h5::create_group(file.id(), n::kLog).id(), c.log);
  h5::close_file(file, out.temp_path());
  out.commit();
}

}  // namespace plifkit
