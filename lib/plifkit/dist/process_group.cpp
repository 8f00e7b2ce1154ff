#include "plifkit/dist/process_group.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <functional>

#include <c10/util/Logging.h>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
#ifdef PLIFKIT_HAVE_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include "plifkit/core/error.hpp"

namespace plifkit::dist {

struct Connection {
  c10::intrusive_ptr<c10d::TCPStore> store;
  // The backend's allreduce (sum), whichever class it is; it holds the
  // backend.
  std::function<c10::intrusive_ptr<c10d::Work>(std::vector<at::Tensor>&)> allreduce;
  const char* name = "";
};

struct PendingWork {
  c10::intrusive_ptr<c10d::Work> work;
  std::vector<torch::Tensor> tensors;  // as given
  std::vector<torch::Tensor> sent;     // on the group's device (the same tensors when there)
  const char* what = "";
};

namespace {

std::string host_name() {
  char name[256] = {};
  ::gethostname(name, sizeof name - 1);
  return name;
}

// The text after the source location Gloo puts first: "[.../pair.cc:598] X" -> "X".
std::string short_message(const std::string& what) {
  std::string text = what.substr(0, what.find('\n'));
  if (!text.empty() && text[0] == '[') {
    const auto close = text.find("] ");
    if (close != std::string::npos) text = text.substr(close + 2);
  }
  return text;
}

std::string rank_key(int rank) { return "plifkit/rank/" + std::to_string(rank); }

// Whether process `pid` of this host has ended: gone, or a zombie its parent
// (a launcher, a shell) has not reaped yet.
bool has_exited(pid_t pid) {
  if (::kill(pid, 0) != 0) return errno == ESRCH;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const auto close = line.rfind(')');
  return close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z';
}

// c10d logs a warning with a native stack trace when a peer leaves (PyPI's
// LibTorch logs warnings to stderr; Debian's glog build keeps them off it)
// just before throwing what plifkit reports as one line. Keep c10's log to its
// errors unless the user chose a level with TORCH_CPP_LOG_LEVEL.
void keep_c10_log_to_errors() {
  if (std::getenv("TORCH_CPP_LOG_LEVEL") != nullptr) return;
  constexpr int kErrorLevel = 2;  // ERROR in c10's numbering and glog's
  if (FLAGS_caffe2_log_level < kErrorLevel) FLAGS_caffe2_log_level = kErrorLevel;
  c10::UpdateLoggingLevelsFromFlags();
}

}  // namespace

ProcessGroup::ProcessGroup(const LaunchSpec& spec, const torch::Device& device)
    : spec_(spec), device_(device), c_(std::make_unique<Connection>()) {
  keep_c10_log_to_errors();
  const Backend backend = spec.backend.value_or(device.is_cuda() ? Backend::nccl : Backend::gloo);
  const std::string where = std::string(spec.launcher) + ", rank " + std::to_string(spec.rank) + " of " +
                            std::to_string(spec.world_size) + ", master " + spec.master_addr + ":" +
                            std::to_string(spec.master_port);
  try {
    c10d::TCPStoreOptions options;
    options.port = static_cast<std::uint16_t>(spec.master_port);
    options.isServer = spec.rank == 0;
    options.numWorkers = spec.world_size;
    options.waitWorkers = true;
    options.timeout = spec.timeout;
    c_->store = c10::make_intrusive<c10d::TCPStore>(spec.master_addr, options);
    // Who is who, for naming a rank that leaves (same host: by its pid).
    const std::string me = host_name() + " " + std::to_string(::getpid());
    c_->store->set(rank_key(spec.rank), std::vector<std::uint8_t>(me.begin(), me.end()));
    if (backend == Backend::gloo) {
      auto gloo_options = c10d::ProcessGroupGloo::Options::create();
      gloo_options->timeout = spec.timeout;
      // The interface that reaches the master: on one machine, loopback.
      gloo_options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(
          spec.master_addr == "127.0.0.1" || spec.master_addr == "localhost" ? spec.master_addr : host_name()));
      auto group = c10::make_intrusive<c10d::ProcessGroupGloo>(c_->store, spec.rank, spec.world_size, gloo_options);
      c_->allreduce = [group](std::vector<at::Tensor>& t) { return group->allreduce(t); };
      c_->name = "gloo";
    } else {
#ifdef PLIFKIT_HAVE_NCCL
      auto nccl_options = c10d::ProcessGroupNCCL::Options::create();
      nccl_options->timeout = spec.timeout;
      auto group = c10::make_intrusive<c10d::ProcessGroupNCCL>(c_->store, spec.rank, spec.world_size, nccl_options);
      c_->allreduce = [group](std::vector<at::Tensor>& t) { return group->allreduce(t); };
      c_->name = "nccl";
#else
      throw DeviceError("this build has no NCCL (LibTorch without CUDA or NCCL): use --dist-backend gloo");
#endif
    }
  } catch (const plifkit::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw ProcessGroupError("cannot join the process group (" + where + "): " + short_message(e.what()));
  }
}

