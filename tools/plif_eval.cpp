// plif-eval CHECKPOINT FRAMES: accuracy, per-class accuracy, confusion
// matrix, the early-decision curve and firing rates of a trained network on a
// split of a frames file; optionally the evaluation file of formats.md
// section 3.
#include <cstdio>
#include <optional>

#include "cli.hpp"
#include "plifkit/analysis/eval_file.hpp"
#include "plifkit/analysis/eval_report.hpp"
#include "plifkit/core/atomic_output.hpp"
#include "plifkit/core/progress.hpp"
#include "plifkit/nn/evaluate.hpp"
#include "plifkit/nn/runtime.hpp"
#include "plifkit/tensorboard/evaluation_log.hpp"

using namespace plifkit;

namespace {

cxxopts::Options make_options() {
  cxxopts::Options o(
      "plif-eval",
      "Evaluates a checkpoint (plif-train) on a frames file (aedat2frames): the network is\n"
      "rebuilt from the checkpoint alone and run in evaluation mode. Prints accuracy,\n"
      "per-class accuracy, the confusion matrix, firing rates and synaptic operations\n"
      "to stdout (progress on stderr when it is a terminal).\n");
  o.positional_help("CHECKPOINT FRAMES");
  o.add_options()
    ("checkpoint", "checkpoint file (plif-train)", cxxopts::value<std::string>())
    ("frames", "frames file (aedat2frames) the network fits", cxxopts::value<std::string>())
    ("split", "test; train or val: the training division of the train split (val_ratio of "
              "the checkpoint); all: train and test", cxxopts::value<std::string>()->default_value("test"))
    ("o,output", "write the evaluation file (HDF5) here", cxxopts::value<std::string>())
    ("json", "print the summary as JSON instead of tables")
    ("per_step", "also the accuracy when deciding after the first t steps, t = 1..T")
    ("batch_size", "samples per forward pass (results do not depend on it)",
     cxxopts::value<int64_t>()->default_value("16"))
    ("tensorboard", "add the accuracy and per-class accuracy to the TensorBoard log of this "
                    "run folder (tags eval/<split>/..., step = the checkpoint's epoch)",
     cxxopts::value<std::string>());
  o.parse_positional({"checkpoint", "frames"});
  cli::add_common_options(o, {true, true, false});
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  return cli::run("plif-eval", [&] {
    auto options = make_options();
    cxxopts::ParseResult r;
    if (!cli::parse(options, argc, argv, r)) return cli::kExitOk;
    if (r.count("checkpoint") == 0 || r.count("frames") == 0)
      cli::usage_error("expected CHECKPOINT FRAMES (see --help)");
    nn::EvalOptions config;
    config.checkpoint = r["checkpoint"].as<std::string>();
    config.frames = r["frames"].as<std::string>();
    config.split = parse_choice<EvalSplit>("split", r["split"].as<std::string>());
    config.batch_size = r["batch_size"].as<int64_t>();
    config.device = parse_device(r["device"].as<std::string>());
    config.cancel = cli::stop_on_interrupt();
    const bool per_step = r.count("per_step") != 0;
    nn::set_up_runtime(cli::thread_count(r), nn::MemoryUse::one_pass);
    const std::string blas_note = nn::blas_advice();
    if (r.count("quiet") == 0 && !blas_note.empty())
      std::fprintf(stderr, "plif-eval: note: %s\n", blas_note.c_str());
    // Made now, so an unwritable folder fails before the network runs.
    std::optional<AtomicOutput> output;
    if (r.count("output") != 0) output.emplace(r["output"].as<std::string>());
    std::optional<tensorboard::EvaluationLog> tensorboard_log;
    if (r.count("tensorboard") != 0) tensorboard_log.emplace(r["tensorboard"].as<std::string>());

    // Made at the first report, when the number of samples is known.
    std::optional<Progress> progress;
    const bool show_progress = progress_wanted(r.count("quiet") != 0);
    const analysis::Evaluation e = nn::evaluate(config, [&](std::size_t done, std::size_t total) {
      if (!progress) progress.emplace("samples", total, show_progress);
      progress->update(done);
    });
    if (progress) progress->finish();
    if (output) analysis::write_eval_file(*output, e, per_step);
    if (tensorboard_log) tensorboard_log->add(e);
    const std::string report = r.count("json") != 0 ? analysis::eval_json(e, per_step)
                                                    : analysis::eval_table(e, per_step);
    std::fputs(report.c_str(), stdout);
    return cli::kExitOk;
  });
}
