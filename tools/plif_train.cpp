// plif-train: trains the PLIF gesture network on a frames file. Its options
// are the settings table (config/run_settings.hpp): every argument of the
// reference study's train_val.py (same names and defaults, also with a
// single dash) plus plifkit's own.
#include <cstdio>
#include <optional>

#include "cli.hpp"
#include "plifkit/config/run_settings.hpp"
#include "plifkit/core/progress.hpp"
#include "plifkit/nn/runtime.hpp"
#include "plifkit/nn/trainer.hpp"

namespace {

using plifkit::Setting;
using plifkit::SettingSource;
using plifkit::SettingType;
using plifkit::TrainConfig;

cxxopts::Options make_options() {
  cxxopts::Options o("plif-train",
                     "Train a PLIF spiking network on a frames file (aedat2frames output): PlifNet,\n"
                     "built as the reference's network for the file's dataset (its registry row;\n"
                     "aedat2frames --list-datasets).");
  o.positional_help("--data FRAMES.h5 --init_tau 2.0 --max_epoch N [options]");
  const TrainConfig defaults;
  for (const Setting& s : plifkit::run_settings()) {
    if (s.source == SettingSource::frames_only) continue;
    auto add = o.add_options(s.reference ? "Reference arguments (train_val.py)" : "plifkit");
    if (s.type == SettingType::flag) {
      add(s.name, s.help);
      continue;
    }
    const std::string shown = plifkit::to_text(s.get(defaults));
    auto value = cxxopts::value<std::string>();
    // Required settings and those the frames file decides have no default.
    if (!s.required && s.source == SettingSource::option && !shown.empty()) value->default_value(shown);
    const char* note = s.required                           ? " (required)"
                       : s.source == SettingSource::frames ? " (default: as in the frames file)"
                                                          : "";
    add(s.name, s.help + note, value);
  }
  o.add_options("distributed (one run over several processes; README, docs/training.md)")
      ("dist-url", "tcp://HOST:PORT of rank 0, with --rank and --world-size (without: torchrun's "
                   "RANK/WORLD_SIZE/MASTER_ADDR/MASTER_PORT or srun's SLURM_PROCID/SLURM_STEP_NUM_TASKS)",
       cxxopts::value<std::string>())
      ("rank", "this process's rank, with --dist-url", cxxopts::value<int>())
      ("world-size", "the number of processes, with --dist-url", cxxopts::value<int>())
      ("dist-backend", "gloo or nccl (default: gloo on CPUs, nccl on GPUs)", cxxopts::value<std::string>())
      ("dist-timeout", "seconds a rank waits for the others before the run fails",
       cxxopts::value<double>()->default_value("600"));
  plifkit::cli::add_common_options(o, {true, false, false});
  return o;
}

TrainConfig to_config(const cxxopts::ParseResult& r) {
  TrainConfig config;
  for (const Setting& s : plifkit::run_settings()) {
    if (s.source == SettingSource::frames_only) continue;
    if (r.count(s.name) == 0) {
      if (s.required) throw plifkit::SettingError(s.name, "is required");
      continue;  // the default
    }
    const std::string text = s.type == SettingType::flag ? "" : r[s.name].as<std::string>();
    s.set(config, plifkit::parse_text(s, text));
  }
  return config;
}

plifkit::dist::LaunchOptions launch_options(const cxxopts::ParseResult& r) {
  plifkit::dist::LaunchOptions o;
  if (r.count("dist-url")) o.dist_url = r["dist-url"].as<std::string>();
  if (r.count("rank")) o.rank = r["rank"].as<int>();
  if (r.count("world-size")) o.world_size = r["world-size"].as<int>();
  if (r.count("dist-backend"))
    o.backend = plifkit::parse_choice<plifkit::dist::Backend>("dist-backend", r["dist-backend"].as<std::string>());
  o.timeout_seconds = r["dist-timeout"].as<double>();
  return o;
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
    const TrainConfig config = to_config(r);
    const auto launch = plifkit::dist::launch_spec(launch_options(r), plifkit::dist::process_environment());
    // In a data-parallel run rank 0 reports for all.
    const bool reports = !launch || launch->rank == 0;
    const bool quiet = r.count("quiet") != 0 || !reports;
    plifkit::nn::set_up_runtime(plifkit::cli::thread_count(r), plifkit::nn::MemoryUse::repeated_steps);
    const std::string blas_note = plifkit::nn::blas_advice();
    if (!quiet && !blas_note.empty()) std::fprintf(stderr, "plif-train: note: %s\n", blas_note.c_str());

    // One progress line per epoch's steps, replaced by the epoch's line.
    std::optional<plifkit::Progress> progress;
    plifkit::nn::TrainCallbacks callbacks;
    callbacks.on_steps = [&](const plifkit::nn::StepProgress& p) {
      if (!progress)
        progress.emplace("epoch " + std::to_string(p.epoch) + " batches",
                         static_cast<uint64_t>(p.steps_total), plifkit::progress_wanted(quiet));
      char detail[32];
      std::snprintf(detail, sizeof detail, "loss %.4f", p.mean_loss);
      progress->update(static_cast<uint64_t>(p.steps_done), detail);
      if (p.steps_done == p.steps_total) progress.reset();
    };
    callbacks.on_epoch = [&](const plifkit::nn::EpochReport& e) {
      if (!quiet) print_epoch(e);
    };
    // Ctrl-C or SIGTERM: the current step finishes, a checkpoint is written,
    // exit 130; the same command resumes.
    callbacks.cancel = plifkit::cli::stop_on_interrupt();
    const auto outcome = plifkit::nn::train(config, callbacks, launch);
    if (!reports) return plifkit::cli::kExitOk;
    std::printf("run %s\nepochs %lld  steps %lld  max val accuracy %.4f (test %.4f there)  max test accuracy %.4f\n",
                outcome.run_dir.c_str(), static_cast<long long>(outcome.state.epoch + 1),
                static_cast<long long>(outcome.state.train_times), outcome.state.max_val_accuracy,
                outcome.state.max_val_test_accuracy, outcome.state.max_test_accuracy);
    if (launch)
      std::printf("ranks %d (data-parallel, started by %s), %.2f MB sent per rank and step\n", launch->world_size,
                  launch->launcher, static_cast<double>(outcome.allreduce_bytes_per_step) / 1e6);
    return plifkit::cli::kExitOk;
  });
}
