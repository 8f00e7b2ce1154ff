// tau-stats CHECKPOINT...: the distribution of the membrane time constants
// tau = 1/sigmoid(w) per neuron layer of one or more checkpoints, side by
// side; optionally the statistics file of formats.md section 4. Reads the
// checkpoint files directly (no LibTorch).
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"
#include "plifkit/analysis/tau_report.hpp"
#include "plifkit/analysis/tau_stats.hpp"

using namespace plifkit;

namespace {

cxxopts::Options make_options() {
  cxxopts::Options o(
      "tau-stats",
      "Statistics of tau = 1/sigmoid(w) per neuron layer of checkpoints (plif-train): count,\n"
      "mean, std, min, q05, q25, median, q75, q95, max and a histogram, checkpoints side by\n"
      "side. LIF layers show their fixed tau, per-layer taus a single value.\n");
  o.positional_help("CHECKPOINT...");
  o.add_options()
    ("checkpoints", "checkpoint files", cxxopts::value<std::vector<std::string>>())
    ("o,output", "write the statistics file (HDF5) here", cxxopts::value<std::string>())
    ("csv", "print CSV instead of a table")
    ("bins", "histogram bins per layer (shared by the checkpoints)",
     cxxopts::value<int>()->default_value(std::to_string(analysis::kDefaultBins)))
    ("histogram_csv", "print the histograms as CSV (one line per bin) instead of the statistics")
    ("evolution", "print the per-epoch mean and std of tau per layer from each checkpoint's "
                  "/log instead of the statistics");
  o.parse_positional({"checkpoints"});
  cli::add_common_options(o, {false, false, false});
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  return cli::run("tau-stats", [&] {
    auto options = make_options();
    cxxopts::ParseResult r;
    if (!cli::parse(options, argc, argv, r)) return cli::kExitOk;
    if (r.count("checkpoints") == 0) cli::usage_error("expected at least one CHECKPOINT (see --help)");
    const auto paths = r["checkpoints"].as<std::vector<std::string>>();
    const bool csv = r.count("csv") != 0;
    const bool histograms = r.count("histogram_csv") != 0;
    const bool evolution = r.count("evolution") != 0;
    if (histograms && evolution) cli::usage_error("--histogram_csv and --evolution exclude each other");

    const auto stats = analysis::tau_statistics(paths, r["bins"].as<int>());
    if (r.count("output") != 0) analysis::write_tau_stats_file(r["output"].as<std::string>(), stats);
    std::string report;
    if (evolution) {
      std::vector<analysis::TauLog> logs;
      for (const auto& path : paths) logs.push_back(analysis::read_tau_log(path));
      report = csv ? analysis::tau_evolution_csv(paths, logs)
                   : analysis::tau_evolution_table(paths, logs);
    } else if (histograms) {
      report = analysis::tau_histogram_csv(stats);
    } else {
      report = csv ? analysis::tau_stats_csv(stats) : analysis::tau_stats_table(stats);
    }
    std::fputs(report.c_str(), stdout);
    return cli::kExitOk;
  });
}