ProcessGroup::~ProcessGroup() = default;

const char* ProcessGroup::backend_name() const { return c_->name; }

ProcessGroup::Pending ProcessGroup::start_sum(std::vector<torch::Tensor> tensors, const char* what) {
  Pending p;
  p.work_ = std::make_shared<PendingWork>();
  p.work_->what = what;
  // NCCL takes tensors on its GPU only: a host tensor (a step's metrics)
  // travels there and back.
  for (const torch::Tensor& t : tensors) p.work_->sent.push_back(t.device() == device_ ? t : t.to(device_));
  p.work_->tensors = std::move(tensors);
  try {
    p.work_->work = c_->allreduce(p.work_->sent);
  } catch (const std::exception& e) {
    broke(what, e);
  }
  return p;
}

void ProcessGroup::finish(Pending& pending) {
  if (!pending.started()) return;
  const auto work = std::move(pending.work_);
  try {
    work->work->wait();
  } catch (const std::exception& e) {
    broke(work->what, e);
  }
  for (size_t i = 0; i < work->tensors.size(); ++i)
    if (!work->sent[i].is_same(work->tensors[i])) work->tensors[i].copy_(work->sent[i]);
}

void ProcessGroup::sum(std::vector<torch::Tensor> tensors, const char* what) {
  Pending p = start_sum(std::move(tensors), what);
  finish(p);
}

std::string ProcessGroup::departed_ranks() const {
  // Ask the store (served by rank 0) who each rank was; a rank on this host
  // whose process is gone has left. Short waits: the store may be gone too.
  std::string gone;
  try {
    c_->store->setTimeout(std::chrono::milliseconds(2000));
    const std::string here = host_name();
    for (int r = 0; r < spec_.world_size; ++r) {
      if (r == spec_.rank) continue;
      const auto bytes = c_->store->get(rank_key(r));
      const std::string who(bytes.begin(), bytes.end());
      const auto space = who.rfind(' ');
      if (space == std::string::npos || who.substr(0, space) != here) continue;
      const pid_t pid = static_cast<pid_t>(std::stol(who.substr(space + 1)));
      if (has_exited(pid))
        gone += (gone.empty() ? "rank " : ", rank ") + std::to_string(r) + " (pid " + std::to_string(pid) + ")";
    }
  } catch (const std::exception&) {
    return spec_.rank == 0 ? "" : "rank 0 (the store's host) is unreachable";
  }
  return gone.empty() ? "" : gone + (gone.find(',') == std::string::npos ? " has exited" : " have exited");
}

void ProcessGroup::broke(const char* what, const std::exception& e) const {
  std::string who = departed_ranks();
  if (who.empty()) who = "no rank on this host has exited: one failed, hung past the timeout (" +
                         std::to_string(spec_.timeout.count() / 1000) + " s) or runs on another host";
  throw ProcessGroupError("rank " + std::to_string(spec_.rank) + ": the process group broke in " + what + ": " +
                          who + " (" + c_->name + ": " + short_message(e.what()) + ")");
}

}  // namespace plifkit::dist
