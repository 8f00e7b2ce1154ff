#include "plifkit/nn/sparse_conv_op.hpp"

#include <ATen/Parallel.h>
#include <ATen/record_function.h>

#include <algorithm>

#include "plifkit/nn/cpu/cpu_isa.hpp"
#include "plifkit/nn/cpu/sparse_conv_kernels.hpp"

namespace plifkit::nn {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

// The weight gradient is summed per block of images, then the blocks in
// order: a fixed partition, so the sums do not depend on the thread count.
constexpr int64_t kWeightGradBlocks = 16;

struct Geometry {
  int64_t N, Cin, Cout, H, W;
};

Geometry geometry_of(const torch::Tensor& x, const torch::Tensor& weight) {
  return {x.size(0), x.size(1), weight.size(0), x.size(2), x.size(3)};
}

// One thread's scratch memory (cpu/sparse_conv_kernels.hpp), from Torch's
// allocator: reused across steps instead of fresh pages per call.
template <typename S>
struct Scratch {
  torch::Tensor ints, values;
  cpu::SparseConvBuffers<S> buffers;

  Scratch(const Geometry& g, cpu::SparsePass pass) {
    const cpu::SparseScratchSizes sizes =
        cpu::sparse_scratch_sizes<S>(pass, g.Cin, g.Cout, g.H, g.W);
    ints = torch::empty({sizes.ints}, torch::kInt32);
    values = torch::empty({sizes.values}, c10::CppTypeToScalarType<S>::value);
    buffers = cpu::sparse_buffers(ints.data_ptr<int32_t>(), values.data_ptr<S>(), g.Cin, g.H, g.W);
  }
};

// weight [Cout, Cin, 3, 3] in the kernels' blocked layout
// [Cp / block, 3, 3, Cin, block], Cout padded with zeros to Cp.
template <typename S>
torch::Tensor blocked_weight(const torch::Tensor& weight) {
  const int64_t Cout = weight.size(0), Cin = weight.size(1);
  const int64_t block = cpu::sparse_block<S>();
  const int64_t padded = cpu::sparse_padded_channels<S>(Cout);
  return torch::constant_pad_nd(weight, {0, 0, 0, 0, 0, 0, 0, padded - Cout})
      .view({padded / block, block, Cin, 3, 3})
      .permute({0, 3, 4, 2, 1})
      .contiguous();
}

// The inverse: [Cp / block, 3, 3, Cin, block] to [Cout, Cin, 3, 3].
torch::Tensor unblocked_weight(const torch::Tensor& blocked, int64_t Cout) {
  const int64_t Cin = blocked.size(3);
  return blocked.permute({0, 4, 3, 1, 2})
      .reshape({blocked.size(0) * blocked.size(4), Cin, 3, 3})
      .narrow(0, 0, Cout)
      .contiguous();
}

template <typename S>
torch::Tensor sparse_forward(const torch::Tensor& x, const torch::Tensor& weight) {
  const Geometry g = geometry_of(x, weight);
  const torch::Tensor wb = blocked_weight<S>(weight);
  torch::Tensor out = torch::empty({g.N, g.Cout, g.H, g.W}, x.options());
  const S* xp = x.data_ptr<S>();
  const S* wp = wb.data_ptr<S>();
  S* op = out.data_ptr<S>();
  const auto forward = cpu::sparse_conv_kernels_of<S>().forward;
  at::parallel_for(0, g.N, 1, [&](int64_t begin, int64_t end) {
    Scratch<S> scratch(g, cpu::SparsePass::forward);
    for (int64_t n = begin; n < end; ++n)
      forward(xp + n * g.Cin * g.H * g.W, wp, op + n * g.Cout * g.H * g.W, g.Cin, g.Cout, g.H,
              g.W, scratch.buffers);
  });
  return out;
}

template <typename S>
torch::Tensor sparse_weight_grad(const torch::Tensor& x, const torch::Tensor& grad_out,
                                 const torch::Tensor& weight) {
  const Geometry g = geometry_of(x, weight);
  const int64_t blocks = std::min(g.N, kWeightGradBlocks);
  const int64_t padded = cpu::sparse_padded_channels<S>(g.Cout);
  const int64_t block = cpu::sparse_block<S>();
  torch::Tensor parts = torch::zeros({blocks, padded / block, 3, 3, g.Cin, block}, x.options());
  const S* xp = x.data_ptr<S>();
  const S* gp = grad_out.data_ptr<S>();
  S* pp = parts.data_ptr<S>();
  const auto weight_grad = cpu::sparse_conv_kernels_of<S>().weight_grad;
  at::parallel_for(0, blocks, 1, [&](int64_t begin, int64_t end) {
    Scratch<S> scratch(g, cpu::SparsePass::weight_grad);
    for (int64_t b = begin; b < end; ++b)
      for (int64_t n = b * g.N / blocks; n < (b + 1) * g.N / blocks; ++n)
        weight_grad(xp + n * g.Cin * g.H * g.W, gp + n * g.Cout * g.H * g.W,
                    pp + b * padded * 9 * g.Cin, g.Cin, g.Cout, g.H, g.W, scratch.buffers);
  });
  return unblocked_weight(parts.sum(0), g.Cout);
}

class SparseConv3x3Function : public torch::autograd::Function<SparseConv3x3Function> {
 public:
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x,
                               const torch::Tensor& weight, bool sparse_pass) {
    RECORD_FUNCTION("plifkit::sparse_conv3x3", std::vector<c10::IValue>({x}));
    ctx->save_for_backward({x, weight});
    if (!sparse_pass) return torch::conv2d(x, weight, {}, 1, 1);
    return AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "sparse_conv3x3",
                                      [&] { return sparse_forward<scalar_t>(x, weight); });
  }

  static tensor_list backward(AutogradContext* ctx, tensor_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor& x = saved[0];
    const torch::Tensor& weight = saved[1];
    const torch::Tensor grad = grad_outputs[0].contiguous();
    torch::Tensor grad_x, grad_weight;
    if (ctx->needs_input_grad(0))  // dense: the output gradient has no zeros to skip
      grad_x = std::get<0>(at::convolution_backward(grad, x, weight, c10::nullopt, {1, 1}, {1, 1},
                                                    {1, 1}, false, {0, 0}, 1,
                                                    {true, false, false}));
    if (ctx->needs_input_grad(1))
      grad_weight = AT_DISPATCH_FLOATING_TYPES(x.scalar_type(), "sparse_conv3x3_weight_grad", [&] {
        return sparse_weight_grad<scalar_t>(x, grad, weight);
      });
    return {grad_x, grad_weight, torch::Tensor()};
  }
};

}  // namespace

