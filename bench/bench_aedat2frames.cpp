// Data-stage benchmark: decode + integrate throughput of DVS128 Gesture
// recordings from the page cache, next to a plain sequential read of the same
// files (the I/O floor), and the whole aedat2frames conversion.
//
//   bench_aedat2frames [--dir DIR] [--users 6 --lightings 5
//                      --events_per_gesture 300000] [--runs 5] [--jobs 0]
//                      [--target 6]
//
// Without --dir a dataset is generated with dvs-synth's generator into a
// temporary folder and removed afterwards; with --dir an existing DVS128
// Gesture folder (real or synthetic) is used, or generated there once when
// it holds none. Every figure is the median of --runs runs after one warm-up
// pass that brings the files into the page cache. Frames: T 20, split by
// number, counts (the seed's settings). The last line says whether the whole
// conversion stays within --target times the plain read (the data-stage
// target of issue 15).
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cxxopts.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "options.hpp"
#include "timing.hpp"
#include "plifkit/core/file_stamp.hpp"
#include "plifkit/events/aedat_reader.hpp"
#include "plifkit/events/dataset_listing.hpp"
#include "plifkit/events/dvs_gesture.hpp"
#include "plifkit/events/labels.hpp"
#include "plifkit/events/synth.hpp"
#include "plifkit/frames/convert.hpp"
#include "plifkit/frames/integrate.hpp"

using namespace plifkit;

namespace {

using plifkit::bench::median;
double now() { return plifkit::bench::now_seconds(); }

// User plus system CPU seconds of the whole process, all threads: unlike the
// wall time, it hardly moves when other processes share the cores.
double cpu_seconds() {
  rusage u{};
  ::getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec); };
  return s(u.ru_utime) + s(u.ru_stime);
}

std::string cpu_model() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown CPU";
}

// The I/O floor: read() every file front to back into one 1 MiB buffer.
std::uint64_t plain_read(const std::vector<RecordingFiles>& recs) {
  std::vector<char> buf(1 << 20);
  std::uint64_t total = 0;
  for (const auto& r : recs) {
    const int fd = ::open(r.aedat_path.c_str(), O_RDONLY);
    if (fd < 0) throw std::runtime_error("cannot open " + r.aedat_path);
    ssize_t got;
    while ((got = ::read(fd, buf.data(), buf.size())) > 0) total += static_cast<std::uint64_t>(got);
    ::close(fd);
  }
  return total;
}

// Runs work(recording, thread) over all recordings on `jobs` threads.
void for_each_recording(std::size_t count, int jobs,
                        const std::function<void(std::size_t, int)>& work) {
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> pool;
  for (int j = 0; j < jobs; ++j)
    pool.emplace_back([&, j] {
      for (std::size_t i; (i = next++) < count;) work(i, j);
    });
  for (auto& t : pool) t.join();
}

struct Stage {
  std::string name;
  std::function<std::uint64_t()> run;  // returns events handled
};

}  // namespace

