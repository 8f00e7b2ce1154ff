// BatchNorm per time step with its statistics over every rank's samples (a
// data-parallel run, dist/process_group.hpp): what batch_norm_per_step
// computes on the whole global batch, each rank holding a slice of it.
//
// Forward: each rank's per-(step, channel) mean and biased variance, combined
// over the ranks in double (one allreduce per layer), normalise the local
// samples and update the running statistics as one process would. Backward:
// the local sums of dL/dy and dL/dy * x_hat are allreduced (one more per
// layer), so every rank's dL/dx is the one process's times the number of
// ranks; the gradient averaging divides it out, as for the BatchNorm
// weights, whose local gradients are returned.
#pragma once

#include <torch/torch.h>

#include "plifkit/dist/process_group.hpp"

namespace plifkit::nn {

// y: [B*T, C, H, W] b-major (the local samples); training mode.
torch::Tensor batch_norm_per_step_synced(const torch::Tensor& y, int64_t B, int64_t T,
                                         torch::nn::BatchNorm2dImpl& bn, dist::ProcessGroup& group);

}  // namespace plifkit::nn
