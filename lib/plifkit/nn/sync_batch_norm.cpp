#include "plifkit/nn/sync_batch_norm.hpp"

#include "plifkit/nn/network.hpp"

#include <cstdint>

namespace plifkit::nn {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// x [B, S, H, W] normalised per channel s by the given (global) mean and
// inverse standard deviation; the backward reduces over all ranks.
class SyncedNormalisation : public torch::autograd::Function<SyncedNormalisation> {
 public:
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& weight,
                               const torch::Tensor& bias, const torch::Tensor& mean, const torch::Tensor& var,
                               const torch::Tensor& invstd, double eps, double count, dist::ProcessGroup* group) {
    ctx->save_for_backward({x, weight, mean, invstd});
    ctx->saved_data["count"] = count;
    ctx->saved_data["group"] = static_cast<int64_t>(reinterpret_cast<std::intptr_t>(group));
    return torch::batch_norm(x, weight, bias, mean, var, /*training=*/false, 0.0, eps, /*cudnn=*/true);
  }

  static variable_list backward(AutogradContext* ctx, variable_list grads) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor &x = saved[0], &weight = saved[1], &mean = saved[2], &invstd = saved[3];
    auto* group = reinterpret_cast<dist::ProcessGroup*>(static_cast<std::intptr_t>(ctx->saved_data["group"].toInt()));
    const double count = ctx->saved_data["count"].toDouble();
    const torch::Tensor dy = grads[0].contiguous();
    // The local sums: dL/dweight = sum(dy * x_hat) and dL/dbias = sum(dy).
    const auto [unused, grad_weight, grad_bias] = at::native_batch_norm_backward(
        dy, x, weight, {}, {}, mean, invstd, /*train=*/true, 0.0, {false, true, true});
    const torch::Tensor sums = torch::cat({grad_bias, grad_weight}).to(torch::kFloat64);
    group->sum(sums, "BatchNorm's backward");
    const int64_t S = x.size(1);
    const torch::Tensor mean_dy = (sums.narrow(0, 0, S) / count).to(x.scalar_type());
    const torch::Tensor mean_dy_xhat = (sums.narrow(0, S, S) / count).to(x.scalar_type());
    // dx = w invstd (dy - mean(dy) - x_hat mean(dy x_hat)) = a dy + b x + c
    // per channel, with x_hat = (x - mean) invstd.
    const torch::Tensor a = weight * invstd;
    const torch::Tensor b = -a * invstd * mean_dy_xhat;
    const torch::Tensor c = -a * mean_dy - b * mean;
    const auto channel = [](const torch::Tensor& t) { return t.view({1, -1, 1, 1}); };
    torch::Tensor dx = torch::addcmul(channel(c), dy, channel(a));
    dx.addcmul_(x, channel(b));
    return {dx, grad_weight, grad_bias, {}, {}, {}, {}, {}, {}};
  }
};

}  // namespace

torch::Tensor batch_norm_per_step_synced(const torch::Tensor& y, int64_t B, int64_t T,
                                         torch::nn::BatchNorm2dImpl& bn, dist::ProcessGroup& group) {
  const double eps = bn.options.eps();
  const int64_t C = y.size(1), H = y.size(2), W = y.size(3);
  // As in batch_norm_per_step: [B*T, C, H, W] b-major is [B, T*C, H, W].
  const torch::Tensor x = y.reshape({B, T * C, H, W});
  torch::Tensor mean, var, invstd, count;
  {
    torch::NoGradGuard no_grad;
    // Per rank: n mean and n (var + mean^2) in double, summed over the ranks
    // with the sample counts, give the global mean and biased variance.
    // (ATen's BatchNorm statistics kernel: ~4x faster than var_mean here.)
    const auto [local_mean, local_var] = at::batch_norm_update_stats(x, {}, {}, 0.0);
    const double n = static_cast<double>(B * H * W);
    const torch::Tensor m = local_mean.to(torch::kFloat64);
    const torch::Tensor stats =
        torch::cat({m * n, (local_var.to(torch::kFloat64) + m * m) * n, torch::full({1}, n, m.options())});
    group.sum(stats, "BatchNorm's statistics");
    const double total = stats[2 * T * C].item<double>();
    const torch::Tensor global_mean = stats.narrow(0, 0, T * C) / total;
    const torch::Tensor global_var = (stats.narrow(0, T * C, T * C) / total - global_mean * global_mean).clamp_min(0.0);
    mean = global_mean.to(x.scalar_type());
    var = global_var.to(x.scalar_type());
    invstd = (global_var + eps).rsqrt().to(x.scalar_type());
    count = torch::full({}, total);
    // The running statistics as BatchNorm2d keeps them: per step, in step
    // order, with the unbiased variance of the global batch.
    const double m_rate = bn.options.momentum().value();
    const torch::Tensor unbiased = (global_var * (total / (total - 1))).to(x.scalar_type());
    update_running_statistics(bn.running_mean, mean.view({T, C}), m_rate);
    update_running_statistics(bn.running_var, unbiased.view({T, C}), m_rate);
    bn.num_batches_tracked += T;
  }
  const torch::Tensor out = SyncedNormalisation::apply(x, bn.weight.repeat({T}), bn.bias.repeat({T}), mean, var,
                                                       invstd, eps, count.item<double>(), &group);
  return out.view({B * T, C, H, W});
}

}  // namespace plifkit::nn
