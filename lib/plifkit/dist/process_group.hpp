// One rank's membership in a data-parallel run: PyTorch's c10d process group
// (a TCPStore served by rank 0 at the master address, then Gloo on CPUs or
// NCCL on GPUs). plifkit builds no transport of its own; this wraps the few
// collectives training needs and turns a broken group (a rank that exited,
// hung past the timeout or failed) into one ProcessGroupError line naming
// the rank where it can tell.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "plifkit/dist/launch.hpp"

namespace plifkit::dist {

class ProcessGroup {
 public:
  // Joins the group; every rank blocks here until all have joined (or the
  // timeout passes). The backend works on `device` (Gloo on the CPU, NCCL
  // on the GPU); tensors elsewhere are copied there and back.
  ProcessGroup(const LaunchSpec& spec, const torch::Device& device);
  ~ProcessGroup();
  ProcessGroup(const ProcessGroup&) = delete;
  ProcessGroup& operator=(const ProcessGroup&) = delete;

  int rank() const { return spec_.rank; }
  int size() const { return spec_.world_size; }
  const LaunchSpec& spec() const { return spec_; }
  const char* backend_name() const;

  // An allreduce started now; finish() waits for it. `what` names it in
  // messages ("the gradients", "BatchNorm statistics").
  class Pending {
   public:
    Pending() = default;
    bool started() const { return work_ != nullptr; }

   private:
    friend class ProcessGroup;
    std::shared_ptr<struct PendingWork> work_;
  };
  Pending start_sum(std::vector<torch::Tensor> tensors, const char* what);
  void finish(Pending& pending);

  // Sum over the ranks, in place, blocking.
  void sum(std::vector<torch::Tensor> tensors, const char* what);
  void sum(const torch::Tensor& tensor, const char* what) { sum(std::vector<torch::Tensor>{tensor}, what); }

 private:
  [[noreturn]] void broke(const char* what, const std::exception& e) const;
  std::string departed_ranks() const;

  LaunchSpec spec_;
  torch::Device device_;  // where the backend takes its tensors
  std::unique_ptr<struct Connection> c_;  // the c10d store and backend
};

}  // namespace plifkit::dist
