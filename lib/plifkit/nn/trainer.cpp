#include "plifkit/nn/trainer.hpp"

#include <sys/stat.h>

#include <chrono>
#include <cctype>
#include <cmath>
#include <cstring>
#include <cstdio>
#include <fstream>
#include <future>

#include "plifkit/core/atomic_output.hpp"
#include "plifkit/core/error.hpp"
#include "plifkit/core/progress.hpp"
#include "plifkit/core/system_memory.hpp"
#include "plifkit/frames/frames_reader.hpp"
#include "plifkit/nn/device.hpp"
#include "plifkit/nn/mixed_precision.hpp"
#include "plifkit/nn/sample_store.hpp"
#include "plifkit/nn/step_monitor.hpp"

namespace plifkit::nn {

namespace {

constexpr double kPi = 3.14159265358979323846;

bool file_exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

void make_folder(const std::string& path) {
  if (::mkdir(path.c_str(), 0777) != 0 && errno != EEXIST)
    throw IoError("cannot create folder " + plifkit::quoted(path) + ": " + std::strerror(errno));
}

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

// Accuracy of the network (evaluation mode) over every sample of a store;
// the count stays on the device until the end.
double accuracy_of(GestureNetImpl& net, const SampleStore& store, int64_t batch_size, Amp amp) {
  if (store.size() == 0) return 0.0;
  net.eval();
  torch::NoGradGuard no_grad;
  torch::Tensor correct = torch::zeros({}, torch::TensorOptions().dtype(torch::kInt64).device(store.device()));
  for (size_t first = 0; first < store.size(); first += static_cast<size_t>(batch_size)) {
    std::vector<int64_t> positions;
    for (size_t i = first; i < std::min(store.size(), first + batch_size); ++i)
      positions.push_back(static_cast<int64_t>(i));
    torch::Tensor counts;
    {
      const AutocastGuard autocast(amp);
      counts = net.forward(store.frames(positions), c10::nullopt);
    }
    correct += (predict_classes(counts) == store.labels(positions)).sum();
  }
  return static_cast<double>(correct.item<int64_t>()) / static_cast<double>(store.size());
}

// Per neuron layer: mean and std of w and tau (std 0 for a single value).
void layer_statistics(GestureNetImpl& net, std::vector<std::pair<std::string, double>>& row,
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

void write_text_atomically(const std::string& path, const std::string& text) {
  AtomicOutput out(path);
  {
    std::ofstream f(out.temp_path(), std::ios::binary);
    f << text;
    f.flush();
    if (!f) throw IoError("cannot write " + plifkit::quoted(out.temp_path()));
  }
  out.commit();
}

// Fields that define a run; a resumed run must agree on all of them.
void require_same_run(const TrainConfig& stored, const TrainConfig& asked, const std::string& path) {
  TrainConfig a = asked;
  a.max_epoch = stored.max_epoch;  // extending a run is allowed
  auto same = [](const NetworkConfig& x, const NetworkConfig& y) {
    return x.T == y.T && x.height == y.height && x.width == y.width && x.class_num == y.class_num &&
           x.channels == y.channels && x.number_layer == y.number_layer &&
           x.use_plif == y.use_plif && x.tau_per_neuron == y.tau_per_neuron &&
           x.use_max_pool == y.use_max_pool && x.detach_reset == y.detach_reset &&
           x.alpha_learnable == y.alpha_learnable && x.init_tau == y.init_tau &&
           x.tau_std_dev == y.tau_std_dev && x.tau_init == y.tau_init && x.dropout_p == y.dropout_p;
  };
  if (!same(stored.net, a.net) || stored.batch_size != a.batch_size ||
      stored.learning_rate != a.learning_rate || stored.T_max != a.T_max || stored.seed != a.seed ||
      stored.reg_lambda != a.reg_lambda || stored.reg_target != a.reg_target ||
      stored.tau_lr_scale != a.tau_lr_scale || stored.val_ratio != a.val_ratio)
    throw UsageError(plifkit::quoted(path) + " holds a run with other settings; use another --name or "
                     "--log_dir_prefix, or delete it to start over");
}

std::string lowercase(std::string s) {
  for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

// T, split_by, normalization and the dataset come from the frames file; a
// value given on the command line must agree with it.
void require_agreement(const TrainConfig& c, const frames::FramesHeader& h, const std::string& path) {
  auto disagree = [&](const std::string& what, const std::string& given, const std::string& stored) {
    throw UsageError("--" + what + " " + given + " contradicts " + plifkit::quoted(path) +
                     ", which was made with " + what + " " + stored);
  };
  if (c.net.T != 0 && c.net.T != h.T) disagree("T", std::to_string(c.net.T), std::to_string(h.T));
  if (!c.split_by.empty() && c.split_by != h.split_by) disagree("split_by", c.split_by, h.split_by);
  if (!c.normalization.empty() && lowercase(c.normalization) != h.normalization)
    disagree("normalization", c.normalization, h.normalization);
  // The seed's table spells the dataset DVSGesture; its commands DVS128Gesture.
  const std::string dataset = c.dataset == "DVSGesture" ? "DVS128Gesture" : c.dataset;
  if (!dataset.empty() && dataset != h.dataset) disagree("dataset_name", c.dataset, h.dataset);
}

// Learnable layers' names and taus, for the numerical guard.
std::vector<std::string> learnable_layer_names(GestureNetImpl& net) {
  std::vector<std::string> names;
  for (const auto& [name, layer] : net.neuron_layers())
    if (layer->learnable()) names.push_back(name);
  return names;
}

std::vector<torch::Tensor> learnable_taus(GestureNetImpl& net) {
  std::vector<torch::Tensor> taus;
  for (const auto& [name, layer] : net.neuron_layers())
    if (layer->learnable()) taus.push_back(layer->tau());
  return taus;
}

}  // namespace

double cosine_learning_rate(double base_lr, int64_t epoch, int64_t T_max) {
  return base_lr * (1.0 + std::cos(kPi * static_cast<double>(epoch) / static_cast<double>(T_max))) / 2.0;
}

torch::Tensor training_loss(const torch::Tensor& counts, const torch::Tensor& labels,
                            GestureNetImpl& net, const TrainConfig& config) {
  const auto one_hot = torch::one_hot(labels, config.net.class_num).to(counts.scalar_type());
  torch::Tensor loss = torch::mse_loss(counts / static_cast<double>(config.net.T), one_hot);
  if (config.net.tau_per_neuron && config.reg_lambda != 0.0) {
    for (const auto& [name, layer] : net.neuron_layers()) {
      if (!layer->learnable()) continue;
      const torch::Tensor target = config.reg_target == "tau" ? layer->tau() : layer->w();
      loss = loss + config.reg_lambda * target.var(/*unbiased=*/true);
    }
  }
  return loss;
}

void validate(const TrainConfig& c) {
  validate(c.net);
  if (c.batch_size < 1) throw UsageError("batch_size must be >= 1");
  if (!(c.learning_rate > 0)) throw UsageError("learning_rate must be > 0");
  if (c.T_max < 1) throw UsageError("T_max must be >= 1");
  if (c.max_epoch < 1) throw UsageError("max_epoch must be >= 1");
  if (c.reg_target != "w" && c.reg_target != "tau")
    throw UsageError("reg_target must be w or tau, got '" + c.reg_target + "'");
  if (!(c.val_ratio >= 0 && c.val_ratio < 1)) throw UsageError("val_ratio must be in [0, 1)");
  if (!(c.tau_lr_scale >= 0)) throw UsageError("tau_lr_scale must be >= 0");
  if (c.max_steps < 0) throw UsageError("max_steps must be >= 0");
  if (c.reg_lambda != 0 && !c.net.tau_per_neuron)
    throw UsageError("reg_lambda needs tau_per_neuron (the variance of one tau per layer is 0)");
}

std::string default_run_name(const TrainConfig& c) {
  std::ostringstream s;
  s << c.dataset << "_init_tau_" << c.net.init_tau << "_use_plif_" << (c.net.use_plif ? "True" : "False")
    << "_T_" << c.net.T << "_c_" << c.net.channels << "_n_" << c.net.number_layer << "_split_by_"
    << c.split_by << "_normalization_" << c.normalization << "_max_pool_"
    << (c.net.use_max_pool ? "True" : "False") << "_detach_reset_"
    << (c.net.detach_reset ? "True" : "False");
  if (c.net.alpha_learnable) s << "_alpha_learnable";
  if (c.net.tau_per_neuron) s << "_tau_per_neuron_std_" << c.net.tau_std_dev << "_reg_" << c.reg_lambda;
  s << "_seed_" << c.seed;
  return s.str();
}

TrainOutcome train(TrainConfig config, const std::function<void(const EpochReport&)>& on_epoch) {
  const torch::Device device = resolve_device(config.device);
  const Amp amp = parse_amp(config.amp);
  if (amp != Amp::off && !device.is_cuda())
    throw UsageError("--amp " + config.amp + " needs a CUDA device (--device cuda)");
  const frames::FramesReader reader(config.data_path);
  const auto& header = reader.header();
  require_agreement(config, header, config.data_path);
  config.dataset = header.dataset;
  config.split_by = header.split_by;
  config.normalization = header.normalization;
  config.net.T = header.T;
  config.net.height = header.height;
  config.net.width = header.width;
  config.net.class_num = header.class_num;
  validate(config);

  TrainOutcome outcome;
  make_folder(config.log_dir_prefix);
  outcome.run_dir = config.log_dir_prefix + "/" + (config.name.empty() ? default_run_name(config) : config.name);
  make_folder(outcome.run_dir);
  const std::string latest = outcome.run_dir + "/checkpoint.h5";
  const std::string best = outcome.run_dir + "/checkpoint_max.h5";
  const std::string metrics = outcome.run_dir + "/metrics.csv";

  // Weights are drawn on the CPU from the global generator seeded here, in
  // module order, then moved: every device starts from the same network.
  torch::manual_seed(static_cast<uint64_t>(config.seed));
  GestureNet net(config.net);
  net->to(device);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(net->other_parameters(),
                      std::make_unique<torch::optim::AdamOptions>(config.learning_rate));
  if (!net->decay_parameters().empty())
    groups.emplace_back(net->decay_parameters(), std::make_unique<torch::optim::AdamOptions>(
                                                     config.learning_rate * config.tau_lr_scale));
  torch::optim::Adam optimizer(std::move(groups), torch::optim::AdamOptions(config.learning_rate)
                                                      .betas({0.9, 0.999})
                                                      .eps(1e-8));
  LossScaler scaler(amp == Amp::fp16, device);
  TrainState state;
  MetricsLog log;
  if (file_exists(latest)) {
    Checkpoint saved = load_checkpoint(latest);
    require_same_run(saved.config, config, latest);
    load_model_state(*net, saved.model, latest);
    load_optimizer_state(optimizer, *net, saved.optimizer, latest);
    state = saved.state;
    log = saved.log;
    scaler.restore(state.loss_scale, state.loss_scale_growth);
    outcome.resumed = true;
  } else if (!config.init_checkpoint.empty()) {
    load_model_state(*net, load_checkpoint(config.init_checkpoint).model, config.init_checkpoint);
  }

  const auto division = split_train_val(reader.meta("train"), header.class_num, config.val_ratio);
  const auto test_rows = all_rows(reader.meta("test"));
  // Frames stay in memory when all splits take at most half of it;
  // otherwise every batch is read from the file. On a GPU they move there
  // when they take at most half of its free memory (~1.5 GB for the real
  // set as counts), and batches are gathered on the GPU.
  const size_t needed = SampleStore::memory_bytes(reader, reader.meta("train").size() + test_rows.size());
  const bool in_memory = config.frames_in_memory && needed <= physical_memory_bytes() / 2;
  SampleStore train_set(reader, "train", division.train, in_memory);
  SampleStore val_set(reader, "train", division.val, in_memory);
  SampleStore test_set(reader, "test", test_rows, in_memory);
  if (device.is_cuda() && in_memory && needed <= device_memory_bytes(device) / 2) {
    for (SampleStore* store : {&train_set, &val_set, &test_set}) store->move_to(device);
  }
  const int64_t steps_per_epoch = static_cast<int64_t>(train_set.size()) / config.batch_size;
  if (steps_per_epoch == 0)
    throw UsageError(plifkit::quoted(config.data_path) + ": " + std::to_string(train_set.size()) +
                     " training samples do not fill one batch of " +
                     std::to_string(config.batch_size));

  const std::vector<std::string> guarded_layers = learnable_layer_names(*net);
  // The step's numbers are read every step on the CPU, where that costs
  // nothing, and every 16 steps on a GPU, where reading waits for its queue.
  const int64_t read_interval = device.is_cuda() ? 16 : 1;
  // Checkpoints are written on another thread while training goes on, except
  // when batches are read from the frames file: HDF5 calls must not overlap.
  const bool write_in_background = in_memory;
  std::future<void> pending_write;
  auto finish_write = [&] {
    if (pending_write.valid()) pending_write.get();
  };
  auto snapshot = [&](int64_t scheduler_last_epoch) {
    state.loss_scale = scaler.current_scale();
    state.loss_scale_growth = scaler.growth_tracker();
    return snapshot_checkpoint(config, *net, &optimizer, scheduler_last_epoch, state, log);
  };

  outcome.first_epoch = state.epoch + 1;
  for (int64_t epoch = state.epoch + 1; epoch < config.max_epoch; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    // A run interrupted inside this epoch goes on from its next step.
    const EpochProgress resumed = state.partial;
    state.partial = EpochProgress{};
    const double lr = cosine_learning_rate(config.learning_rate, epoch, config.T_max);
    optimizer.param_groups()[0].options().set_lr(lr);
    if (optimizer.param_groups().size() > 1)
      optimizer.param_groups()[1].options().set_lr(lr * config.tau_lr_scale);

    net->train();
    const torch::Tensor order =
        torch::randperm(static_cast<int64_t>(train_set.size()), stream(config.seed, epoch, kShuffleStream));
    auto dropout = stream(config.seed, epoch, kDropoutStream);
    // The dropout draws of the steps already done, so the generator stands
    // where the interrupted run left it.
    for (int64_t step = 0; step < resumed.steps; ++step)
      net->draw_dropout_masks(config.batch_size, dropout, torch::TensorOptions());
    auto batch_positions = [&](int64_t step) {
      const auto slice = order.narrow(0, step * config.batch_size, config.batch_size);
      return std::vector<int64_t>(slice.data_ptr<int64_t>(), slice.data_ptr<int64_t>() + slice.numel());
    };
    // The next batch is assembled on another thread while this one trains;
    // batches read on the host go to the device from pinned memory.
    auto load = [&](int64_t step) {
      const auto p = batch_positions(step);
      torch::Tensor frames = train_set.frames(p);
      if (frames.device() != device) frames = frames.pin_memory().to(device, /*non_blocking=*/true);
      return std::make_pair(frames, train_set.labels(p).to(device));
    };
    const int64_t first_step = std::min(resumed.steps, steps_per_epoch);
    std::future<std::pair<torch::Tensor, torch::Tensor>> next;
    if (first_step < steps_per_epoch) next = std::async(std::launch::async, load, first_step);
    Progress progress("epoch " + std::to_string(epoch) + " batches", static_cast<uint64_t>(steps_per_epoch),
                      progress_wanted(config.quiet));
    StepMonitor monitor(epoch, guarded_layers);
    monitor.restore(resumed.loss_sum, resumed.correct, first_step);
    auto seconds_so_far = [&] {
      return resumed.seconds +
             std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    };
    for (int64_t step = first_step; step < steps_per_epoch; ++step) {
      auto [frames, labels] = next.get();
      if (step + 1 < steps_per_epoch) next = std::async(std::launch::async, load, step + 1);
      torch::Tensor counts, loss;
      {
        const AutocastGuard autocast(amp);
        counts = net->forward(frames, dropout);
        loss = training_loss(counts, labels, *net, config);
      }
      optimizer.zero_grad();
      scaler.scale(loss).backward();
      if (scaler.unscale(net->parameters())) optimizer.step();
      scaler.update();
      ++state.train_times;
      monitor.record(step, loss, (predict_classes(counts) == labels).sum(),
                     finite_tau_flags(learnable_taus(*net)));
      const bool step_limit = config.max_steps > 0 && state.train_times >= config.max_steps;
      const bool interrupted = config.cancel != nullptr && config.cancel->load();
      if ((step + 1 - first_step) % read_interval == 0 || step + 1 == steps_per_epoch ||
          step_limit || interrupted) {
        monitor.read();
        char detail[64];
        std::snprintf(detail, sizeof detail, "loss %.4f",
                      monitor.loss_sum() / static_cast<double>(monitor.steps_read()));
        progress.update(static_cast<uint64_t>(step + 1), detail);
      }
      if (interrupted) {
        if (next.valid()) next.wait();
        progress.finish();
        finish_write();
        state.partial = {step + 1, monitor.loss_sum(), monitor.correct(), seconds_so_far()};
        // The scheduler has stepped once per finished epoch.
        write_checkpoint(latest, snapshot(epoch));
        throw Interrupted("interrupted at epoch " + std::to_string(epoch) + ", step " +
                          std::to_string(step + 1) + " of " + std::to_string(steps_per_epoch) +
                          "; " + plifkit::quoted(latest) +
                          " holds it: the same command resumes from there");
      }
      if (step_limit) break;
    }
    if (next.valid()) next.wait();
    progress.finish();

    EpochReport report;
    report.epoch = epoch;
    report.max_epoch = config.max_epoch;
    const auto steps = std::max<int64_t>(monitor.steps_read(), 1);
    report.train_loss = monitor.loss_sum() / static_cast<double>(steps);
    report.train_accuracy =
        static_cast<double>(monitor.correct()) / static_cast<double>(steps * config.batch_size);
    report.test_accuracy = accuracy_of(*net, test_set, config.batch_size, amp);
    report.val_accuracy = accuracy_of(*net, val_set, config.batch_size, amp);
    report.learning_rate = lr;
    report.seconds = seconds_so_far();

    state.epoch = epoch;
    state.max_test_accuracy = std::max(state.max_test_accuracy, report.test_accuracy);
    report.new_best = report.val_accuracy >= state.max_val_accuracy;
    if (report.new_best) {
      state.max_val_accuracy = report.val_accuracy;
      state.max_val_test_accuracy = report.test_accuracy;
    }
    std::vector<std::pair<std::string, double>> row = {
        {"epoch", static_cast<double>(epoch)},   {"train_loss", report.train_loss},
        {"train_accuracy", report.train_accuracy}, {"val_accuracy", report.val_accuracy},
        {"test_accuracy", report.test_accuracy}, {"learning_rate", lr},
        {"seconds", report.seconds}};
    layer_statistics(*net, row, report.tau_mean);
    log.append(row);

    // The scheduler has stepped once per finished epoch. The previous
    // epoch's files are complete before this epoch's are started.
    finish_write();
    auto write = [latest, best, metrics, new_best = report.new_best,
                  checkpoint = snapshot(epoch + 1)] {
      if (new_best) write_checkpoint(best, checkpoint);
      write_checkpoint(latest, checkpoint);
      write_text_atomically(metrics, checkpoint.log.to_csv());
    };
    if (write_in_background)
      pending_write = std::async(std::launch::async, write);
    else
      write();
    on_epoch(report);
    if (config.max_steps > 0 && state.train_times >= config.max_steps) break;
  }
  finish_write();
  outcome.state = state;
  return outcome;
}

}  // namespace plifkit::nn
