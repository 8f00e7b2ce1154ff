// plif-train: trains the PLIF gesture network on a frames file. Accepts every
// argument of the reference study's train_val.py (same names and defaults,
// also with a single dash) plus plifkit's own options.
#include <cmath>
#include <cstdio>

#include <ATen/Parallel.h>

#include "cli.hpp"
#include "plifkit/core/progress.hpp"
#include "plifkit/nn/cpu/caching_allocator.hpp"
#include "plifkit/nn/trainer.hpp"

namespace {

using plifkit::nn::TrainConfig;

cxxopts::Options make_options() {
  cxxopts::Options o("plif-train", "Train a PLIF spiking network on a frames file (aedat2frames output).");
  o.positional_help("--data FRAMES.h5 --init_tau 2.0 --max_epoch N [options]");
  o.add_options("Reference arguments (train_val.py)")
    ("init_tau", "tau of LIF neurons, tau_0 of PLIF neurons (mean of the per-neuron init)", cxxopts::value<double>())
    ("batch_size", "training batch size", cxxopts::value<int64_t>()->default_value("16"))
    ("learning_rate", "Adam learning rate", cxxopts::value<double>()->default_value("1e-3"))
    ("T_max", "period of the cosine learning-rate schedule, epochs", cxxopts::value<int64_t>()->default_value("64"))
    ("use_plif", "PLIF neurons (learnable tau); LIF otherwise")
    ("alpha_learnable", "learnable alpha of the ATan surrogate")
    ("use_max_pool", "max pooling (average pooling otherwise)")
    ("device", "cpu, cuda or cuda:N (CUDA needs a build against a CUDA LibTorch)", cxxopts::value<std::string>()->default_value("cpu"))
    ("dataset_name", "dataset; must match the frames file (DVS128Gesture)", cxxopts::value<std::string>()->default_value(""))
    ("log_dir_prefix", "folder that receives the run folder", cxxopts::value<std::string>()->default_value("runs"))
    ("T", "time steps; must match the frames file", cxxopts::value<int64_t>()->default_value("0"))
    ("channels", "channels of the conv layers", cxxopts::value<int64_t>()->default_value("128"))
    ("number_layer", "number of conv blocks", cxxopts::value<int64_t>()->default_value("5"))
    ("split_by", "number or time; must match the frames file", cxxopts::value<std::string>()->default_value(""))
    ("normalization", "frame normalisation; must match the frames file", cxxopts::value<std::string>()->default_value(""))
    ("max_epoch", "epochs to train", cxxopts::value<int64_t>())
    ("detach_reset", "cut the gradient through the reset")
    ("tau_per_neuron", "one learnable tau per neuron (else one per layer)")
    ("tau_std_dev", "std of the per-neuron initial tau", cxxopts::value<double>()->default_value("0"))
    ("reg_lambda", "weight of the variance regulariser per PLIF layer", cxxopts::value<double>()->default_value("0"))
    ("seed", "random seed", cxxopts::value<int64_t>()->default_value("2020"));
  o.add_options("plifkit")
    ("data", "frames file (replaces the dataset folder)", cxxopts::value<std::string>())
    ("name", "run folder name (default: derived from the arguments)", cxxopts::value<std::string>()->default_value(""))
    ("dropout_p", "dropout probability", cxxopts::value<double>()->default_value("0.5"))
    ("tau_init", "lognormal (reference code) or shifted (1 + LogNormal, thesis text)", cxxopts::value<std::string>()->default_value("lognormal"))
    ("reg_target", "w (reference code) or tau (thesis text)", cxxopts::value<std::string>()->default_value("w"))
    ("tau_lr_scale", "learning-rate factor for the w parameters", cxxopts::value<double>()->default_value("1"))
    ("val_ratio", "share of each class of the train split used for validation", cxxopts::value<double>()->default_value("0.15"))
    ("max_steps", "stop after this many optimizer steps (0: no limit)", cxxopts::value<int64_t>()->default_value("0"))
    ("amp", "mixed precision on CUDA for convolutions and linear layers: off, bf16 or fp16", cxxopts::value<std::string>()->default_value("off"))
    ("init_checkpoint", "start from this checkpoint's model weights", cxxopts::value<std::string>()->default_value(""))
    ("stream_frames", "read every batch from the frames file instead of holding the frames in memory (automatic when they need more than half of it)")
    ("tensorboard", "TensorBoard event files in the run folder, with the reference's tags: on or off", cxxopts::value<std::string>()->default_value("on"));
  plifkit::cli::add_common_options(o, {true, false, false});
  return o;
}

template <typename T>
T required(const cxxopts::ParseResult& r, const char* name) {
  if (r.count(name) == 0) plifkit::cli::usage_error(std::string("--") + name + " is required");
  return r[name].as<T>();
}

TrainConfig to_config(const cxxopts::ParseResult& r) {
  TrainConfig c;
  c.data_path = required<std::string>(r, "data");
  c.net.init_tau = required<double>(r, "init_tau");
  c.max_epoch = required<int64_t>(r, "max_epoch");
  c.batch_size = r["batch_size"].as<int64_t>();
  c.learning_rate = r["learning_rate"].as<double>();
  c.T_max = r["T_max"].as<int64_t>();
  c.net.use_plif = r.count("use_plif") != 0;
  c.net.alpha_learnable = r.count("alpha_learnable") != 0;
  c.net.use_max_pool = r.count("use_max_pool") != 0;
  c.device = r["device"].as<std::string>();
  c.amp = r["amp"].as<std::string>();
  c.dataset = r["dataset_name"].as<std::string>();
  c.log_dir_prefix = r["log_dir_prefix"].as<std::string>();
  c.net.T = r["T"].as<int64_t>();
  c.net.channels = r["channels"].as<int64_t>();
  c.net.number_layer = r["number_layer"].as<int64_t>();
  c.split_by = r["split_by"].as<std::string>();
  c.normalization = r["normalization"].as<std::string>();
  c.net.detach_reset = r.count("detach_reset") != 0;
  c.net.tau_per_neuron = r.count("tau_per_neuron") != 0;
  c.net.tau_std_dev = r["tau_std_dev"].as<double>();
  c.reg_lambda = r["reg_lambda"].as<double>();
  c.seed = r["seed"].as<int64_t>();
  c.name = r["name"].as<std::string>();
  c.net.dropout_p = r["dropout_p"].as<double>();
  c.net.tau_init = r["tau_init"].as<std::string>();
  c.reg_target = r["reg_target"].as<std::string>();
  c.tau_lr_scale = r["tau_lr_scale"].as<double>();
  c.val_ratio = r["val_ratio"].as<double>();
  c.max_steps = r["max_steps"].as<int64_t>();
  c.init_checkpoint = r["init_checkpoint"].as<std::string>();
  c.quiet = r.count("quiet") != 0;
  c.frames_in_memory = r.count("stream_frames") == 0;
  const std::string tensorboard = r["tensorboard"].as<std::string>();
  if (tensorboard != "on" && tensorboard != "off")
    plifkit::cli::usage_error("--tensorboard must be on or off, got '" + tensorboard + "'");
  c.tensorboard = tensorboard == "on";
  return c;
}

void print_epoch(const plifkit::nn::EpochReport& e) {
  std::string taus;
  char buf[32];
  for (double t : e.tau_mean) {
    std::snprintf(buf, sizeof buf, "%s%.3f", taus.empty() ? "" : " ", t);
    taus += buf;
  }
  std::fprintf(stderr,
               "epoch %lld/%lld  loss %.5f  train %.4f  val %.4f  test %.4f  lr %.3g  tau [%s]  %s%s\n",
               static_cast<long long>(e.epoch), static_cast<long long>(e.max_epoch - 1), e.train_loss,
               e.train_accuracy, e.val_accuracy, e.test_accuracy, e.learning_rate, taus.c_str(),
               plifkit::format_duration(e.seconds).c_str(), e.new_best ? "  (best val)" : "");
}

}  // namespace

