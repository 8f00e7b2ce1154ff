#include "plifkit/dist/launch.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "plifkit/core/error.hpp"

namespace plifkit::dist {

namespace {

// A whole number in [low, high], or UsageError naming where it came from.
long long whole_number(const std::string& text, const std::string& source, long long low, long long high) {
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno != 0 || value < low || value > high)
    throw UsageError(source + " must be a whole number in [" + std::to_string(low) + ", " +
                     std::to_string(high) + "], got '" + text + "'");
  return value;
}

std::string required(const Environment& env, const char* name, const char* launcher) {
  if (const auto value = env(name)) return *value;
  throw UsageError(std::string(launcher) + " environment without " + name +
                   " (a launcher sets it; or give --dist-url, --rank and --world-size)");
}

int port_of(const std::string& text, const std::string& source) {
  return static_cast<int>(whole_number(text, source, 1, 65535));
}

LaunchSpec from_options(const LaunchOptions& o, const Environment& env) {
  if (o.dist_url.empty() || !o.rank || !o.world_size)
    throw UsageError("--dist-url, --rank and --world-size go together (one missing)");
  const std::string prefix = "tcp://";
  const auto colon = o.dist_url.rfind(':');
  if (o.dist_url.compare(0, prefix.size(), prefix) != 0 || colon == std::string::npos || colon < prefix.size() + 1)
    throw UsageError("--dist-url must be tcp://HOST:PORT, got '" + o.dist_url + "'");
  LaunchSpec s;
  s.launcher = "--dist-url";
  s.master_addr = o.dist_url.substr(prefix.size(), colon - prefix.size());
  s.master_port = port_of(o.dist_url.substr(colon + 1), "--dist-url's port");
  s.rank = *o.rank;
  s.world_size = *o.world_size;
  const auto local = env("LOCAL_RANK");
  s.local_rank = local ? static_cast<int>(whole_number(*local, "LOCAL_RANK", 0, 1 << 20)) : 0;
  return s;
}

LaunchSpec from_torchrun(const Environment& env) {
  LaunchSpec s;
  s.launcher = "torchrun";
  s.rank = static_cast<int>(whole_number(required(env, "RANK", s.launcher), "RANK", 0, 1 << 20));
  s.world_size = static_cast<int>(whole_number(required(env, "WORLD_SIZE", s.launcher), "WORLD_SIZE", 1, 1 << 20));
  const auto local = env("LOCAL_RANK");
  s.local_rank = local ? static_cast<int>(whole_number(*local, "LOCAL_RANK", 0, 1 << 20)) : 0;
  s.master_addr = required(env, "MASTER_ADDR", s.launcher);
  s.master_port = port_of(required(env, "MASTER_PORT", s.launcher), "MASTER_PORT");
  return s;
}

LaunchSpec from_slurm(const Environment& env, int world_size) {
  LaunchSpec s;
  s.launcher = "srun";
  s.world_size = world_size;
  s.rank = static_cast<int>(whole_number(required(env, "SLURM_PROCID", s.launcher), "SLURM_PROCID", 0, 1 << 20));
  const auto local = env("SLURM_LOCALID");
  s.local_rank = local ? static_cast<int>(whole_number(*local, "SLURM_LOCALID", 0, 1 << 20)) : 0;
  if (const auto addr = env("MASTER_ADDR")) {
    s.master_addr = *addr;
  } else {
    auto nodes = env("SLURM_STEP_NODELIST");
    if (!nodes) nodes = env("SLURM_JOB_NODELIST");
    if (!nodes) throw UsageError("srun environment without SLURM_STEP_NODELIST or SLURM_JOB_NODELIST (or MASTER_ADDR)");
    s.master_addr = first_host(*nodes);
  }
  if (const auto port = env("MASTER_PORT")) {
    s.master_port = port_of(*port, "MASTER_PORT");
  } else {
    const auto job = env("SLURM_JOB_ID");
    const long long id = job ? whole_number(*job, "SLURM_JOB_ID", 0, 1LL << 62) : 0;
    s.master_port = static_cast<int>(20000 + id % 20000);
  }
  return s;
}

}  // namespace

Environment process_environment() {
  return [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
  };
}

std::optional<LaunchSpec> launch_spec(const LaunchOptions& options, const Environment& env) {
  if (!(options.timeout_seconds > 0) || !std::isfinite(options.timeout_seconds))
    throw UsageError("--dist-timeout must be a positive number of seconds");
  std::optional<LaunchSpec> spec;
  if (!options.dist_url.empty() || options.rank || options.world_size) {
    spec = from_options(options, env);
  } else if (env("WORLD_SIZE") || env("RANK")) {
    spec = from_torchrun(env);
  } else if (const auto tasks = env("SLURM_STEP_NUM_TASKS"); tasks && env("SLURM_PROCID")) {
    // A step of srun. The batch script itself (SLURM_NTASKS may say 8 there)
    // and a step of one task (a Slurm array's run) are single processes.
    const int n = static_cast<int>(whole_number(*tasks, "SLURM_STEP_NUM_TASKS", 1, 1 << 20));
    if (n > 1) spec = from_slurm(env, n);
  }
  if (!spec) return std::nullopt;
  if (spec->world_size < 1 || spec->rank < 0 || spec->rank >= spec->world_size)
    throw UsageError(std::string(spec->launcher) + ": rank " + std::to_string(spec->rank) +
                     " is not one of the world size's " + std::to_string(spec->world_size));
  spec->backend = options.backend;
  spec->timeout = std::chrono::milliseconds(static_cast<long long>(options.timeout_seconds * 1000.0));
  return spec;
}

std::string first_host(const std::string& nodelist) {
  // The first entry at the top level (commas inside brackets are ranges).
  int depth = 0;
  std::size_t end = 0;
  for (; end < nodelist.size(); ++end) {
    if (nodelist[end] == '[') ++depth;
    if (nodelist[end] == ']') --depth;
    if (nodelist[end] == ',' && depth == 0) break;
  }
  const std::string entry = nodelist.substr(0, end);
  const auto open = entry.find('[');
  if (open == std::string::npos) {
    if (entry.empty()) throw UsageError("empty Slurm node list");
    return entry;
  }
  const auto close = entry.find(']', open);
  if (close == std::string::npos) throw UsageError("Slurm node list '" + nodelist + "' has an unclosed '['");
  const std::string ranges = entry.substr(open + 1, close - open - 1);
  const std::string first = ranges.substr(0, ranges.find_first_of(",-"));
  if (first.empty()) throw UsageError("Slurm node list '" + nodelist + "' has an empty range");
  return entry.substr(0, open) + first + entry.substr(close + 1);
}

}  // namespace plifkit::dist
