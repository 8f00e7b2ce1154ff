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
#include "plifkit/nn/sample_store.hpp"

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

// Accuracy of the network (evaluation mode) over every sample of a store.
double evaluate(GestureNetImpl& net, const SampleStore& store, int64_t batch_size) {
  if (store.size() == 0) return 0.0;
  net.eval();
  torch::NoGradGuard no_grad;
  int64_t correct = 0;
  for (size_t first = 0; first < store.size(); first += static_cast<size_t>(batch_size)) {
    std::vector<int64_t> positions;
    for (size_t i = first; i < std::min(store.size(), first + batch_size); ++i)
      positions.push_back(static_cast<int64_t>(i));
    const auto counts = net.forward(store.frames(positions), c10::nullopt);
    correct += (predict_classes(counts) == store.labels(positions)).sum().item<int64_t>();
  }
  return static_cast<double>(correct) / static_cast<double>(store.size());
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

// A tau that is not finite (w ran to -inf or NaN) stops training before
// anything is saved, naming where it happened.
void require_finite_taus(GestureNetImpl& net, int64_t epoch, int64_t step) {
  torch::NoGradGuard no_grad;
  for (const auto& [name, layer] : net.neuron_layers()) {
    if (!layer->learnable()) continue;
    if (!torch::isfinite(layer->tau()).all().item<bool>())
      throw Error("training diverged: tau of layer " + name + " (" + name +
                  ".w) is not finite after epoch " + std::to_string(epoch) + ", step " +
                  std::to_string(step) + "; the last good checkpoint is kept");
  }
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
  if (config.device != "cpu")
    throw DeviceError("device '" + config.device + "' is not available: this build trains on the "
                      "CPU only (CUDA training is not built in)");
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

  // Weights are drawn from the global generator seeded here, in module order.
  torch::manual_seed(static_cast<uint64_t>(config.seed));
  GestureNet net(config.net);
  std::vector<torch::optim::OptimizerParamGroup> groups;
  groups.emplace_back(net->other_parameters(),
                      std::make_unique<torch::optim::AdamOptions>(config.learning_rate));
  if (!net->decay_parameters().empty())
    groups.emplace_back(net->decay_parameters(), std::make_unique<torch::optim::AdamOptions>(
                                                     config.learning_rate * config.tau_lr_scale));
  torch::optim::Adam optimizer(std::move(groups), torch::optim::AdamOptions(config.learning_rate)
                                                      .betas({0.9, 0.999})
                                                      .eps(1e-8));
  TrainState state;
  MetricsLog log;
  if (file_exists(latest)) {
    Checkpoint saved = load_checkpoint(latest);
    require_same_run(saved.config, config, latest);
    load_model_state(*net, saved.model, latest);
    load_optimizer_state(optimizer, *net, saved.optimizer, latest);
    state = saved.state;
    log = saved.log;
    outcome.resumed = true;
  } else if (!config.init_checkpoint.empty()) {
    load_model_state(*net, load_checkpoint(config.init_checkpoint).model, config.init_checkpoint);
  }

  const auto division = split_train_val(reader.meta("train"), header.class_num, config.val_ratio);
  const auto test_rows = all_rows(reader.meta("test"));
  // Frames stay in memory when all splits take at most half of it;
  // otherwise every batch is read from the file.
  const size_t needed = SampleStore::memory_bytes(reader, reader.meta("train").size() + test_rows.size());
  const bool in_memory = config.frames_in_memory && needed <= physical_memory_bytes() / 2;
  const SampleStore train_set(reader, "train", division.train, in_memory);
  const SampleStore val_set(reader, "train", division.val, in_memory);
  const SampleStore test_set(reader, "test", test_rows, in_memory);
  const int64_t steps_per_epoch = static_cast<int64_t>(train_set.size()) / config.batch_size;
  if (steps_per_epoch == 0)
    throw UsageError(plifkit::quoted(config.data_path) + ": " + std::to_string(train_set.size()) +
                     " training samples do not fill one batch of " +
                     std::to_string(config.batch_size));

  outcome.first_epoch = state.epoch + 1;
  for (int64_t epoch = state.epoch + 1; epoch < config.max_epoch; ++epoch) {
    const auto start = std::chrono::steady_clock::now();
    const double lr = cosine_learning_rate(config.learning_rate, epoch, config.T_max);
    optimizer.param_groups()[0].options().set_lr(lr);
    if (optimizer.param_groups().size() > 1)
      optimizer.param_groups()[1].options().set_lr(lr * config.tau_lr_scale);

    net->train();
    const torch::Tensor order =
        torch::randperm(static_cast<int64_t>(train_set.size()), stream(config.seed, epoch, kShuffleStream));
    auto dropout = stream(config.seed, epoch, kDropoutStream);
    auto batch_positions = [&](int64_t step) {
      const auto slice = order.narrow(0, step * config.batch_size, config.batch_size);
      return std::vector<int64_t>(slice.data_ptr<int64_t>(), slice.data_ptr<int64_t>() + slice.numel());
    };
    // The next batch is assembled on another thread while this one trains.
    auto load = [&](int64_t step) {
      const auto p = batch_positions(step);
      return std::make_pair(train_set.frames(p), train_set.labels(p));
    };
    auto next = std::async(std::launch::async, load, 0);
    Progress progress("epoch " + std::to_string(epoch) + " batches", static_cast<uint64_t>(steps_per_epoch),
                      progress_wanted(config.quiet));
    double loss_sum = 0;
    int64_t correct = 0, seen = 0, steps = 0;
    for (int64_t step = 0; step < steps_per_epoch; ++step) {
      auto [frames, labels] = next.get();
      if (step + 1 < steps_per_epoch) next = std::async(std::launch::async, load, step + 1);
      const torch::Tensor counts = net->forward(frames, dropout);
      const torch::Tensor loss = training_loss(counts, labels, *net, config);
      const double loss_value = loss.item<double>();
      if (!std::isfinite(loss_value))
        throw Error("training diverged: the loss is " + std::to_string(loss_value) + " at epoch " +
                    std::to_string(epoch) + ", step " + std::to_string(step) +
                    "; the last good checkpoint is kept");
      optimizer.zero_grad();
      loss.backward();
      optimizer.step();
      require_finite_taus(*net, epoch, step);
      ++state.train_times;
      ++steps;
      loss_sum += loss_value;
      correct += (predict_classes(counts) == labels).sum().item<int64_t>();
      seen += labels.numel();
      char detail[64];
      std::snprintf(detail, sizeof detail, "loss %.4f", loss_sum / static_cast<double>(steps));
      progress.update(static_cast<uint64_t>(step + 1), detail);
      if (config.max_steps > 0 && state.train_times >= config.max_steps) break;
    }
    if (next.valid()) next.wait();
    progress.finish();

    EpochReport report;
    report.epoch = epoch;
    report.max_epoch = config.max_epoch;
    report.train_loss = loss_sum / static_cast<double>(steps);
    report.train_accuracy = static_cast<double>(correct) / static_cast<double>(seen);
    report.test_accuracy = evaluate(*net, test_set, config.batch_size);
    report.val_accuracy = evaluate(*net, val_set, config.batch_size);
    report.learning_rate = lr;
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

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

    // The scheduler has stepped once per finished epoch.
    if (report.new_best) save_checkpoint(best, config, *net, &optimizer, epoch + 1, state, log);
    save_checkpoint(latest, config, *net, &optimizer, epoch + 1, state, log);
    write_text_atomically(metrics, log.to_csv());
    on_epoch(report);
    if (config.max_steps > 0 && state.train_times >= config.max_steps) break;
  }
  outcome.state = state;
  return outcome;
}

}  // namespace plifkit::nn
