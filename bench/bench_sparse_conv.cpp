// The sparse 3x3 convolution against ATen's dense one (nn/sparse_conv_op.hpp)
// on the networks' layer shapes, at input densities around the choice's
// threshold: forward and weight gradient (the passes the sparse kernels
// replace), medians of --repeats after a warm-up, each pass timed alone.
// The tables are what the limits (kSparseMinChannels, sparse_density_limits)
// were read from.
//
//   bench_sparse_conv [--repeats 3] [--threads 2] [--densities 0.02,0.04,...]
//                     [--layers "layer 2"]
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "options.hpp"
#include "timing.hpp"
#include "plifkit/nn/runtime.hpp"
#include "plifkit/nn/sparse_conv_op.hpp"

namespace {

using plifkit::bench::median;
using plifkit::bench::now_seconds;
using plifkit::nn::ConvAlgorithm;

struct Layer {
  const char* network;
  int64_t images, in_channels, channels, size;  // images = batch x T
};

// The study's DVS128 Gesture network at its width (128 channels, batch 4,
// T 20: layer 1 takes the two polarities' event counts, layers 2-5 spikes),
// bench_train_step's default width (32 channels, batch 16), and CIFAR-10's
// (256 channels, batch 16, T 8).
const std::vector<Layer> kLayers = {
    {"DVS128 Gesture, 128 channels, layer 1 (events)", 80, 2, 128, 128},
    {"DVS128 Gesture, 32 channels, layer 1 (events)", 320, 2, 32, 128},
    {"DVS128 Gesture, 128 channels, layer 2", 80, 128, 128, 64},
    {"DVS128 Gesture, 128 channels, layer 3", 80, 128, 128, 32},
    {"DVS128 Gesture, 128 channels, layer 4", 80, 128, 128, 16},
    {"DVS128 Gesture, 32 channels, layer 2", 320, 32, 32, 64},
    {"CIFAR-10, 256 channels, 32x32", 128, 256, 256, 32},
    {"CIFAR-10, 256 channels, 16x16", 128, 256, 256, 16},
};

struct Timing {
  double forward, weight_grad;
};

Timing time_passes(ConvAlgorithm algorithm, const torch::Tensor& x, const torch::Tensor& w,
                   const torch::Tensor& grad_out, int repeats) {
  std::vector<double> forward, weight_grad;
  for (int r = 0; r <= repeats; ++r) {
    double t0 = now_seconds();
    {
      torch::NoGradGuard no_grad;
      plifkit::nn::conv3x3_with(algorithm, x, w);
    }
    if (r > 0) forward.push_back(now_seconds() - t0);
    const torch::Tensor wg = w.detach().requires_grad_(true);
    const torch::Tensor out = plifkit::nn::conv3x3_with(algorithm, x, wg);
    t0 = now_seconds();
    out.backward(grad_out);  // x needs no gradient: the weight's alone
    if (r > 0) weight_grad.push_back(now_seconds() - t0);
  }
  return {median(forward), median(weight_grad)};
}

std::vector<double> parse_list(const std::string& text) {
  std::vector<double> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) out.push_back(std::stod(item));
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  cxxopts::Options options("bench_sparse_conv", "Sparse against dense 3x3 convolution per layer shape and input density");
  options.add_options()
    ("repeats", "timed repeats (after one warm-up)", cxxopts::value<int>()->default_value("3"))
    ("densities", "fractions of non-zero inputs, comma separated", cxxopts::value<std::string>()->default_value("0.02,0.04,0.06,0.08,0.12"))
    ("layers", "only the layers whose name contains this text", cxxopts::value<std::string>()->default_value(""))
    ("threads", "threads (0: all cores)", cxxopts::value<int>()->default_value("0"));
  const auto r = plifkit::bench::parse_options(options, argc, argv);
  plifkit::nn::set_up_runtime(plifkit::bench::thread_count("bench_sparse_conv", r),
                              plifkit::nn::MemoryUse::repeated_steps);
  const int repeats = r["repeats"].as<int>();
  std::printf("threads %d, medians of %d\n\n", at::get_num_threads(), repeats);
  std::printf("| layer | input density | forward dense | forward sparse | ratio | weight grad dense | weight grad sparse | ratio |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---:|---:|\n");
  const std::string only = r["layers"].as<std::string>();
  for (const Layer& layer : kLayers) {
    if (std::string(layer.network).find(only) == std::string::npos) continue;
    for (double density : parse_list(r["densities"].as<std::string>())) {
      torch::manual_seed(1);
      const std::vector<int64_t> in_shape = {layer.images, layer.in_channels, layer.size, layer.size};
      const torch::Tensor x = (torch::rand(in_shape) < density).to(torch::kFloat32);  // spikes
      const torch::Tensor w = torch::randn({layer.channels, layer.in_channels, 3, 3}) * 0.05;
      const torch::Tensor grad_out = torch::randn({layer.images, layer.channels, layer.size, layer.size});
      const Timing dense = time_passes(ConvAlgorithm::dense, x, w, grad_out, repeats);
      const Timing sparse = time_passes(ConvAlgorithm::sparse, x, w, grad_out, repeats);
      std::printf("| %s | %.2f | %.3f s | %.3f s | %.2fx | %.3f s | %.3f s | %.2fx |\n", layer.network,
                  density, dense.forward, sparse.forward, dense.forward / sparse.forward,
                  dense.weight_grad, sparse.weight_grad, dense.weight_grad / sparse.weight_grad);
      std::fflush(stdout);
    }
  }
}
