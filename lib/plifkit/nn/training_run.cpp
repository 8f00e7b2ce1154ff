// train(): one run of the recipe (trainer.hpp) over its epochs, on the CPU
// or a GPU, with checkpoints, resume (also from inside an epoch) and the
// numerical guard.
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <iterator>
#include <future>
#include <memory>
#include <optional>

#include "plifkit/core/atomic_output.hpp"
#include "plifkit/core/error.hpp"
#include "plifkit/core/folder_lock.hpp"
#include "plifkit/core/system_memory.hpp"
#include "plifkit/dist/gradient_averager.hpp"
#include "plifkit/frames/frames_reader.hpp"
#include "plifkit/nn/device.hpp"
#include "plifkit/nn/mixed_precision.hpp"
#include "plifkit/nn/run_checks.hpp"
#include "plifkit/nn/network_input.hpp"
#include "plifkit/nn/sample_store.hpp"
#include "plifkit/nn/step_monitor.hpp"
#include "plifkit/nn/tensorboard_sink.hpp"
#include "plifkit/nn/trainer.hpp"

namespace plifkit::nn {

namespace {

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

double seconds_since(const std::chrono::steady_clock::time_point& start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A file's text, empty when it cannot be read.
std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The folders a run creates. They are made before the network is built, so
// that an unwritable place fails at once; a run that fails before writing a
// file into them leaves nothing behind (rmdir removes only empty folders).
class RunFolders {
 public:
  RunFolders() = default;
  RunFolders(const RunFolders&) = delete;
  RunFolders& operator=(const RunFolders&) = delete;
  ~RunFolders() {
    for (auto it = created_.rbegin(); it != created_.rend(); ++it) ::rmdir(it->c_str());
  }

  void make(const std::string& path) {
    if (::mkdir(path.c_str(), 0777) == 0) {
      created_.push_back(path);
    } else if (errno != EEXIST) {
      throw IoError("cannot create folder " + plifkit::quoted(path) + ": " + std::strerror(errno));
    }
  }

 private:
  std::vector<std::string> created_;
};

// Independent, reproducible random streams per (seed, epoch, purpose): a run
// resumed at an epoch boundary draws exactly what an uninterrupted run draws.
at::Generator stream(int64_t seed, int64_t epoch, uint64_t purpose) {
  uint64_t z = static_cast<uint64_t>(seed) * 0x9E3779B97F4A7C15ull ^
               (static_cast<uint64_t>(epoch) + 1) * 0xBF58476D1CE4E5B9ull ^ purpose;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return at::make_generator<at::CPUGeneratorImpl>(z ^ (z >> 31));
}
constexpr uint64_t kShuffleStream = 1;
constexpr uint64_t kDropoutStream = 2;
// One stream per step (the step in the high bits), so a run resumed inside
// an epoch augments its remaining steps as the uninterrupted run does.
constexpr uint64_t kAugmentStream = 3;
uint64_t augment_stream_of(int64_t step) { return kAugmentStream | static_cast<uint64_t>(step) << 8; }

// Accuracy of the network (evaluation mode, on `device`) over every sample of
// a store; batches of a store kept on the host (or read from the file) go to
// the device as the training steps' do. The count stays on the device until
// the end. In a data-parallel run each rank evaluates every size-th sample
// from its rank on, and the counts are summed (evaluation mode: each
// sample's result does not depend on its batch).
double accuracy_of(PlifNetImpl& net, const SampleStore& store, const torch::Device& device,
                   int64_t batch_size, Amp amp, const InputOptions& input, dist::ProcessGroup* group) {
  if (store.size() == 0) return 0.0;
  net.eval();
  torch::NoGradGuard no_grad;
  const size_t rank = group != nullptr ? static_cast<size_t>(group->rank()) : 0;
  const size_t ranks = group != nullptr ? static_cast<size_t>(group->size()) : 1;
  std::vector<int64_t> shard;
  for (size_t i = rank; i < store.size(); i += ranks) shard.push_back(static_cast<int64_t>(i));
  torch::Tensor correct = torch::zeros({}, torch::TensorOptions().dtype(torch::kInt64).device(device));
  for (size_t first = 0; first < shard.size(); first += static_cast<size_t>(batch_size)) {
    const std::vector<int64_t> positions(shard.begin() + static_cast<std::ptrdiff_t>(first),
                                         shard.begin() + static_cast<std::ptrdiff_t>(
                                                             std::min(shard.size(), first + batch_size)));
    const torch::Tensor frames = network_input(store, positions, device, input);
    torch::Tensor labels = store.labels(positions);
    if (labels.device() != device) labels = upload(labels, device);
    torch::Tensor counts;
    {
      const AutocastGuard autocast(amp);
      counts = net.forward(frames, c10::nullopt);
    }
    correct += (predict_classes(counts) == labels).sum();
  }
  if (group != nullptr) {
    const torch::Tensor total = correct.to(torch::kCPU, torch::kFloat64).reshape({1});
    group->sum(total, "the evaluation's count");
    return total.item<double>() / static_cast<double>(store.size());
  }
  return static_cast<double>(correct.item<int64_t>()) / static_cast<double>(store.size());
}

// Per neuron layer: mean and std of w and tau (std 0 for a single value).
void layer_statistics(PlifNetImpl& net, std::vector<std::pair<std::string, double>>& row,
                      std::vector<double>& tau_means) {
  torch::NoGradGuard no_grad;
  const auto& layers = net.neuron_layers();
  for (size_t i = 0; i < layers.size(); ++i) {
    const auto& layer = layers[i].second;
    const torch::Tensor tau = layer->tau().to(torch::kFloat64);
    const torch::Tensor w = layer->learnable() ? layer->w().to(torch::kFloat64)
                                               : -torch::log(tau - 1.0);
    auto std_of = [](const torch::Tensor& t) { return t.numel() > 1 ? t.std().item<double>() : 0.0; };
    const std::string s = std::to_string(i);
    row.emplace_back("w_mean_" + s, w.mean().item<double>());
    row.emplace_back("w_std_" + s, std_of(w));
    row.emplace_back("tau_mean_" + s, tau.mean().item<double>());
    row.emplace_back("tau_std_" + s, std_of(tau));
    tau_means.push_back(tau.mean().item<double>());
  }
}

// Learnable layers' names and taus, for the numerical guard.
std::vector<std::string> learnable_layer_names(PlifNetImpl& net) {
  std::vector<std::string> names;
  for (const auto& [name, layer] : net.neuron_layers())
    if (layer->learnable()) names.push_back(name);
  return names;
}

std::vector<torch::Tensor> learnable_taus(PlifNetImpl& net) {
  std::vector<torch::Tensor> taus;
  for (const auto& [name, layer] : net.neuron_layers())
    if (layer->learnable()) taus.push_back(layer->tau());
  return taus;
}

class TrainingRun {
 public:
  TrainingRun(const TrainConfig& asked, const TrainCallbacks& callbacks,
              const std::optional<dist::LaunchSpec>& launch);
  TrainOutcome run();

 private:
  // Rank 0 (or the single process) writes the run's files; the others
  // compute alongside it.
  bool writes() const { return group_ == nullptr || group_->rank() == 0; }
  // This rank's samples of a global batch (all of it for a single process).
  int64_t local_batch() const { return group_ != nullptr ? config_.batch_size / group_->size() : config_.batch_size; }
  // Evaluation inputs: images normalised and held for T steps.
  InputOptions input_options() const { return {config_.dataset.value(), config_.T.value(), nullptr}; }
  void build_network();
  void restore();
  void load_data();
  // The steps of one epoch from `first_step` (where a stopped run left it).
  // Returns true when cancelled after a step (all it did is in `monitor`).
  bool train_steps(int64_t epoch, int64_t first_step, StepMonitor& monitor);
  // Writes the unfinished epoch's checkpoint and throws Interrupted.
  [[noreturn]] void stop_inside_epoch(int64_t epoch, const StepMonitor& monitor, double seconds);
  EpochReport close_epoch(int64_t epoch, double lr, const StepMonitor& monitor, double seconds);
  // Writes the epoch's files, on another thread unless batches come from HDF5.
  void write_epoch_files(int64_t epoch, bool new_best);
  void finish_writes();
  CheckpointFile snapshot(int64_t scheduler_last_epoch);

  // First, so that it is destroyed last: after any background write ended.
  RunFolders folders_;
  // The run folder's lock: one plif-train writes a folder at a time.
  std::optional<FolderLock> lock_;
  const TrainCallbacks callbacks_;
  const torch::Device device_;
  // A data-parallel run's group (null for a single process), then the
  // gradients' averaging over it.
  std::unique_ptr<dist::ProcessGroup> group_;
  std::unique_ptr<dist::GradientAverager> averager_;
  const Amp amp_;
  const frames::FramesReader reader_;
  const TrainConfig config_;
  std::string latest_, best_, metrics_;
  PlifNet net_{nullptr};
  std::unique_ptr<torch::optim::Adam> optimizer_;
  LossScaler scaler_;
  TrainState state_;
  MetricsLog log_;
  bool in_memory_ = true;
  std::unique_ptr<SampleStore> train_set_, val_set_, test_set_;
  int64_t steps_per_epoch_ = 0;
  std::vector<std::string> guarded_layers_;
  std::future<void> pending_write_;
  // The TensorBoard log (--tensorboard); null when off.
  std::unique_ptr<TrainingObserver> observer_;
  TrainOutcome outcome_;
};

// The device of this process: a data-parallel rank on "cuda" takes the GPU
// of its local rank.
DeviceSpec device_of_rank(DeviceSpec device, const std::optional<dist::LaunchSpec>& launch) {
  if (launch && device.cuda && !device.index) device.index = launch->local_rank;
  return device;
}

TrainingRun::TrainingRun(const TrainConfig& asked, const TrainCallbacks& callbacks,
                         const std::optional<dist::LaunchSpec>& launch)
    : callbacks_(callbacks),
      // The device is checked before any file is touched.
      device_(resolve_device(device_of_rank(asked.device, launch))),
      amp_(asked.amp),
      reader_(asked.data_path),
      config_(with_frames_settings(asked, reader_.header(), asked.data_path)),
      scaler_(amp_ == Amp::fp16, device_) {
  if (launch) {
    if (config_.batch_size % launch->world_size != 0)
      throw UsageError("batch_size " + std::to_string(config_.batch_size) + " does not divide among " +
                       std::to_string(launch->world_size) + " ranks (each takes an equal slice of every batch)");
    group_ = std::make_unique<dist::ProcessGroup>(*launch, device_);
  }
  outcome_.run_dir = config_.log_dir_prefix + "/" +
                     (config_.name.empty() ? default_run_name(config_) : config_.name);
  if (writes()) {
    folders_.make(config_.log_dir_prefix);
    folders_.make(outcome_.run_dir);
    lock_.emplace(outcome_.run_dir, "run folder");
  }
  latest_ = outcome_.run_dir + "/checkpoint.h5";
  best_ = outcome_.run_dir + "/checkpoint_max.h5";
  metrics_ = outcome_.run_dir + "/metrics.csv";
  build_network();
  restore();
  load_data();
  if (config_.tensorboard == Switch::on && writes()) observer_ = std::make_unique<TensorBoardSink>();
}

void TrainingRun::build_network() {
  // Weights are drawn on the CPU from the global generator seeded here, in
  // module order, then moved: every device starts from the same network.
  torch::manual_seed(static_cast<uint64_t>(config_.seed));
  net_ = PlifNet(config_.net);
  net_->to(device_);
  tune_for_fixed_shapes(device_);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(net_->other_parameters(),
                      std::make_unique<torch::optim::AdamOptions>(config_.learning_rate));
  if (!net_->decay_parameters().empty())
    groups.emplace_back(net_->decay_parameters(), std::make_unique<torch::optim::AdamOptions>(
                                                      config_.learning_rate * config_.tau_lr_scale));
  optimizer_ = std::make_unique<torch::optim::Adam>(
      std::move(groups),
      torch::optim::AdamOptions(config_.learning_rate).betas({0.9, 0.999}).eps(1e-8));
  guarded_layers_ = learnable_layer_names(*net_);
  if (group_) {
    // Every rank drew the same weights from the seed: nothing to broadcast.
    net_->set_process_group(group_.get());
    averager_ = std::make_unique<dist::GradientAverager>(*group_, net_->parameters());
    // Per step: the gradients; per BatchNorm, 2 T C + 1 doubles forward and
    // 2 T C backward (T C for the static encoder's); 3 doubles of metrics.
    const int64_t n = group_->size(), T = config_.T.value();
    int64_t doubles = 3;
    const auto& conv = net_->layout().conv;
    for (size_t i = 0; i < conv.size(); ++i) {
      const int64_t steps = i == 0 && net_->layout().encode_once ? 1 : T;
      doubles += 4 * steps * conv[i].out_channels + 1;
    }
    outcome_.allreduce_bytes_per_step = averager_->bytes_per_step() + 2 * (n - 1) * doubles * 8 / n;
  }
}

void TrainingRun::restore() {
  // Checked even when the run resumes (and the weights come from its own
  // checkpoint), so that a wrong path is not silently ignored.
  if (!config_.init_checkpoint.empty()) read_checkpoint_config(config_.init_checkpoint);
  if (file_exists(latest_)) {
    const CheckpointFile saved = read_checkpoint(latest_, kCheckpointEverything);
    require_same_run(saved.config, config_, latest_);
    load_model_state(*net_, saved.model, latest_);
    load_optimizer_state(*optimizer_, *net_, saved.optimizer, latest_);
    state_ = saved.state;
    log_ = saved.log;
    scaler_.restore(state_.loss_scale, state_.loss_scale_growth);
    outcome_.resumed = true;
    // A run killed between its checkpoint and metrics.csv left the table
    // behind the checkpoint's /log: it is written again from the log.
    const std::string csv = log_.to_csv();
    if (writes() && read_text(metrics_) != csv) write_file_atomically(metrics_, csv.data(), csv.size());
  } else if (!config_.init_checkpoint.empty()) {
    load_model_state(*net_, read_checkpoint(config_.init_checkpoint, kCheckpointModel).model,
                     config_.init_checkpoint);
  }
}

void TrainingRun::load_data() {
  const auto& header = reader_.header();
  const auto division = split_train_val(reader_.meta("train"), header.class_num, config_.val_ratio);
  const auto test_rows = all_rows(reader_.meta("test"));
  // Frames stay in memory when all splits take at most half of it;
  // otherwise every batch is read from the file. On a GPU they move there
  // when they take at most half of its free memory (~1.5 GB for the real
  // set as counts), and batches are gathered on the GPU.
  const size_t needed =
      SampleStore::memory_bytes(reader_, reader_.meta("train").size() + test_rows.size());
  // (Images are always held: see SampleStore.)
  in_memory_ = !config_.stream_frames && needed <= physical_memory_bytes() / 2;
  train_set_ = std::make_unique<SampleStore>(reader_, "train", division.train, in_memory_);
  val_set_ = std::make_unique<SampleStore>(reader_, "train", division.val, in_memory_);
  test_set_ = std::make_unique<SampleStore>(reader_, "test", test_rows, in_memory_);
  if (device_.is_cuda() && in_memory_ && needed <= device_memory_bytes(device_) / 2) {
    for (SampleStore* store : {train_set_.get(), val_set_.get(), test_set_.get()})
      store->move_to(device_);
  }
  steps_per_epoch_ = static_cast<int64_t>(train_set_->size()) / config_.batch_size;
  if (steps_per_epoch_ == 0)
    throw UsageError(plifkit::quoted(config_.data_path) + ": " +
                     std::to_string(train_set_->size()) +
                     " training samples do not fill one batch of " +
                     std::to_string(config_.batch_size));
}

CheckpointFile TrainingRun::snapshot(int64_t scheduler_last_epoch) {
  state_.loss_scale = scaler_.current_scale();
  state_.loss_scale_growth = scaler_.growth_tracker();
  return snapshot_checkpoint(config_, *net_, optimizer_.get(), scheduler_last_epoch, state_, log_);
}

void TrainingRun::finish_writes() {
  if (pending_write_.valid()) pending_write_.get();
}

void TrainingRun::write_epoch_files(int64_t epoch, bool new_best) {
  if (!writes()) return;
  // The previous epoch's files are complete before this epoch's are started.
  finish_writes();
  // The scheduler has stepped once per finished epoch.
  auto write = [latest = latest_, best = best_, metrics = metrics_, new_best,
                checkpoint = snapshot(epoch + 1)] {
    if (new_best) write_checkpoint(best, checkpoint);
    write_checkpoint(latest, checkpoint);
    const std::string csv = checkpoint.log.to_csv();
    write_file_atomically(metrics, csv.data(), csv.size());
  };
  // HDF5 calls must not overlap: with batches read from the frames file the
  // files are written here and now.
  if (in_memory_)
    pending_write_ = std::async(std::launch::async, write);
  else
    write();
}

bool TrainingRun::train_steps(int64_t epoch, int64_t first_step, StepMonitor& monitor) {
  net_->train();
  const torch::Tensor order = torch::randperm(static_cast<int64_t>(train_set_->size()),
                                              stream(config_.seed, epoch, kShuffleStream));
  auto dropout = stream(config_.seed, epoch, kDropoutStream);
  // The dropout draws of the steps already done, so the generator stands
  // where the stopped run left it.
  for (int64_t step = 0; step < first_step; ++step)
    net_->draw_dropout_masks(config_.batch_size, dropout, torch::TensorOptions());
  // The next batch is assembled on another thread while this one trains;
  // batches read on the host go to the device from pinned memory.
  // A rank's slice of the global batch: samples rank*b .. rank*b+b-1.
  const int64_t b = local_batch();
  const int64_t first_sample = group_ ? group_->rank() * b : 0;
  auto load = [this, &order, epoch, b, first_sample](int64_t step) {
    const auto batch = order.narrow(0, step * config_.batch_size, config_.batch_size);
    const std::vector<int64_t> positions(batch.data_ptr<int64_t>(), batch.data_ptr<int64_t>() + batch.numel());
    const std::vector<int64_t> mine(positions.begin() + first_sample, positions.begin() + first_sample + b);
    at::Generator augment = stream(config_.seed, epoch, augment_stream_of(step));
    InputOptions input = input_options();
    if (config_.augment == Switch::on) input.augment = &augment;
    // Augmentation draws per sample in batch order: a rank draws the whole
    // batch's, so that its slice is augmented as one process would.
    const torch::Tensor frames = input.augment != nullptr && b != config_.batch_size
                                     ? network_input(*train_set_, positions, device_, input).narrow(0, first_sample, b)
                                     : network_input(*train_set_, mine, device_, input);
    return std::make_pair(frames, upload(train_set_->labels(mine), device_));
  };
  // Optimizer steps of the run before this epoch's first step.
  const int64_t steps_before_epoch = state_.train_times - first_step;
  std::future<std::pair<torch::Tensor, torch::Tensor>> next;
  if (first_step < steps_per_epoch_) next = std::async(std::launch::async, load, first_step);
  // Step metrics are read every step on the CPU, where that costs nothing,
  // and every 16 steps on a GPU, where reading waits for its queue.
  const int64_t read_interval = device_.is_cuda() ? 16 : 1;
  bool cancelled = false;
  for (int64_t step = first_step; step < steps_per_epoch_ && !cancelled; ++step) {
    auto [frames, labels] = next.get();
    if (step + 1 < steps_per_epoch_) next = std::async(std::launch::async, load, step + 1);
    const StepResult result = optimizer_step(*net_, *optimizer_, scaler_, amp_, config_, frames,
                                             labels, dropout, Execution::fused, averager_.get());
    ++state_.train_times;
    torch::Tensor loss = result.loss.detach();
    torch::Tensor correct = (predict_classes(result.counts) == labels).sum();
    cancelled = callbacks_.cancel != nullptr && callbacks_.cancel->load();
    if (group_) {
      // The global batch's loss (each rank's is over an equal slice) and
      // correct count; a stop asked of any rank stops all at this step.
      const torch::Tensor summary = torch::stack({loss.to(torch::kCPU, torch::kFloat64),
                                                  correct.to(torch::kCPU, torch::kFloat64),
                                                  torch::tensor(cancelled ? 1.0 : 0.0, torch::kFloat64)});
      group_->sum(summary, "a training step's metrics");
      loss = (summary[0] / static_cast<double>(group_->size())).to(torch::kFloat32);
      correct = summary[1].to(torch::kInt64);
      cancelled = summary[2].item<double>() > 0;
    }
    monitor.record(step, loss, correct, finite_tau_flags(learnable_taus(*net_)));
    const bool step_limit = config_.max_steps > 0 && state_.train_times >= config_.max_steps;
    if ((step + 1 - first_step) % read_interval == 0 || step + 1 == steps_per_epoch_ ||
        step_limit || cancelled) {
      const std::vector<StepValues> read = monitor.read();
      if (observer_)
        for (const StepValues& s : read)
          observer_->on_step(steps_before_epoch + s.step, s.loss,
                             static_cast<double>(s.correct) / static_cast<double>(config_.batch_size));
      if (callbacks_.on_steps)
        callbacks_.on_steps({epoch, step + 1, steps_per_epoch_,
                             monitor.loss_sum() / static_cast<double>(monitor.steps_read())});
    }
    if (step_limit) break;
  }
  if (next.valid()) next.wait();
  return cancelled;
}

void TrainingRun::stop_inside_epoch(int64_t epoch, const StepMonitor& monitor, double seconds) {
  finish_writes();
  state_.partial = {monitor.steps_read(), monitor.loss_sum(), monitor.correct(), seconds};
  // The scheduler has stepped once per finished epoch: not for this one.
  if (writes()) write_checkpoint(latest_, snapshot(epoch));
  throw Interrupted("interrupted at epoch " + std::to_string(epoch) + ", step " +
                    std::to_string(monitor.steps_read()) + " of " +
                    std::to_string(steps_per_epoch_) + "; " + plifkit::quoted(latest_) +
                    " holds it: the same command resumes from there");
}

EpochReport TrainingRun::close_epoch(int64_t epoch, double lr, const StepMonitor& monitor,
                                     double seconds) {
  EpochReport report;
  report.epoch = epoch;
  report.max_epoch = config_.max_epoch;
  const auto steps = std::max<int64_t>(monitor.steps_read(), 1);
  report.train_loss = monitor.loss_sum() / static_cast<double>(steps);
  report.train_accuracy =
      static_cast<double>(monitor.correct()) / static_cast<double>(steps * config_.batch_size);
  report.test_accuracy =
      accuracy_of(*net_, *test_set_, device_, config_.batch_size, amp_, input_options(), group_.get());
  report.val_accuracy =
      accuracy_of(*net_, *val_set_, device_, config_.batch_size, amp_, input_options(), group_.get());
  report.learning_rate = lr;
  report.seconds = seconds;

  state_.epoch = epoch;
  state_.max_test_accuracy = std::max(state_.max_test_accuracy, report.test_accuracy);
  report.new_best = report.val_accuracy >= state_.max_val_accuracy;
  if (report.new_best) {
    state_.max_val_accuracy = report.val_accuracy;
    state_.max_val_test_accuracy = report.test_accuracy;
  }
  std::vector<std::pair<std::string, double>> row = {
      {"epoch", static_cast<double>(epoch)},   {"train_loss", report.train_loss},
      {"train_accuracy", report.train_accuracy}, {"val_accuracy", report.val_accuracy},
      {"test_accuracy", report.test_accuracy}, {"learning_rate", lr},
      {"seconds", report.seconds}};
  layer_statistics(*net_, row, report.tau_mean);
  log_.append(row);
  return report;
}

TrainOutcome TrainingRun::run() {
  outcome_.first_epoch = state_.epoch + 1;
  if (observer_) observer_->on_start(outcome_.run_dir, state_, log_, steps_per_epoch_, *net_);
  for (int64_t epoch = state_.epoch + 1; epoch < config_.max_epoch; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    // A run stopped inside this epoch goes on from its next step.
    const EpochProgress resumed = state_.partial;
    state_.partial = EpochProgress{};
    const double lr = cosine_learning_rate(config_.learning_rate, epoch, config_.T_max);
    optimizer_->param_groups()[0].options().set_lr(lr);
    if (optimizer_->param_groups().size() > 1)
      optimizer_->param_groups()[1].options().set_lr(lr * config_.tau_lr_scale);

    const int64_t first_step = std::min(resumed.steps, steps_per_epoch_);
    StepMonitor monitor(epoch, guarded_layers_);
    monitor.restore(resumed.loss_sum, resumed.correct, first_step);
    const bool cancelled = train_steps(epoch, first_step, monitor);
    const double seconds = resumed.seconds + seconds_since(start);
    if (cancelled) stop_inside_epoch(epoch, monitor, seconds);
    const EpochReport report = close_epoch(epoch, lr, monitor, seconds);
    if (observer_) observer_->on_epoch(log_, state_.train_times, *net_);
    write_epoch_files(epoch, report.new_best);
    if (callbacks_.on_epoch) callbacks_.on_epoch(report);
    if (config_.max_steps > 0 && state_.train_times >= config_.max_steps) break;
  }
  finish_writes();
  outcome_.state = state_;
  return outcome_;
}

}  // namespace

TrainOutcome train(const TrainConfig& config, const TrainCallbacks& callbacks,
                   const std::optional<dist::LaunchSpec>& launch) {
  return TrainingRun(config, callbacks, launch).run();
}

}  // namespace plifkit::nn
