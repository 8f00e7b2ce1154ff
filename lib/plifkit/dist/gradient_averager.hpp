// Averages the gradients of a network's parameters over the ranks after each
// backward pass, as PyTorch's DistributedDataParallel does: the parameters
// are grouped into buckets of about `bucket_bytes` in reverse order (the
// order backward produces their gradients); a hook on each parameter copies
// its gradient into its bucket's flat buffer, and a bucket's allreduce starts
// when its last gradient has arrived, so communication overlaps the rest of
// the backward pass. finish() waits for all and writes the averages into
// each parameter's .grad.
#pragma once

#include <torch/torch.h>

#include <cstdint>
#include <vector>

#include "plifkit/dist/process_group.hpp"

namespace plifkit::dist {

class GradientAverager {
 public:
  GradientAverager(ProcessGroup& group, const std::vector<torch::Tensor>& parameters,
                   int64_t bucket_bytes = int64_t{4} << 20);
  ~GradientAverager();  // removes its hooks
  GradientAverager(const GradientAverager&) = delete;
  GradientAverager& operator=(const GradientAverager&) = delete;

  // After backward (before the optimizer's step). A bucket whose gradients
  // did not all arrive (a parameter outside this pass's graph) is sent with
  // zeros in their place, as every rank runs the same graph.
  void finish();
  int64_t bucket_count() const { return static_cast<int64_t>(buckets_.size()); }
  // Bytes each rank sends and receives per step in a ring allreduce:
  // 2 (N - 1) / N of the gradients.
  int64_t bytes_per_step() const;

 private:
  struct Slot {
    torch::Tensor parameter;
    int64_t offset = 0;  // in its bucket's flat buffer
    bool arrived = false;
    unsigned hook = 0;
  };
  struct Bucket {
    torch::Tensor flat;
    std::vector<size_t> slots;
    size_t arrived = 0;
    ProcessGroup::Pending pending;
  };
  void arrive(size_t slot, const torch::Tensor& grad);
  void send(Bucket& bucket);

  ProcessGroup& group_;
  std::vector<Slot> slots_;
  std::vector<size_t> bucket_of_;  // per slot
  std::vector<Bucket> buckets_;
};

}  // namespace plifkit::dist
