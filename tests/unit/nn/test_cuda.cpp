// The CUDA path against the CPU one. Tests named *_CUDA need a CUDA build and
// a visible GPU; without them they report SKIPPED, never passed. Device-name
// checks run everywhere.
//
// Tolerances: the CUDA kernels are compiled with --fmad=false and run the
// same per-element source as the CPU kernel (neuron_math.hpp), so spikes and
// h are bit-identical for float32 input; grad_x too, element by element. The
// sums over the batch (and over neurons for a per-layer k, and for alpha) run
// in another order: 1e-5 relative. One training step differs by cuDNN's
// convolution arithmetic (TF32 switched off): gradients within 1e-3 of the
// largest gradient of their tensor.
#include <ATen/Context.h>
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "plifkit/core/error.hpp"
#include "plifkit/nn/device.hpp"
#include "plifkit/nn/neuron_kernels.hpp"
#include "plifkit/nn/network.hpp"
#include "plifkit/nn/trainer.hpp"

namespace plifkit::nn {
namespace {

#define REQUIRE_CUDA()                                                         \
  do {                                                                         \
    if (!built_with_cuda()) GTEST_SKIP() << "this build has no CUDA";          \
    if (torch::cuda::device_count() == 0) GTEST_SKIP() << "no GPU visible";    \
  } while (0)

const torch::Device kGpu(torch::kCUDA, 0);

void expect_close(const torch::Tensor& cuda, const torch::Tensor& cpu, double relative,
                  const std::string& what) {
  const torch::Tensor a = cuda.cpu().to(torch::kFloat64);
  const torch::Tensor b = cpu.to(torch::kFloat64);
  const double scale = std::max(b.abs().max().item<double>(), 1e-12);
  EXPECT_LE((a - b).abs().max().item<double>(), relative * scale) << what;
}

// A device name as a tool takes it: parsed, then checked against the build.
torch::Device resolve(const std::string& name) { return resolve_device(parse_device(name)); }

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

TEST(CudaNeuron, BackwardMatchesTheCpuKernel_CUDA) {
  REQUIRE_CUDA();
  const torch::Tensor x = currents(4, 7, 2049, 3);
  const torch::Tensor grad = currents(4, 7, 2049, 4) - 0.75f;
  const torch::Tensor alpha = torch::tensor(2.5f);
  for (bool detach : {false, true}) {
    for (const torch::Tensor& k : {decays(2049, 5), torch::full({1}, 0.4f)}) {
      NeuronConstants c;
      c.detach_reset = detach;
      const NeuronForward f = neuron_forward(x, k, alpha, c, true);
      const NeuronBackward cpu = neuron_backward(grad, f.h_seq, k, alpha, c);
      const NeuronBackward gpu =
          neuron_backward(grad.to(kGpu), f.h_seq.to(kGpu), k.to(kGpu), alpha.to(kGpu), c);
      const std::string what = std::string(detach ? "detached" : "attached") + " reset, k " +
                               std::to_string(k.numel());
      EXPECT_TRUE(torch::equal(gpu.grad_x.cpu(), cpu.grad_x)) << what;
      expect_close(gpu.grad_k, cpu.grad_k, 1e-5, "grad_k, " + what);
      expect_close(gpu.grad_alpha, cpu.grad_alpha, 1e-5, "grad_alpha, " + what);
    }
  }
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
  TrainConfig config;
  config.T = 4;
  config.net.height = config.net.width = 32;
  config.net.channels = 4;
  config.net.number_layer = 2;
  config.net.use_plif = true;
  config.net.tau_per_neuron = true;
  config.net.tau_std_dev = 0.1;
  config.reg_lambda = 0.01;
  torch::manual_seed(11);
  GestureNet cpu_net(config.net);
  GestureNet gpu_net(config.net);
  {
    torch::NoGradGuard no_grad;
    const auto from = cpu_net->named_parameters();
    for (auto& p : gpu_net->named_parameters()) p.value().copy_(from[p.key()]);
  }
  gpu_net->to(kGpu);
  auto gen = at::make_generator<at::CPUGeneratorImpl>(12);
  const torch::Tensor frames = torch::randint(0, 3, {6, 4, 2, 32, 32}, gen).to(torch::kFloat32);
  const torch::Tensor labels = torch::tensor(std::vector<int64_t>{0, 3, 5, 10, 2, 7});
  auto step = [&](GestureNet& net, const torch::Device& device) {
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
