// How a plif-train process learns that it is one rank of a data-parallel run:
// from a launcher's environment (torchrun, srun) or from explicit options.
// Without either it is a single process and nothing changes.
//
//   torchrun: RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR, MASTER_PORT
//   srun:     SLURM_PROCID, SLURM_STEP_NUM_TASKS (> 1; only srun's steps
//             set it, so a batch script is not mistaken for a rank),
//             SLURM_LOCALID; the master is
//             MASTER_ADDR, else the first node of SLURM_STEP_NODELIST (or
//             SLURM_JOB_NODELIST); the port MASTER_PORT, else 20000 +
//             SLURM_JOB_ID mod 20000, so that jobs sharing a node differ
//   options:  --dist-url tcp://HOST:PORT --rank R --world-size N
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "plifkit/core/choice.hpp"

namespace plifkit::dist {

enum class Backend { gloo, nccl };

// What the command line says (plif-train's distributed options).
struct LaunchOptions {
  std::string dist_url;  // tcp://HOST:PORT
  std::optional<int> rank, world_size;
  std::optional<Backend> backend;  // else Gloo on CPUs, NCCL on GPUs
  double timeout_seconds = 600;    // a collective that waits longer fails
};

struct LaunchSpec {
  int rank = 0, world_size = 1, local_rank = 0;
  std::string master_addr;
  int master_port = 0;
  std::optional<Backend> backend;
  std::chrono::milliseconds timeout{600000};
  const char* launcher = "";  // "torchrun", "srun" or "--dist-url", for messages
};

// A variable of the environment, nullopt when unset or empty.
using Environment = std::function<std::optional<std::string>(const char* name)>;
Environment process_environment();

// The rank this process is, or nullopt for a single process. Throws
// UsageError for a launcher environment or options that are incomplete or
// contradict each other (naming the variable or option).
std::optional<LaunchSpec> launch_spec(const LaunchOptions& options, const Environment& env);

// The first host of a Slurm node list: "gpu[07-09,12],cpu1" -> "gpu07".
std::string first_host(const std::string& nodelist);

}  // namespace plifkit::dist

namespace plifkit {
template <>
struct Choices<dist::Backend> {
  static constexpr std::array<Choice<dist::Backend>, 2> all{
      {{dist::Backend::gloo, "gloo"}, {dist::Backend::nccl, "nccl"}}};
};
}  // namespace plifkit
