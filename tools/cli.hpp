// What every tool shares: the common options, the single place that turns
// library errors into one-line messages and exit codes, and the acceptance of
// the seed's single-dash long options (-init_tau 2.0).
//
// Exit codes: 0 success, 1 runtime/data/I/O failure, 2 usage error,
// 130 interrupted.
#pragma once

#include <atomic>
#include <cxxopts.hpp>
#include <functional>
#include <string>
#include <vector>

namespace plifkit::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInterrupted = 130;

struct CommonFlags {
  bool with_threads = true;
  bool with_device = false;
  bool with_seed = false;
};

// Adds -h/--help, --version, -q/--quiet and, as asked, --threads, --device, --seed.
void add_common_options(cxxopts::Options& options, const CommonFlags& flags);

// Parses argv. Long options may also be written with one dash (-init_tau 2),
// as the seed's commands do. Prints --help / --version to stdout and returns
// false when the tool should exit 0 right away.
bool parse(cxxopts::Options& options, int argc, char** argv, cxxopts::ParseResult& result);

// Applies --threads (0 = all cores) to Torch-free code paths and returns the count.
int thread_count(const cxxopts::ParseResult& result);

// Runs body, catching every error in one place: prints "tool: message" on
// stderr and returns the exit code. Ignores SIGXFSZ first, so that a write
// past the file size limit fails as an I/O error instead of killing the tool.
int run(const char* tool, const std::function<int()>& body);

// From now on the first SIGINT or SIGTERM (Ctrl-C, Slurm's time limit) only
// sets the returned flag, for the tool to stop at its next safe point; a
// second one ends the process at once.
const std::atomic<bool>* stop_on_interrupt();

// plifkit's version, as --version prints it.
const char* version();

// Raised by tools for a usage problem found after parsing.
[[noreturn]] void usage_error(const std::string& message);

}  // namespace plifkit::cli
