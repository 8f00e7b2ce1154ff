// The fused neuron layer alone, forward + backward over T steps, at several
// layer sizes, next to the physical limit of such an elementwise time scan:
// a plain copy of as many bytes as the kernel must move.
//
//   bench_neuron_layer [--sizes 32768,131072,524288 --batch 16 -T 20
//                       --repeats 5 --threads 0 --device cpu|cuda]
//
// For N = B * T * M float32 elements the forward reads x and writes the
// spikes and the saved membrane h (12 N bytes), the backward reads the
// upstream gradient and h and writes the input's gradient (12 N bytes): 24 N
// bytes in all. The copy moves the same 24 N bytes (reads 12 N, writes 12 N)
// with LibTorch's parallel copy. Decays are per neuron; the caching allocator
// that plif-train installs is installed here too, so neither figure pays for
// faulting in fresh pages. Prints per size the median seconds, the achieved
// bandwidths and their ratio (bench/peers/run.sh reads these lines).
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <cstdio>
#include <cxxopts.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "options.hpp"
#include "timing.hpp"
#include "plifkit/nn/device.hpp"
#include "plifkit/nn/neuron_op.hpp"
#include "plifkit/nn/runtime.hpp"

using namespace plifkit::nn;
using plifkit::bench::median;

namespace {

template <typename Work>
double median_seconds(int repeats, const torch::Device& device, Work&& work) {
  std::vector<double> times;
  for (int r = 0; r <= repeats; ++r) {
    synchronize(device);
    const double t0 = plifkit::bench::now_seconds();
    work();
    synchronize(device);
    if (r > 0) times.push_back(plifkit::bench::now_seconds() - t0);  // run 0 warms up
  }
  return median(times);
}

}  // namespace

int main(int argc, char** argv) {
  cxxopts::Options options("bench_neuron_layer", "Fused neuron layer fwd+bwd against a plain copy");
  options.add_options()
    ("sizes", "neurons per layer, comma separated", cxxopts::value<std::string>()->default_value("32768,131072,524288"))
    ("batch", "batch size", cxxopts::value<int64_t>()->default_value("16"))
    ("T", "time steps", cxxopts::value<int64_t>()->default_value("20"))
    ("repeats", "timed repeats (after one warm-up)", cxxopts::value<int>()->default_value("5"))
    ("device", "cpu, cuda or cuda:N", cxxopts::value<std::string>()->default_value("cpu"))
    ("threads", "threads (0: all cores)", cxxopts::value<int>()->default_value("0"));
  const auto r = plifkit::bench::parse_options(options, argc, argv);
  plifkit::nn::set_up_runtime(plifkit::bench::thread_count("bench_neuron_layer", r),
                              plifkit::nn::MemoryUse::repeated_steps);
  const torch::Device device = resolve_device(plifkit::parse_device(r["device"].as<std::string>()));
  const int64_t B = r["batch"].as<int64_t>(), T = r["T"].as<int64_t>();
  const int repeats = r["repeats"].as<int>();
  std::printf("device %s threads %d B %lld T %lld\n", device.str().c_str(), at::get_num_threads(),
              static_cast<long long>(B), static_cast<long long>(T));

  std::stringstream sizes(r["sizes"].as<std::string>());
  for (std::string item; std::getline(sizes, item, ',');) {
    const int64_t M = std::stoll(item);
    torch::manual_seed(2020);
    const auto x = (torch::randn({B, T, M}) + 0.5).to(device);
    const auto grad = torch::randn_like(x);
    const auto w = torch::zeros({1, M}).to(device);
    const auto alpha = torch::tensor(2.0f).to(device);
    NeuronConstants o;
    o.detach_reset = true;
    const double fused = median_seconds(repeats, device, [&] {
      const auto xi = x.detach().requires_grad_(true);
      const auto wi = w.detach().requires_grad_(true);
      neuron_multistep(xi, torch::sigmoid(wi), alpha, o).backward(grad);
    });
    const double bytes = 24.0 * static_cast<double>(x.numel());
    const auto src = torch::randn({3 * x.numel()}).to(device);
    auto dst = torch::empty_like(src);
    const double copy = median_seconds(repeats, device, [&] { dst.copy_(src); });
    std::printf("neuron_fwd_bwd_s %lld %.4f\n", static_cast<long long>(M), fused);
    std::printf("bandwidth_gb_s %lld fused %.2f copy %.2f fraction %.2f\n",
                static_cast<long long>(M), bytes / fused / 1e9, bytes / copy / 1e9, copy / fused);
  }
  return 0;
}
