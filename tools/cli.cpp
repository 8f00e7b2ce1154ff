#include "cli.hpp"

#include <csignal>
#include <cstdio>
#include <exception>
#include <thread>

#include "plifkit/core/setting_error.hpp"

#ifndef PLIFKIT_VERSION
#define PLIFKIT_VERSION "unknown"
#endif

namespace plifkit::cli {

const char* version() { return PLIFKIT_VERSION; }

void add_common_options(cxxopts::Options& options, const CommonFlags& flags) {
  auto add = options.add_options("Common");
  add("h,help", "print this help and exit");
  add("version", "print the version and exit");
  add("q,quiet", "no progress line and no per-epoch lines on stderr");
  if (flags.with_threads)
    add("threads", "worker threads (0 = all cores)", cxxopts::value<int>()->default_value("0"));
  if (flags.with_device)
    add("device", "cpu, cuda or cuda:N", cxxopts::value<std::string>()->default_value("cpu"));
  if (flags.with_seed) add("seed", "random seed", cxxopts::value<long>()->default_value("2020"));
}

namespace {

// "-init_tau" -> "--init_tau" when init_tau is a long option; short option
// groups such as "-q" or "-o" are left alone. One-letter options such as T
// can only be short in cxxopts, so "--T 20" / "--T=20" become "-T 20" / "-T20".
std::vector<std::string> with_double_dashes(const cxxopts::Options& options, int argc, char** argv) {
  std::vector<std::string> longs;
  std::vector<std::string> shorts;
  for (const auto& group : options.groups())
    for (const auto& opt : options.group_help(group).options) {
      longs.insert(longs.end(), opt.l.begin(), opt.l.end());
      if (!opt.s.empty()) shorts.push_back(opt.s);
    }
  std::vector<std::string> out;
  bool positional_only = false;
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") positional_only = true;
    if (!positional_only && i > 0 && arg.size() >= 3 && arg.compare(0, 2, "--") == 0 &&
        (arg.size() == 3 || arg[3] == '=')) {
      const std::string name = arg.substr(2, 1);
      for (const auto& s : shorts)
        if (s == name) {
          arg = "-" + name + (arg.size() > 4 ? arg.substr(4) : "");
          break;
        }
    }
    if (!positional_only && i > 0 && arg.size() > 2 && arg[0] == '-' && arg[1] != '-') {
      const std::string name = arg.substr(1, arg.find('=') - 1);
      for (const auto& l : longs)
        if (l == name) {
          arg = "-" + arg;
          break;
        }
    }
    out.push_back(arg);
  }
  return out;
}

}  // namespace

bool parse(cxxopts::Options& options, int argc, char** argv, cxxopts::ParseResult& result) {
  const auto args = with_double_dashes(options, argc, argv);
  std::vector<const char*> ptrs;
  for (const auto& a : args) ptrs.push_back(a.c_str());
  result = options.parse(static_cast<int>(ptrs.size()), ptrs.data());
  if (result.count("help") != 0) {
    std::fputs(options.help().c_str(), stdout);
    return false;
  }
  if (result.count("version") != 0) {
    std::printf("%s %s\n", options.program().c_str(), PLIFKIT_VERSION);
    return false;
  }
  return true;
}

int thread_count(const cxxopts::ParseResult& result) {
  const int requested = result["threads"].as<int>();
  if (requested < 0) usage_error("--threads must be >= 0");
  if (requested > 0) return requested;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw == 0 ? 1 : static_cast<int>(hw);
}

void usage_error(const std::string& message) { throw UsageError(message); }

namespace {

std::atomic<bool> g_stop_requested{false};

extern "C" void request_stop(int signal_number) {
  g_stop_requested.store(true);
  std::signal(signal_number, SIG_DFL);
}

}  // namespace

const std::atomic<bool>* stop_on_interrupt() {
  std::signal(SIGINT, request_stop);
  std::signal(SIGTERM, request_stop);
  return &g_stop_requested;
}

int run(const char* tool, const std::function<int()>& body) {
  // Past the file size limit (ulimit -f) a write would kill the process with
  // SIGXFSZ, leaving its temporary file and no message; ignored, the write
  // fails with EFBIG and the tool reports it like a full disk.
  std::signal(SIGXFSZ, SIG_IGN);
  try {
    return body();
  } catch (const cxxopts::exceptions::exception& e) {
    std::fprintf(stderr, "%s: %s\nhint: %s --help lists the options\n", tool, e.what(), tool);
    return kExitUsage;
  } catch (const SettingError& e) {
    // The library names settings; on a command line they are options.
    std::fprintf(stderr, "%s: --%s\n", tool, e.what());
    return kExitUsage;
  } catch (const UsageError& e) {
    std::fprintf(stderr, "%s: %s\n", tool, e.what());
    return kExitUsage;
  } catch (const Interrupted& e) {
    std::fprintf(stderr, "%s: %s\n", tool, e.what());
    return kExitInterrupted;
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "%s: out of memory\n", tool);
    return kExitFailure;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", tool, e.what());
    return kExitFailure;
  }
}

}  // namespace plifkit::cli
