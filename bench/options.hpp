// Command-line parsing every benchmark program shares, the tools' own
// (tools/cli.hpp): -h/--help prints the options, single-dash long options
// work, and an unknown or malformed option is one line on stderr and exit
// status 2.
#pragma once

#include <cxxopts.hpp>

#include <cstdlib>

#include "cli.hpp"

namespace plifkit::bench {

inline cxxopts::ParseResult parse_options(cxxopts::Options& options, int argc, char** argv) {
  options.add_options()("h,help", "print this help");
  cxxopts::ParseResult result;
  bool go_on = false;
  const int code = cli::run(options.program().c_str(), [&] {
    go_on = cli::parse(options, argc, argv, result);
    return cli::kExitOk;
  });
  if (!go_on) std::exit(code);  // --help printed, or the error reported
  return result;
}

// --threads as the tools read it (0: all cores; negative: one line, exit 2).
inline int thread_count(const char* program, const cxxopts::ParseResult& result) {
  int threads = 1;
  const int code = cli::run(program, [&] {
    threads = cli::thread_count(result);
    return cli::kExitOk;
  });
  if (code != cli::kExitOk) std::exit(code);
  return threads;
}

}  // namespace plifkit::bench
