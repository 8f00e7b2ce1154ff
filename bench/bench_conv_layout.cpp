// ATen's dense 3x3 convolution in the memory layout the networks use (NCHW)
// against channels-last (NHWC), on the networks' layer shapes: forward and
// the whole backward (input and weight gradients), medians of --repeats
// after a warm-up, with the caching allocator as plif-train has it. Two
// channels-last columns: every tensor already in that layout (what a network
// kept in channels-last throughout would pay) and NCHW tensors converted
// around each convolution (what switching the convolutions alone would pay).
// Issue 23 point 3 asks where channels-last wins, per layer.
//
//   bench_conv_layout [--repeats 3] [--threads 2]
#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <cstdio>
#include <vector>

#include "options.hpp"
#include "timing.hpp"
#include "plifkit/nn/runtime.hpp"

namespace {

using plifkit::bench::median;
using plifkit::bench::now_seconds;

struct Layer {
  const char* name;
  int64_t images, in_channels, out_channels, size;  // images = batch x T
  double input_density;  // spikes or event counts: the fraction of non-zeros
};

// The study's network at bench_train_step's width (32 channels, batch 16,
// T 20) and at the study's (128 channels, batch 4); MNIST's (128 channels)
// and CIFAR-10's (256) at batch 16, T 8 (their first convolution sees the
// static image once per sample, so it is left out).
const std::vector<Layer> kLayers = {
    {"DVS128 Gesture, 32 ch, layer 1 (events)", 320, 2, 32, 128, 0.01},
    {"DVS128 Gesture, 32 ch, layer 2", 320, 32, 32, 64, 0.10},
    {"DVS128 Gesture, 32 ch, layer 3", 320, 32, 32, 32, 0.10},
    {"DVS128 Gesture, 32 ch, layer 4", 320, 32, 32, 16, 0.10},
    {"DVS128 Gesture, 32 ch, layer 5", 320, 32, 32, 8, 0.10},
    {"DVS128 Gesture, 128 ch, layer 1 (events)", 80, 2, 128, 128, 0.01},
    {"DVS128 Gesture, 128 ch, layer 2", 80, 128, 128, 64, 0.10},
    {"DVS128 Gesture, 128 ch, layer 3", 80, 128, 128, 32, 0.10},
    {"MNIST, 128 ch, 28x28", 128, 128, 128, 28, 0.10},
    {"MNIST, 128 ch, 14x14", 128, 128, 128, 14, 0.10},
    {"CIFAR-10, 256 ch, 32x32", 128, 256, 256, 32, 0.10},
    {"CIFAR-10, 256 ch, 16x16", 128, 256, 256, 16, 0.10},
};

enum class Layout { nchw, channels_last, converted };

struct Timing {
  double forward, backward;
};

torch::Tensor convolve(Layout layout, const torch::Tensor& x, const torch::Tensor& w) {
  if (layout != Layout::converted) return torch::conv2d(x, w, {}, 1, 1);
  return torch::conv2d(x.contiguous(at::MemoryFormat::ChannelsLast),
                       w.contiguous(at::MemoryFormat::ChannelsLast), {}, 1, 1)
      .contiguous();
}

Timing time_passes(Layout layout, const Layer& layer, int repeats) {
  torch::manual_seed(1);
  const auto format = layout == Layout::channels_last ? at::MemoryFormat::ChannelsLast
                                                      : at::MemoryFormat::Contiguous;
  const torch::Tensor x = (torch::rand({layer.images, layer.in_channels, layer.size, layer.size}) <
                           layer.input_density)
                              .to(torch::kFloat32)
                              .contiguous(format);
  const torch::Tensor w =
      (torch::randn({layer.out_channels, layer.in_channels, 3, 3}) * 0.05).contiguous(format);
  const torch::Tensor grad_out =
      torch::randn({layer.images, layer.out_channels, layer.size, layer.size}).contiguous(format);
  std::vector<double> forward, backward;
  for (int r = 0; r <= repeats; ++r) {
    const torch::Tensor xg = x.detach().requires_grad_(true), wg = w.detach().requires_grad_(true);
    double t0 = now_seconds();
    const torch::Tensor out = convolve(layout, xg, wg);
    if (r > 0) forward.push_back(now_seconds() - t0);
    t0 = now_seconds();
    out.backward(grad_out);
    if (r > 0) backward.push_back(now_seconds() - t0);
  }
  return {median(forward), median(backward)};
}

}  // namespace

int main(int argc, char** argv) {
  cxxopts::Options options("bench_conv_layout", "Dense 3x3 convolution in NCHW against channels-last per layer shape");
  options.add_options()
    ("repeats", "timed repeats (after one warm-up)", cxxopts::value<int>()->default_value("3"))
    ("threads", "threads (0: all cores)", cxxopts::value<int>()->default_value("0"));
  const auto r = plifkit::bench::parse_options(options, argc, argv);
  plifkit::nn::set_up_runtime(plifkit::bench::thread_count("bench_conv_layout", r),
                              plifkit::nn::MemoryUse::repeated_steps);
  const int repeats = r["repeats"].as<int>();
  std::printf("threads %d, medians of %d; forward + backward (input and weight gradients)\n\n",
              at::get_num_threads(), repeats);
  std::printf("| layer | NCHW | channels-last | ratio | channels-last, converted around | ratio |\n");
  std::printf("|---|---:|---:|---:|---:|---:|\n");
  for (const Layer& layer : kLayers) {
    const Timing nchw = time_passes(Layout::nchw, layer, repeats);
    const Timing last = time_passes(Layout::channels_last, layer, repeats);
    const Timing converted = time_passes(Layout::converted, layer, repeats);
    const double base = nchw.forward + nchw.backward;
    std::printf("| %s | %.3f + %.3f s | %.3f + %.3f s | %.2fx | %.3f + %.3f s | %.2fx |\n", layer.name,
                nchw.forward, nchw.backward, last.forward, last.backward,
                base / (last.forward + last.backward), converted.forward, converted.backward,
                base / (converted.forward + converted.backward));
    std::fflush(stdout);
  }
}
