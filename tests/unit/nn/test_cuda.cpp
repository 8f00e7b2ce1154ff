// The CUDA path against the CPU one. Tests named *_CUDA need a CUDA build and
// a visible GPU; without them they report SKIPPED, never passed. Device-name
// checks run everywhere.
//
// Tolerances: the CUDA kernels are compiled with --fmad=false and run the
// same per-element source as the CPU kernel (neuron_math.hpp), so spikes and
// h are bit-identical for float32 input; grad_x too, element by element. The
// sums over the batch (and over neurons for a per-layer k, and for alpha) run
// in another order, in float32: their error is bounded by a small multiple of
// the float32 epsilon times the sum of the absolute values summed (not the
// sum itself, which cancels), so grad_k and grad_alpha are checked to 1e-5
// of that. One training step differs by cuDNN's convolution arithmetic (TF32
// switched off): gradients within 1e-3 of the largest gradient of their
// tensor.
#include <ATen/Context.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "cuda_test_support.hpp"
#include "plifkit/core/error.hpp"
#include "plifkit/nn/device.hpp"
#include "plifkit/nn/neuron_kernels.hpp"
#include "plifkit/nn/network.hpp"
#include "plifkit/nn/neuron_math.hpp"
#include "plifkit/nn/neuron_op.hpp"
#include "plifkit/nn/trainer.hpp"

