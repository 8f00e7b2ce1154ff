// Command-line parsing every benchmark program shares: -h/--help prints the
// options, and an unknown or malformed option is one line on stderr and exit
// status 2, as with the tools (instead of cxxopts' uncaught exception).
#pragma once

#include <cxxopts.hpp>

#include <cstdio>
#include <cstdlib>

namespace plifkit::bench {

inline cxxopts::ParseResult parse_options(cxxopts::Options& options, int argc, char** argv) {
  options.add_options()("h,help", "print this help");
  try {
    cxxopts::ParseResult result = options.parse(argc, argv);
    if (result.count("help") != 0) {
      std::fputs(options.help().c_str(), stdout);
      std::exit(0);
    }
    return result;
  } catch (const cxxopts::exceptions::exception& e) {
    std::fprintf(stderr, "%s: %s\nhint: %s --help lists the options\n", options.program().c_str(),
                 e.what(), options.program().c_str());
    std::exit(2);
  }
}

}  // namespace plifkit::bench
