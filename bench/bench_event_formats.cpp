// Data-stage benchmark of the one-file-per-sample event formats (N-MNIST
// .bin, CIFAR10-DVS AEDAT 2.0, ASL-DVS .mat): per format, a plain read() of
// all files (the I/O floor), decoding alone on one thread, decoding plus
// integration on one thread, and the whole aedat2frames conversion on
// --threads threads (listing, decode, integrate, compress, HDF5 write).
//
//   bench_event_formats [--dir DIR] [--runs 5] [--threads 2] [--only NMNIST]
//
// Synthetic folders shaped like the real files (events per file about the
// real datasets'; fewer files) are generated once under DIR (default
// /tmp/plifkit_bench_formats) and reused. Every figure is the median of
// --runs runs after one warm-up pass that brings the files into the page
// cache. Frames: T 20, split by number, counts (the reference's settings).
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <cxxopts.hpp>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "options.hpp"
#include "timing.hpp"
#include "plifkit/events/asldvs_reader.hpp"
#include "plifkit/events/cifar10dvs_reader.hpp"
#include "plifkit/events/nmnist_reader.hpp"
#include "plifkit/events/sample_files.hpp"
#include "plifkit/events/synth_event_datasets.hpp"
#include "plifkit/frames/convert.hpp"
#include "plifkit/frames/integrate.hpp"

using namespace plifkit;

namespace {

struct Shape {
  Dataset dataset;
  int samples_per_class;
  int events_per_sample;
};

// About the real files' events per sample: N-MNIST ~4 k, CIFAR10-DVS
// ~200 k, ASL-DVS ~20 k (a 100 ms gesture).
constexpr Shape kShapes[] = {{Dataset::NMNIST, 160, 4000},
                             {Dataset::CIFAR10DVS, 8, 200000},
                             {Dataset::ASLDVS, 8, 20000}};

double time_median(int runs, const std::function<void()>& f) {
  f();  // warm-up: files into the page cache, buffers grown
  std::vector<double> t;
  for (int r = 0; r < runs; ++r) {
    const double start = bench::now_seconds();
    f();
    t.push_back(bench::now_seconds() - start);
  }
  return bench::median(t);
}

std::uint64_t plain_read(const std::vector<const SampleFile*>& files) {
  static std::vector<char> buf(1 << 20);
  std::uint64_t total = 0;
  for (const SampleFile* f : files) {
    const int fd = ::open(f->path.c_str(), O_RDONLY);
    ssize_t n;
    while ((n = ::read(fd, buf.data(), buf.size())) > 0) total += static_cast<std::uint64_t>(n);
    ::close(fd);
  }
  return total;
}

void decode(Dataset dataset, const std::string& path, EventBuffer& out) {
  switch (dataset) {
    case Dataset::NMNIST: read_nmnist(path, out); return;
    case Dataset::CIFAR10DVS: read_cifar10dvs(path, Orientation::reference, out); return;
    default: read_asldvs(path, Orientation::reference, out); return;
  }
}

}  // namespace

int main(int argc, char** argv) {
  cxxopts::Options options("bench_event_formats", "Data-stage throughput per event format");
  options.add_options()
      ("dir", "where the synthetic folders are kept",
       cxxopts::value<std::string>()->default_value("/tmp/plifkit_bench_formats"))
      ("runs", "runs per figure (median)", cxxopts::value<int>()->default_value("5"))
      ("threads", "threads of the whole conversion", cxxopts::value<int>()->default_value("2"))
      ("only", "one dataset (NMNIST, CIFAR10DVS, ASLDVS)", cxxopts::value<std::string>());
  const auto args = plifkit::bench::parse_options(options, argc, argv);
  const std::string dir = args["dir"].as<std::string>();
  const int runs = args["runs"].as<int>();
  const int threads = args["threads"].as<int>();

  std::printf("%-11s %-34s %9s %12s %9s %7s\n", "format", "stage", "seconds", "M events/s",
              "MB/s", "x read");
  for (const Shape& shape : kShapes) {
    const std::string name = name_of_choice(shape.dataset);
    if (args.count("only") != 0 && args["only"].as<std::string>() != name) continue;
    const std::string data = dir + "/" + name;
    if (!std::filesystem::exists(data + "/complete")) {
      std::filesystem::create_directories(dir);
      EventSynthOptions o;
      o.samples_per_class = shape.samples_per_class;
      o.events_per_sample = shape.events_per_sample;
      synthesize_event_dataset(shape.dataset, data, o);
      std::FILE* stamp = std::fopen((data + "/complete").c_str(), "w");
      if (stamp != nullptr) std::fclose(stamp);
    }
    const SampleListing listing = list_sample_files(shape.dataset, data);
    std::vector<const SampleFile*> files;
    for (const auto* split : {&listing.train, &listing.test})
      for (const auto& f : split->files) files.push_back(&f);

    EventBuffer events;
    std::uint64_t total_events = 0, bytes = 0;
    for (const SampleFile* f : files) {
      decode(shape.dataset, f->path, events);
      total_events += events.size();
      bytes += f->stamp.size;
    }
    frames::FrameParams params;
    params.T = 20;
    params.sensor = SensorSize{static_cast<int>(row_of(shape.dataset).width),
                               static_cast<int>(row_of(shape.dataset).height)};
    frames::Integrator integrator(params);
    std::vector<std::uint16_t> counts(params.sample_elements());
    const std::string out = dir + "/" + name + ".h5";

    const double read_s = time_median(runs, [&] { plain_read(files); });
    const double decode_s = time_median(runs, [&] {
      for (const SampleFile* f : files) decode(shape.dataset, f->path, events);
    });
    const double integrate_s = time_median(runs, [&] {
      for (const SampleFile* f : files) {
        decode(shape.dataset, f->path, events);
        integrator.counts(events.t(), events.addr(), events.size(), counts.data());
      }
    });
    const double whole_s = time_median(runs, [&] {
      frames::ConvertOptions o;
      o.dataset = shape.dataset;
      o.source_dir = data;
      o.output = out;
      o.jobs = threads;
      o.force = true;
      frames::convert(o);
    });
    std::printf("%-11s %zu files, %.1f M events, %.1f MB\n", name.c_str(), files.size(),
                static_cast<double>(total_events) / 1e6, static_cast<double>(bytes) / 1e6);
    auto row = [&](const std::string& stage, double s) {
      std::printf("%-11s %-34s %9.3f %12.1f %9.0f %7.2f\n", "", stage.c_str(), s,
                  static_cast<double>(total_events) / s / 1e6, static_cast<double>(bytes) / s / 1e6,
                  s / read_s);
    };
    row("plain read, 1 thread", read_s);
    row("decode, 1 thread", decode_s);
    row("decode + integrate, 1 thread", integrate_s);
    row("aedat2frames --threads " + std::to_string(threads), whole_s);
    std::filesystem::remove(out);
  }
  return 0;
}