namespace plifkit::nn {
namespace {

using testing_cuda::kGpu;

void expect_close(const torch::Tensor& cuda, const torch::Tensor& cpu, double relative,
                  const std::string& what) {
  const torch::Tensor a = cuda.cpu().to(torch::kFloat64);
  const torch::Tensor b = cpu.to(torch::kFloat64);
  const double scale = std::max(b.abs().max().item<double>(), 1e-12);
  EXPECT_LE((a - b).abs().max().item<double>(), relative * scale) << what;
}

// A device name as a tool takes it: parsed, then checked against the build.
torch::Device resolve(const std::string& name) { return resolve_device(parse_device(name)); }

// Sums of |each (b, t) term| of dL/dk (per neuron, [M]) and of dL/dalpha
// (over everything), recomputed in float64 from the CPU kernel's saved h:
// the scale of the float32 sums' rounding error.
struct AbsolutePartials {
  torch::Tensor k;  // [M] float64
  double alpha = 0.0;
};

template <bool kDetach>
AbsolutePartials absolute_partials_of(const torch::Tensor& grad_spikes, const torch::Tensor& h_seq,
                                      const torch::Tensor& k, double alpha) {
  const torch::Tensor g = grad_spikes.to(torch::kFloat64).contiguous();
  const torch::Tensor h = h_seq.to(torch::kFloat64).contiguous();
  const torch::Tensor kd = k.to(torch::kFloat64).contiguous();
  const int64_t B = h.size(0), T = h.size(1), M = h.size(2);
  const neuron::Constants<double> c{1.0, 0.0, alpha};
  AbsolutePartials out;
  out.k = torch::zeros({M}, torch::kFloat64);
  const double* gp = g.data_ptr<double>();
  const double* hp = h.data_ptr<double>();
  double* kp = out.k.data_ptr<double>();
  for (int64_t m = 0; m < M; ++m) {
    const double km = kd.numel() > 1 ? kd[m].item<double>() : kd[0].item<double>();
    for (int64_t b = 0; b < B; ++b) {
      double grad_v = 0.0;
      for (int64_t t = T - 1; t >= 0; --t) {
        const int64_t at = (b * T + t) * M + m;
        const double v_prev =
            t > 0 ? neuron::reset(hp[at - M], neuron::fire<false>(hp[at - M], c), c.v_reset) : 0.0;
        const auto step =
            neuron::backward_step<kDetach, false>(hp[at], (hp[at] - v_prev) / km, gp[at], grad_v, km, c);
        kp[m] += std::abs(step.grad_k);
        out.alpha += std::abs(step.grad_alpha);
        grad_v = step.grad_v_prev;
      }
    }
  }
  return out;
}

AbsolutePartials absolute_partials(const torch::Tensor& grad_spikes, const torch::Tensor& h_seq,
                                   const torch::Tensor& k, double alpha, bool detach) {
  return detach ? absolute_partials_of<true>(grad_spikes, h_seq, k, alpha)
                : absolute_partials_of<false>(grad_spikes, h_seq, k, alpha);
}

// |cuda - cpu| <= relative * scale, element by element (scale broadcasts).
void expect_within(const torch::Tensor& cuda, const torch::Tensor& cpu, const torch::Tensor& scale,
                   double relative, const std::string& what) {
  const torch::Tensor excess = (cuda.cpu().to(torch::kFloat64) - cpu.to(torch::kFloat64)).abs() -
                               relative * scale.to(torch::kFloat64);
  EXPECT_LE(excess.max().item<double>(), 0.0) << what;
}

TEST(DeviceName, IsCheckedBeforeAnythingRuns) {
  EXPECT_EQ(resolve("cpu"), torch::Device(torch::kCPU));
  EXPECT_THROW(resolve("gpu"), UsageError);
  EXPECT_THROW(resolve("cuda:"), UsageError);
  EXPECT_THROW(resolve("cuda:x"), UsageError);
  EXPECT_THROW(resolve("cuda:99"), DeviceError);
  if (!built_with_cuda()) {
    try {
      resolve("cuda");
      ADD_FAILURE() << "cuda accepted by a build without CUDA";
    } catch (const DeviceError& e) {
      EXPECT_NE(std::string(e.what()).find("built without CUDA"), std::string::npos) << e.what();
    }
  }
}

// Random currents around the threshold, so that many neurons fire and reset.
torch::Tensor currents(int64_t B, int64_t T, int64_t M, uint64_t seed) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  return torch::rand({B, T, M}, gen) * 1.5f;
}

torch::Tensor decays(int64_t M, uint64_t seed) {
  auto gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  return torch::rand({M}, gen) * 0.6f + 0.2f;
}

TEST(CudaNeuron, ForwardIsBitIdenticalToTheCpuKernel_CUDA) {
  REQUIRE_CUDA();
  const torch::Tensor x = currents(5, 9, 3001, 1);
  const torch::Tensor alpha = torch::tensor(2.0f);
  for (const torch::Tensor& k : {decays(3001, 2), torch::full({1}, 0.5f)}) {
    const NeuronConstants c;
    const NeuronForward cpu = neuron_forward(x, k, alpha, c, true);
    const NeuronForward gpu = neuron_forward(x.to(kGpu), k.to(kGpu), alpha.to(kGpu), c, true);
    EXPECT_TRUE(torch::equal(gpu.spikes.cpu(), cpu.spikes)) << "k " << k.sizes();
    EXPECT_TRUE(torch::equal(gpu.h_seq.cpu(), cpu.h_seq)) << "k " << k.sizes();
    EXPECT_GT(cpu.spikes.sum().item<double>(), 0.0);
  }
}

// Shapes that cut the batch into groups in every way the backward does
// (backward_batch_groups): 1 group per sample (fc-like, 110 neurons), groups
// of several samples with a short last one (7 samples in 3 groups), an empty
// last group (5 samples in 4 groups of 2), a single neuron.
TEST(CudaNeuron, BackwardMatchesTheCpuKernel_CUDA) {
  REQUIRE_CUDA();
  struct Shape {
    int64_t B, T, M;
  };
  for (const Shape& shape : {Shape{4, 7, 2049}, Shape{16, 20, 110}, Shape{7, 3, 87382},
                             Shape{5, 3, 65536}, Shape{3, 5, 1}}) {
    const int64_t B = shape.B, T = shape.T, M = shape.M;
    const torch::Tensor x = currents(B, T, M, 3);
    const torch::Tensor grad = currents(B, T, M, 4) - 0.75f;
    const torch::Tensor alpha = torch::tensor(2.5f);
    for (bool detach : {false, true}) {
      for (const torch::Tensor& k : {decays(M, 5), torch::full({1}, 0.4f)}) {
        NeuronConstants c;
        c.detach_reset = detach;
        const NeuronForward f = neuron_forward(x, k, alpha, c, true);
        const NeuronBackward cpu = neuron_backward(grad, f.h_seq, k, alpha, c);
        const NeuronBackward gpu =
            neuron_backward(grad.to(kGpu), f.h_seq.to(kGpu), k.to(kGpu), alpha.to(kGpu), c);
        const std::string what = std::string(detach ? "detached" : "attached") + " reset, k " +
                                 std::to_string(k.numel()) + ", B T M " + std::to_string(B) + " " +
                                 std::to_string(T) + " " + std::to_string(M);
        EXPECT_TRUE(torch::equal(gpu.grad_x.cpu(), cpu.grad_x)) << what;
        const AbsolutePartials scale = absolute_partials(grad, f.h_seq, k, 2.5, detach);
        EXPECT_GT(scale.alpha, 0.0) << what;
        expect_within(gpu.grad_k, cpu.grad_k, k.numel() > 1 ? scale.k : scale.k.sum(), 1e-5,
                      "grad_k, " + what);
        expect_within(gpu.grad_alpha, cpu.grad_alpha, torch::tensor(scale.alpha), 1e-5,
                      "grad_alpha, " + what);
      }
    }
  }
}

// The kernels read float16/bfloat16 gradients as float and round dL/dx back
// to the input type: the CPU kernel on the widened gradients, rounded, is
// the expected result bit for bit.
TEST(CudaNeuron, HalfAndBfloat16BackwardRoundTheFloatResult_CUDA) {
  REQUIRE_CUDA();
  const int64_t B = 3, T = 6, M = 1000;
  const torch::Tensor k = decays(M, 8);
  const torch::Tensor alpha = torch::tensor(2.0f);
  for (auto type : {torch::kHalf, torch::kBFloat16}) {
    const torch::Tensor x = currents(B, T, M, 9).to(type).to(torch::kFloat32);
    const torch::Tensor grad = (currents(B, T, M, 10) - 0.75f).to(type);
    const NeuronConstants c;
    const NeuronForward f = neuron_forward(x, k, alpha, c, true);
    const NeuronBackward cpu = neuron_backward(grad.to(torch::kFloat32), f.h_seq, k, alpha, c);
    const NeuronBackward gpu =
        neuron_backward(grad.to(kGpu), f.h_seq.to(kGpu), k.to(kGpu), alpha.to(kGpu), c);
    EXPECT_EQ(gpu.grad_x.scalar_type(), type);
    EXPECT_TRUE(torch::equal(gpu.grad_x.cpu(), cpu.grad_x.to(type))) << type;
    const AbsolutePartials scale = absolute_partials(grad, f.h_seq, k, 2.0, false);
    expect_within(gpu.grad_k, cpu.grad_k, scale.k, 1e-5, "grad_k");
    expect_within(gpu.grad_alpha, cpu.grad_alpha, torch::tensor(scale.alpha), 1e-5, "grad_alpha");
  }
}

// Through autograd as the network uses it: one decay for the layer ([], as
// a per-layer PLIF's sigmoid(w)) and a learnable alpha, both leaves.
TEST(CudaNeuron, PerLayerDecayAndLearnableAlphaThroughAutograd_CUDA) {
  REQUIRE_CUDA();
  const int64_t B = 4, T = 8, C = 16, H = 9;
  const torch::Tensor x = currents(B, T, C * H, 11).view({B, T, C, H});
  const torch::Tensor weights = currents(B, T, C * H, 12).view({B, T, C, H}) - 0.75f;
  struct Grads {
    torch::Tensor spikes, x, k, alpha;
  };
  auto run = [&](const torch::Device& device) {
    auto xd = x.to(device, /*non_blocking=*/false, /*copy=*/true).set_requires_grad(true);
    auto k = torch::tensor(0.45f).to(device).set_requires_grad(true);
    auto alpha = torch::tensor(2.0f).to(device).set_requires_grad(true);
    const torch::Tensor spikes = neuron_multistep(xd, k, alpha, {});
    (spikes * weights.to(device)).sum().backward();
    return Grads{spikes.detach().cpu(), xd.grad().cpu(), k.grad().cpu(), alpha.grad().cpu()};
  };
  const Grads cpu = run(torch::kCPU);
  const Grads gpu = run(kGpu);
  EXPECT_GT(cpu.spikes.sum().item<double>(), 0.0);
  EXPECT_TRUE(torch::equal(gpu.spikes, cpu.spikes));
  EXPECT_TRUE(torch::equal(gpu.x, cpu.x));
  EXPECT_EQ(gpu.k.dim(), 0);
  const NeuronForward f = neuron_forward(x.view({B, T, C * H}), torch::full({1}, 0.45f),
                                         torch::tensor(2.0f), {}, true);
  const AbsolutePartials scale =
      absolute_partials(weights.view({B, T, C * H}), f.h_seq, torch::full({1}, 0.45f), 2.0, false);
  expect_within(gpu.k, cpu.k, scale.k.sum(), 1e-5, "grad of the layer's decay");
  expect_within(gpu.alpha, cpu.alpha, torch::tensor(scale.alpha), 1e-5, "grad of alpha");
}

TEST(CudaNeuron, HalfInputsRunWithFloatState_CUDA) {
  REQUIRE_CUDA();
  const torch::Tensor k = decays(1000, 6);
  const torch::Tensor alpha = torch::tensor(2.0f);
  for (auto type : {torch::kHalf, torch::kBFloat16}) {
    // The kernel loads each input as float: the CPU kernel on the same
    // values, widened, must give the same spikes and states.
    const torch::Tensor x = currents(3, 6, 1000, 7).to(type);
    const NeuronConstants c;
    const NeuronForward cpu = neuron_forward(x.to(torch::kFloat32), k, alpha, c, true);
    const NeuronForward gpu = neuron_forward(x.to(kGpu), k.to(kGpu), alpha.to(kGpu), c, true);
    EXPECT_EQ(gpu.spikes.scalar_type(), type);
    EXPECT_EQ(gpu.h_seq.scalar_type(), torch::kFloat32);
    EXPECT_TRUE(torch::equal(gpu.spikes.cpu().to(torch::kFloat32), cpu.spikes));
    EXPECT_TRUE(torch::equal(gpu.h_seq.cpu(), cpu.h_seq));
  }
}

TEST(CudaTraining, OneStepMatchesTheCpuStep_CUDA) {
  REQUIRE_CUDA();
  at::globalContext().setAllowTF32CuDNN(false);
  at::globalContext().setAllowTF32CuBLAS(false);
  const TrainConfig config = testing_cuda::small_config();
  torch::manual_seed(11);
  PlifNet cpu_net(config.net);
  PlifNet gpu_net(config.net);
  {
    torch::NoGradGuard no_grad;
    const auto from = cpu_net->named_parameters();
    for (auto& p : gpu_net->named_parameters()) p.value().copy_(from[p.key()]);
  }
  gpu_net->to(kGpu);
  auto gen = at::make_generator<at::CPUGeneratorImpl>(12);
  const torch::Tensor frames = torch::randint(0, 3, {6, 4, 2, 32, 32}, gen).to(torch::kFloat32);
  const torch::Tensor labels = torch::tensor(std::vector<int64_t>{0, 3, 5, 10, 2, 7});
  auto step = [&](PlifNet& net, const torch::Device& device) {
    auto dropout = at::make_generator<at::CPUGeneratorImpl>(13);
    const torch::Tensor counts = net->forward(frames.to(device), dropout);
    const torch::Tensor loss = training_loss(counts, labels.to(device), *net, config);
    net->zero_grad();
    loss.backward();
    return loss.item<double>();
  };
  const double cpu_loss = step(cpu_net, torch::kCPU);
  const double gpu_loss = step(gpu_net, kGpu);
  EXPECT_NEAR(gpu_loss, cpu_loss, 1e-5 * std::abs(cpu_loss));
  const auto cpu_params = cpu_net->named_parameters();
  for (const auto& p : gpu_net->named_parameters()) {
    ASSERT_TRUE(p.value().grad().defined()) << p.key();
    expect_close(p.value().grad(), cpu_params[p.key()].grad(), 1e-3, "gradient of " + p.key());
  }
  const auto cpu_buffers = cpu_net->named_buffers();
  for (const auto& b : gpu_net->named_buffers())
    expect_close(b.value(), cpu_buffers[b.key()], 1e-5, "buffer " + b.key());
}

}  // namespace
}  // namespace plifkit::nn
