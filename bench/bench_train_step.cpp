// Training-step benchmark: one process measures one execution mode, so its
// peak memory (max RSS) belongs to that mode alone; bench/train_step.sh runs
// both and prints the ratios.
//
//   bench_train_step --mode fused|plain [--dataset DVS128Gesture
//                    --channels 32 --T 20 --batch 16
//                    --size 128 --layers 5 --steps 5 --threads 0
//                    --tau neuron|layer --device cpu|cuda|cuda:N
//                    --amp off|bf16|fp16 --input_density 0.75
//                    --neurons --phases]
//
// fused: the product (fused neuron kernel, conv/BN/pool over all T*B frames);
// plain: the reference's execution (whole network once per time step,
// neurons from LibTorch operations). With an image dataset (MNIST,
// FashionMNIST, CIFAR10) the step is the static network's on random images,
// each step's batch augmented and normalised as plif-train does it, and the
// augmentation's share of the step is reported. Reports the median step time, the peak
// RSS (and on CUDA the peak memory Torch's allocator handed out), and the
// neuron layers' forward+backward time on the same shapes, and the minor
// page faults and system time per steady step; with --phases, further steps
// split into forward, backward and optimizer, and each pass's time in
// convolutions, batch norm, neurons and pooling. PLIFKIT_CPU_ISA picks the
// neuron kernels' instruction set (cpu_isa line). On CUDA every
// timing waits for the device's queue at both ends.
#include <ATen/Parallel.h>
#include <sys/resource.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cxxopts.hpp>

#include "op_families.hpp"
#include "options.hpp"
#include "timing.hpp"
#include "plifkit/nn/cpu/cpu_isa.hpp"
#include "plifkit/nn/runtime.hpp"
#include "plifkit/nn/device.hpp"
#include "plifkit/nn/mixed_precision.hpp"
#include "plifkit/nn/network.hpp"
#include "plifkit/nn/trainer.hpp"
#include "plifkit/nn/transforms/image_transforms.hpp"

using namespace plifkit::nn;

namespace {

using plifkit::bench::median;
double now() { return plifkit::bench::now_seconds(); }

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// Minor page faults and system CPU seconds of the process so far: a steady
// step that takes memory from the kernel and gives it back shows in both.
struct KernelCost {
  double minor_faults = 0;
  double system_s = 0;
};
KernelCost kernel_cost() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return {static_cast<double>(usage.ru_minflt),
          static_cast<double>(usage.ru_stime.tv_sec) + 1e-6 * static_cast<double>(usage.ru_stime.tv_usec)};
}

// Forward + backward of one neuron layer on input x [B, T, M], with a given
// upstream gradient (as pooling's backward hands it over). Fused: one
// operation over the sequence. Plain: as the reference's execution sees it,
// T contiguous [B, M] steps through the LibTorch neuron step.
double neuron_seconds(const torch::Tensor& x, const torch::Tensor& w, bool fused, int repeats,
                      const torch::Device& device) {
  std::vector<double> times;
  const torch::Tensor grad = torch::randn_like(x);
  const int64_t T = x.size(1);
  std::vector<torch::Tensor> x_steps, grad_steps;
  for (int64_t t = 0; t < T; ++t) {
    x_steps.push_back(x.select(1, t).contiguous());
    grad_steps.push_back(grad.select(1, t).contiguous());
  }
  NeuronConstants o;
  o.detach_reset = true;
  const auto alpha = torch::tensor(2.0f).to(device);
  for (int r = 0; r < repeats; ++r) {
    auto wi = w.detach().requires_grad_(true);
    if (fused) {
      auto xi = x.detach().requires_grad_(true);
      synchronize(device);
      const double t0 = now();
      neuron_multistep(xi, torch::sigmoid(wi), alpha, o).backward(grad);
      synchronize(device);
      times.push_back(now() - t0);
    } else {
      std::vector<torch::Tensor> inputs;
      for (const auto& xs : x_steps) inputs.push_back(xs.detach().requires_grad_(true));
      synchronize(device);
      const double t0 = now();
      const auto k = torch::sigmoid(wi);
      torch::Tensor v = torch::zeros_like(inputs[0]);
      std::vector<torch::Tensor> spikes;
      for (const auto& xs : inputs) spikes.push_back(neuron_step_plain(xs, v, k, alpha, o));
      torch::autograd::backward(spikes, grad_steps);
      synchronize(device);
      times.push_back(now() - t0);
    }
  }
  return median(times);
}