int main(int argc, char** argv) {
  cxxopts::Options options("bench_aedat2frames", "aedat2frames throughput benchmark");
  options.add_options()
      ("dir", "DVS128 Gesture folder (generated there if it has none)", cxxopts::value<std::string>())
      ("users", "synthetic users", cxxopts::value<int>()->default_value("6"))
      ("lightings", "synthetic lightings per user", cxxopts::value<int>()->default_value("5"))
      ("events_per_gesture", "synthetic events per gesture",
       cxxopts::value<int>()->default_value("300000"))
      ("runs", "timed runs per figure (median)", cxxopts::value<int>()->default_value("5"))
      ("jobs", "threads for the parallel figures (0 = all cores)",
       cxxopts::value<int>()->default_value("0"))
      ("target", "the whole conversion's allowed multiple of the plain read",
       cxxopts::value<double>()->default_value("6"));
  const auto args = plifkit::bench::parse_options(options, argc, argv);
  try {
    const int runs = std::max(1, args["runs"].as<int>());
    const unsigned hw = std::thread::hardware_concurrency();
    const int jobs = args["jobs"].as<int>() > 0 ? args["jobs"].as<int>()
                                                 : std::max(1, static_cast<int>(hw));
    std::string dir;
    bool temporary = false;
    if (args.count("dir") != 0) {
      dir = args["dir"].as<std::string>();
    } else {
      char tmpl[] = "/tmp/bench_aedat2frames.XXXXXX";
      if (::mkdtemp(tmpl) == nullptr) throw std::runtime_error("cannot make a temporary folder");
      dir = tmpl;
      temporary = true;
    }
    if (!file_exists(dvs_gesture::join(dir, dvs_gesture::kTrainList))) {
      SynthOptions synth;
      synth.users = args["users"].as<int>();
      synth.lightings = args["lightings"].as<int>();
      synth.events_per_gesture = args["events_per_gesture"].as<int>();
      const double t0 = now();
      synthesize_dataset(dir, synth);
      std::printf("generated     %s in %.1f s\n", dir.c_str(), now() - t0);
    }
    const DatasetListing listing = list_dataset(dir);
    std::vector<RecordingFiles> recs = listing.train.recordings;
    recs.insert(recs.end(), listing.test.recordings.begin(), listing.test.recordings.end());
    std::vector<std::vector<LabelRow>> labels;
    for (const auto& r : recs) labels.push_back(read_labels(r.labels_path, static_cast<int>(plifkit::row_of(plifkit::Dataset::DVS128Gesture).class_num)));

    frames::FrameParams params;
    params.T = 20;
    params.sensor = SensorSize{dvs_gesture::kWidth, dvs_gesture::kHeight};
    const std::uint64_t bytes = plain_read(recs);  // warm-up: page cache

    auto decode_integrate = [&](int threads, bool integrate) {
      std::vector<EventBuffer> events(static_cast<std::size_t>(threads));
      std::vector<std::unique_ptr<frames::Integrator>> integrators;
      std::vector<std::vector<std::uint16_t>> out(static_cast<std::size_t>(threads));
      for (int j = 0; j < threads; ++j) {
        integrators.push_back(std::make_unique<frames::Integrator>(params));
        out[static_cast<std::size_t>(j)].resize(params.sample_elements());
      }
      std::atomic<std::uint64_t> decoded{0};
      for_each_recording(recs.size(), threads, [&](std::size_t i, int j) {
        EventBuffer& ev = events[static_cast<std::size_t>(j)];
        read_aedat(recs[i].aedat_path, params.sensor, ev);
        decoded += ev.size();
        if (!integrate) return;
        for (const LabelRow& row : labels[i]) {
          const frames::EventRange w = frames::find_window(ev.t(), ev.size(), row.t_start, row.t_end);
          integrators[static_cast<std::size_t>(j)]->counts(
              ev.t() + w.first, ev.addr() + w.first, w.last - w.first,
              out[static_cast<std::size_t>(j)].data());
        }
      });
      return decoded.load();
    };
    const std::string output = dvs_gesture::join(dir, "bench_frames.h5");
    const std::string jobs_text = std::to_string(jobs) + (jobs == 1 ? " thread" : " threads");
    const std::vector<Stage> stages = {
        {"plain read, 1 thread", [&] {
           plain_read(recs);
           return std::uint64_t{0};  // no events: the floor
         }},
        {"decode, 1 thread", [&] { return decode_integrate(1, false); }},
        {"decode + integrate, 1 thread", [&] { return decode_integrate(1, true); }},
        {"decode + integrate, " + jobs_text, [&] { return decode_integrate(jobs, true); }},
        {"aedat2frames --jobs " + std::to_string(jobs) + " (+ deflate, HDF5)",
         [&] {
           frames::ConvertOptions o;
           o.source_dir = dir;
           o.output = output;
           o.T = params.T;
           o.jobs = jobs;
           o.force = true;
           return frames::convert(o).events_decoded;
         }},
    };

    std::printf("machine       %s, %u cores\n", cpu_model().c_str(), hw);
    std::printf("dataset       %zu recordings, %.1f MB, T %d split_by number normalization none\n",
                recs.size(), static_cast<double>(bytes) / 1e6, params.T);
    std::printf("runs          %d (median), files in the page cache\n\n", runs);
    std::printf("%-46s %9s %12s %9s %9s %9s\n", "stage", "seconds", "M events/s", "MB/s", "x read",
                "CPU s");
    double read_seconds = 0;
    double ratio = 0;  // of the last stage, the whole conversion
    for (const Stage& stage : stages) {
      std::vector<double> times, cpu;
      std::uint64_t events = 0;
      for (int r = 0; r < runs; ++r) {
        const double t0 = now(), c0 = cpu_seconds();
        events = stage.run();
        times.push_back(now() - t0);
        cpu.push_back(cpu_seconds() - c0);
      }
      const double s = median(times);
      if (read_seconds == 0) read_seconds = s;
      ratio = s / read_seconds;
      char rate[32] = "-";
      if (events > 0) std::snprintf(rate, sizeof rate, "%.1f", static_cast<double>(events) / s / 1e6);
      std::printf("%-46s %9.3f %12s %9.0f %9.2f %9.3f\n", stage.name.c_str(), s, rate,
                  static_cast<double>(bytes) / s / 1e6, ratio, median(cpu));
    }
    std::size_t samples = 0;
    for (const auto& rows : labels) samples += rows.size();
    const double target = args["target"].as<double>();
    std::printf("\noutput        %zu samples, %.1f MB of frames before compression, %.1f MB file\n",
                samples, static_cast<double>(samples * params.sample_elements() * 2) / 1e6,
                static_cast<double>(std::filesystem::file_size(output)) / 1e6);
    std::printf("target        aedat2frames within %.1fx of the plain read: %.2fx, %s\n", target,
                ratio, ratio <= target ? "met" : "NOT met");
    std::remove(output.c_str());
    if (temporary) std::filesystem::remove_all(dir);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_aedat2frames: %s\n", e.what());
    return 1;
  }
  return 0;
}
