// study-table: the study's Markdown results table from run folders.
//   study-table [--baseline NAME] [-o TABLE.md] MODEL=RUN ...
// RUN is a run folder (holding metrics.csv) or a metrics.csv file; give one
// MODEL=RUN per seed. Models appear in the order first named.
#include <sys/stat.h>

#include <cstdio>

#include "cli.hpp"
#include "plifkit/analysis/study_table.hpp"
#include "plifkit/core/atomic_output.hpp"
#include "plifkit/core/error.hpp"

namespace {

std::string metrics_path(const std::string& run) {
  struct stat st;
  if (::stat(run.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return run + "/metrics.csv";
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  return plifkit::cli::run("study-table", [&] {
    cxxopts::Options options("study-table", "Markdown table of a study's runs: mean ± std over seeds, Welch t-tests against the baseline.");
    options.positional_help("MODEL=RUN [MODEL=RUN ...]");
    options.add_options()
      ("baseline", "model the others are tested against", cxxopts::value<std::string>()->default_value("baseline"))
      ("o,output", "write the table here (default: stdout)", cxxopts::value<std::string>()->default_value(""))
      ("runs", "MODEL=RUN entries", cxxopts::value<std::vector<std::string>>());
    options.parse_positional({"runs"});
    plifkit::cli::add_common_options(options, {false, false, false});
    cxxopts::ParseResult r;
    if (!plifkit::cli::parse(options, argc, argv, r)) return plifkit::cli::kExitOk;
    if (r.count("runs") == 0) plifkit::cli::usage_error("no runs given (MODEL=RUN ...)");
    std::vector<plifkit::analysis::RunSummary> runs;
    std::vector<std::string> order;
    for (const auto& entry : r["runs"].as<std::vector<std::string>>()) {
      const auto eq = entry.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == entry.size())
        plifkit::cli::usage_error("'" + entry + "' is not MODEL=RUN");
      const std::string model = entry.substr(0, eq);
      if (std::find(order.begin(), order.end(), model) == order.end()) order.push_back(model);
      runs.push_back(plifkit::analysis::summarize_run(
          model, plifkit::analysis::read_metrics_csv(metrics_path(entry.substr(eq + 1)))));
    }
    const std::string table =
        plifkit::analysis::study_table_markdown(runs, order, r["baseline"].as<std::string>());
    const std::string output = r["output"].as<std::string>();
    if (output.empty()) {
      std::fputs(table.c_str(), stdout);
      return plifkit::cli::kExitOk;
    }
    plifkit::write_file_atomically(output, table.data(), table.size());
    return plifkit::cli::kExitOk;
  });
}
