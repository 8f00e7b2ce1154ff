// tb-scalars PATH...: the scalars of TensorBoard event files (plif-train's
// run folders, or any TensorBoard writer's) as CSV, tag,step,value, checking
// every record's CRCs on the way.
#include <cstdio>
#include <string>
#include <vector>

#include "cli.hpp"
#include "plifkit/core/atomic_output.hpp"
#include "plifkit/core/error.hpp"
#include "plifkit/tensorboard/scalar_table.hpp"

using namespace plifkit;

namespace {

cxxopts::Options make_options() {
  cxxopts::Options o(
      "tb-scalars",
      "Prints the scalars of TensorBoard event files as CSV (tag,step,value), sorted by tag\n"
      "and step. A folder stands for the event files in it (a plif-train run folder). Every\n"
      "record's CRCs are checked; an incomplete last record (a writer that was stopped or\n"
      "is still writing) is skipped with a note.\n");
  o.positional_help("EVENT_FILE_OR_RUN_FOLDER...");
  o.add_options()
    ("paths", "event files or folders", cxxopts::value<std::vector<std::string>>())
    ("o,output", "write the CSV here instead of stdout", cxxopts::value<std::string>());
  o.parse_positional({"paths"});
  cli::add_common_options(o, {false, false, false});
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  return cli::run("tb-scalars", [&] {
    auto options = make_options();
    cxxopts::ParseResult r;
    if (!cli::parse(options, argc, argv, r)) return cli::kExitOk;
    if (r.count("paths") == 0) cli::usage_error("expected at least one event file or folder (see --help)");
    const auto table = tensorboard::scalar_table(r["paths"].as<std::vector<std::string>>());
    if (r.count("quiet") == 0)
      for (const auto& [file, offset] : table.truncated)
        std::fprintf(stderr, "tb-scalars: note: %s: incomplete last record at byte %lld skipped\n",
                     quoted(file).c_str(), static_cast<long long>(offset));
    if (r.count("output") != 0)
      write_file_atomically(r["output"].as<std::string>(), table.csv.data(), table.csv.size());
    else
      std::fputs(table.csv.c_str(), stdout);
    return cli::kExitOk;
  });
}