int main(int argc, char** argv) {
  return plifkit::cli::run("plif-train", [&] {
    auto options = make_options();
    cxxopts::ParseResult r;
    if (!plifkit::cli::parse(options, argc, argv, r)) return plifkit::cli::kExitOk;
    TrainConfig config = to_config(r);
    // Ctrl-C or SIGTERM: the current step finishes, a checkpoint is written,
    // exit 130; the same command resumes.
    config.cancel = plifkit::cli::stop_on_interrupt();
    at::set_num_threads(plifkit::cli::thread_count(r));
    plifkit::nn::cpu::install_caching_allocator(plifkit::nn::cpu::default_cache_limit());
    const auto outcome = plifkit::nn::train(config, [&](const plifkit::nn::EpochReport& e) {
      if (!config.quiet) print_epoch(e);
    });
    std::printf("run %s\nepochs %lld  steps %lld  max val accuracy %.4f (test %.4f there)  max test accuracy %.4f\n",
                outcome.run_dir.c_str(), static_cast<long long>(outcome.state.epoch + 1),
                static_cast<long long>(outcome.state.train_times), outcome.state.max_val_accuracy,
                outcome.state.max_val_test_accuracy, outcome.state.max_test_accuracy);
    return plifkit::cli::kExitOk;
  });
}