SparseDensityLimits sparse_density_limits(int64_t channels) {
  // bench_sparse_conv on the Intel Xeon guest, 2026-12-08 (docs/performance.md):
  // AVX-512 as it runs; AVX2 and the baseline with oneDNN and ATen held to the
  // same sets (ONEDNN_MAX_CPU_ISA, ATEN_CPU_CAPABILITY), each pass at least
  // ~1.1x the dense one at its limit.
  const bool wide = channels >= 64;
  if (cpu::current_cpu_isa() == cpu::CpuIsa::avx512) {
    return wide ? SparseDensityLimits{0.16, 0.30} : SparseDensityLimits{0.12, 0.20};
  }
  return wide ? SparseDensityLimits{0.40, 0.40} : SparseDensityLimits{0.30, 0.30};
}

ConvAlgorithm choose_conv_algorithm(const torch::Tensor& x) {
  if (!x.device().is_cpu() || x.dim() != 4 || x.size(1) < kSparseMinChannels) {
    return ConvAlgorithm::dense;
  }
  if (x.scalar_type() != torch::kFloat32 && x.scalar_type() != torch::kFloat64) {
    return ConvAlgorithm::dense;
  }
  const double nonzero = static_cast<double>(at::count_nonzero(x).item<int64_t>());
  const double elements = static_cast<double>(x.numel());
  const SparseDensityLimits limits = sparse_density_limits(x.size(1));
  if (nonzero <= limits.both_passes * elements) return ConvAlgorithm::sparse;
  if (nonzero <= limits.weight_grad_only * elements) return ConvAlgorithm::sparse_weight_grad;
  return ConvAlgorithm::dense;
}

torch::Tensor conv3x3(const torch::Tensor& x, const torch::Tensor& weight) {
  return conv3x3_with(choose_conv_algorithm(x), x, weight);
}

torch::Tensor conv3x3_with(ConvAlgorithm algorithm, const torch::Tensor& x,
                           const torch::Tensor& weight) {
  TORCH_CHECK(x.dim() == 4 && weight.dim() == 4 && weight.size(2) == 3 && weight.size(3) == 3 &&
                  weight.size(1) == x.size(1),
              "conv3x3: x [N, Cin, H, W] and weight [Cout, Cin, 3, 3] expected, got ", x.sizes(),
              " and ", weight.sizes());
  if (algorithm == ConvAlgorithm::dense) return torch::conv2d(x, weight, {}, 1, 1);
  TORCH_CHECK(x.device().is_cpu() && x.scalar_type() == weight.scalar_type() &&
                  (x.scalar_type() == torch::kFloat32 || x.scalar_type() == torch::kFloat64),
              "conv3x3: the sparse algorithms need CPU tensors of float32 or float64");
  return SparseConv3x3Function::apply(x.contiguous(), weight, algorithm == ConvAlgorithm::sparse);
}

}  // namespace plifkit::nn