// Event counts of 1-3 at a `density` fraction of the elements, zeros elsewhere.
torch::Tensor random_event_frames(const std::vector<int64_t>& shape, double density) {
  const torch::Tensor active = torch::rand(shape) < density;
  return active.to(torch::kFloat32) * torch::randint(1, 4, shape).to(torch::kFloat32);
}

}  // namespace

int main(int argc, char** argv) {
  cxxopts::Options options("bench_train_step", "Median training-step time and peak memory, one mode per process");
  options.add_options()
    ("mode", "fused or plain", cxxopts::value<std::string>()->default_value("fused"))
    ("dataset", "DVS128Gesture (or another event dataset: their network) or MNIST, FashionMNIST, CIFAR10 (the static networks; --size and --layers do not apply)", cxxopts::value<std::string>()->default_value("DVS128Gesture"))
    ("channels", "conv channels", cxxopts::value<int64_t>()->default_value("32"))
    ("T", "time steps", cxxopts::value<int64_t>()->default_value("20"))
    ("batch", "batch size", cxxopts::value<int64_t>()->default_value("16"))
    ("size", "frame height and width", cxxopts::value<int64_t>()->default_value("128"))
    ("layers", "conv blocks", cxxopts::value<int64_t>()->default_value("5"))
    ("input_density", "event datasets: the fraction of non-zero counts (1-3 events) in the random input frames (real DVS128 Gesture frames at T 20: about 0.01)", cxxopts::value<double>()->default_value("0.75"))
    ("steps", "timed steps (after one warm-up step)", cxxopts::value<int>()->default_value("5"))
    ("tau", "neuron (one learnable tau per neuron) or layer (one per layer)", cxxopts::value<std::string>()->default_value("neuron"))
    ("neurons", "also time the neuron layers alone")
    ("phases", "also time further steps phase by phase (forward, backward, optimizer), each phase's operators by family (convolution, batch norm, neurons, pooling)")
    ("allocator", "default (glibc) or caching (as plif-train uses; CPU memory only)", cxxopts::value<std::string>()->default_value("caching"))
    ("device", "cpu, cuda or cuda:N", cxxopts::value<std::string>()->default_value("cpu"))
    ("amp", "off, bf16 or fp16 (CUDA)", cxxopts::value<std::string>()->default_value("off"))
    ("threads", "threads (0: all cores)", cxxopts::value<int>()->default_value("0"));
  const auto r = plifkit::bench::parse_options(options, argc, argv);
  set_up_runtime(plifkit::bench::thread_count("bench_train_step", r),
                 MemoryUse::repeated_steps, r["allocator"].as<std::string>() == "caching");
  const bool fused = r["mode"].as<std::string>() == "fused";
  const torch::Device device = resolve_device(plifkit::parse_device(r["device"].as<std::string>()));
  const plifkit::Amp amp = plifkit::parse_choice<plifkit::Amp>("amp", r["amp"].as<std::string>());
  if (amp != plifkit::Amp::off && !device.is_cuda()) {
    std::fprintf(stderr, "bench_train_step: --amp needs --device cuda\n");
    return 2;
  }

  plifkit::TrainConfig config;
  const auto dataset = plifkit::parse_choice<plifkit::Dataset>("dataset", r["dataset"].as<std::string>());
  const plifkit::DatasetRow& facts = plifkit::row_of(dataset);
  const bool images = facts.kind == plifkit::InputKind::images;
  config.dataset = dataset;
  config.net.dataset = dataset;
  config.net.class_num = facts.class_num;
  config.T = r["T"].as<int64_t>();
  config.net.height = config.net.width = r["size"].as<int64_t>();
  if (images) {
    config.net.height = facts.height;
    config.net.width = facts.width;
  }
  config.net.channels = r["channels"].as<int64_t>();
  config.net.number_layer = r["layers"].as<int64_t>();
  config.net.use_plif = true;
  config.net.use_max_pool = true;
  config.net.detach_reset = true;
  config.net.tau_per_neuron = r["tau"].as<std::string>() == "neuron";
  config.net.tau_std_dev = config.net.tau_per_neuron ? 0.1 : 0.0;
  config.reg_lambda = config.net.tau_per_neuron ? 0.01 : 0.0;
  const int64_t B = r["batch"].as<int64_t>();

  torch::manual_seed(2020);
  PlifNet net(config.net);
  net->to(device);
  tune_for_fixed_shapes(device);
  torch::optim::Adam adam(net->parameters(), torch::optim::AdamOptions(1e-3));
  LossScaler scaler(amp == plifkit::Amp::fp16, device);
  const auto frames = images ? torch::Tensor()
                             : random_event_frames({B, *config.T, 2, config.net.height, config.net.width},
                                                   r["input_density"].as<double>())
                                   .to(device);
  const auto pixels = images ? torch::randint(0, 256, {B, facts.channels, facts.height, facts.width},
                                              torch::kUInt8)
                                   .to(device)
                             : torch::Tensor();
  std::vector<double> augment_times;
  const auto labels = torch::randint(0, config.net.class_num, {B}, torch::kInt64).to(device);
  const double rss_before = peak_rss_mib();
  synchronize(device);
  reset_device_peak(device);
  // Step s's input: the frames, or the images augmented as plif-train does.
  const auto batch_input = [&](int s) {
    if (!images) return frames;
    auto augment = at::make_generator<at::CPUGeneratorImpl>(1000 + s);
    const torch::Tensor x = train_transform(dataset, pixels, augment);
    return x.unsqueeze(1).expand({B, *config.T, -1, -1, -1});
  };
  std::vector<double> times;
  const int steps = r["steps"].as<int>();
  KernelCost steady_start;
  for (int s = 0; s <= steps; ++s) {
    if (s == 1) steady_start = kernel_cost();
    auto gen = at::make_generator<at::CPUGeneratorImpl>(s);
    synchronize(device);
    const double t0 = now();
    const torch::Tensor input = batch_input(s);
    if (images) {
      synchronize(device);
      if (s > 0) augment_times.push_back(now() - t0);
    }
    optimizer_step(*net, adam, scaler, amp, config, input, labels, gen,
                   fused ? Execution::fused : Execution::plain);
    synchronize(device);
    if (s > 0) times.push_back(now() - t0);  // step 0 warms up allocator and kernels
  }
  const KernelCost steady_end = kernel_cost();
  std::printf("allocator %s\n", r["allocator"].as<std::string>().c_str());
  std::printf("cpu_isa %s\n", cpu::name_of(cpu::current_cpu_isa()));
  const std::string blas = blas_library();
  std::printf("blas %s\n", blas.empty() ? "none (LibTorch's own)" : blas.c_str());
  std::printf("device %s amp %s\n", device.str().c_str(), plifkit::name_of_choice(amp));
  std::printf("mode %s tau %s channels %lld T %lld batch %lld size %lld layers %lld threads %d\n",
              fused ? "fused" : "plain", config.net.tau_per_neuron ? "neuron" : "layer",
              (long long)config.net.channels, (long long)*config.T,
              (long long)B, (long long)config.net.height, (long long)config.net.number_layer,
              at::get_num_threads());
  std::printf("dataset %s\n", plifkit::name_of_choice(dataset));
  std::printf("step_median_s %.4f\n", median(times));
  if (images) {
    std::printf("augment_median_s %.5f\n", median(augment_times));
    std::printf("augment_share_of_step %.4f\n", median(augment_times) / median(times));
  }
  std::printf("step_min_s %.4f\n", *std::min_element(times.begin(), times.end()));
  std::printf("peak_rss_mib %.0f\n", peak_rss_mib());
  std::printf("rss_before_steps_mib %.0f\n", rss_before);
  // Means over the timed steps (the warm-up step excluded).
  std::printf("minor_faults_per_step %.0f\n", (steady_end.minor_faults - steady_start.minor_faults) / steps);
  std::printf("system_s_per_step %.3f\n", (steady_end.system_s - steady_start.system_s) / steps);
  if (device.is_cuda())
    std::printf("peak_gpu_mib %.0f\n", static_cast<double>(device_peak_bytes(device)) / (1 << 20));

  if (r.count("phases") != 0) {
    if (amp != plifkit::Amp::off) {
      std::fprintf(stderr, "bench_train_step: --phases times the float32 step (--amp off)\n");
      return 2;
    }
    // optimizer_step's float32 step written out phase by phase.
    const plifkit::bench::OpFamilyTimer families;
    std::vector<double> forward_s, backward_s, optimizer_s;
    std::vector<double> family_s[2][plifkit::bench::kOpFamilies];
    const auto add_families = [&](int phase, const auto& before, const auto& after) {
      for (int f = 0; f < plifkit::bench::kOpFamilies; ++f) family_s[phase][f].push_back(after[f] - before[f]);
    };
    for (int s = 0; s < steps; ++s) {
      auto gen = at::make_generator<at::CPUGeneratorImpl>(100 + s);
      const torch::Tensor input = batch_input(s);
      synchronize(device);
      const auto f0 = families.seconds();
      const double t0 = now();
      const auto counts = net->forward(input, gen, fused ? Execution::fused : Execution::plain);
      const auto loss = plifkit::nn::training_loss(counts, labels, *net, config);
      synchronize(device);
      const double t1 = now();
      const auto f1 = families.seconds();
      adam.zero_grad();
      loss.backward();
      synchronize(device);
      const double t2 = now();
      const auto f2 = families.seconds();
      adam.step();
      synchronize(device);
      const double t3 = now();
      forward_s.push_back(t1 - t0);
      backward_s.push_back(t2 - t1);
      optimizer_s.push_back(t3 - t2);
      add_families(0, f0, f1);
      add_families(1, f1, f2);
    }
    std::printf("phase_forward_median_s %.4f\n", median(forward_s));
    std::printf("phase_backward_median_s %.4f\n", median(backward_s));
    std::printf("phase_optimizer_median_s %.4f\n", median(optimizer_s));
    const char* phase_names[2] = {"forward", "backward"};
    for (int phase = 0; phase < 2; ++phase)
      for (int f = 0; f < plifkit::bench::kOpFamilies; ++f)
        std::printf("%s_%s_median_s %.4f\n", phase_names[phase], plifkit::bench::op_family_name(f),
                    median(family_s[phase][f]));
  }

  if (r.count("neurons") != 0) {
    // Every neuron layer's shape, with the input a typical BN output.
    double total = 0;
    for (const auto& layer : net->layout().neuron_layers()) {
      const auto x = (torch::randn({B, *config.T, layer.neurons}) + 0.5).to(device);
      const auto w = torch::zeros({1, layer.neurons}).to(device);
      total += neuron_seconds(x, w, fused, 3, device);
    }
    std::printf("neuron_fwd_bwd_median_s %.4f\n", total);
    std::printf("neuron_share_of_step %.3f\n", total / median(times));
  }
  return 0;
}
