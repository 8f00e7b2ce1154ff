// aedat2frames DVSGESTURE_DIR -o FRAMES.h5: DVS128 Gesture recordings to the
// frames file of shared/specs/formats.md section 1.
#include <cinttypes>
#include <cstdio>
#include <optional>
#include <thread>

#include "cli.hpp"
#include "plifkit/core/progress.hpp"
#include "plifkit/events/dvs_gesture.hpp"
#include "plifkit/frames/convert.hpp"

using namespace plifkit;

namespace {

constexpr std::size_t kWarningsShown = 20;

void print_summary(const std::string& output, const frames::ConvertSummary& s) {
  const std::uint64_t samples = s.train.samples + s.test.samples;
  std::printf("aedat2frames: wrote '%s' in %.2f s\n", output.c_str(), s.seconds);
  std::printf("  recordings  %zu (train %zu, test %zu), %.1f MB\n",
              s.train.recordings + s.test.recordings, s.train.recordings, s.test.recordings,
              static_cast<double>(s.input_bytes) / 1e6);
  std::printf("  events      %" PRIu64 " decoded (%.1f M/s), %" PRIu64
              " invalid-marked skipped, %" PRIu64 " in samples\n",
              s.events_decoded, s.seconds > 0 ? static_cast<double>(s.events_decoded) / s.seconds / 1e6 : 0.0,
              s.invalid_events, s.train.events + s.test.events);
  std::printf("  samples     %" PRIu64 " (train %" PRIu64 ", test %" PRIu64 ")\n", samples,
              s.train.samples, s.test.samples);
  if (s.samples_with_empty_slices > 0)
    std::printf("  %" PRIu64 " samples have time slices without events (zero frames; see the warnings)\n",
                s.samples_with_empty_slices);
  std::printf("  %-30s %7s %7s\n", "class", "train", "test");
  for (int c = 0; c < dvs_gesture::kClassNum; ++c)
    std::printf("  %-30s %7" PRIu64 " %7" PRIu64 "\n",
                dvs_gesture::kClassNames[static_cast<std::size_t>(c)],
                s.train.per_class[static_cast<std::size_t>(c)],
                s.test.per_class[static_cast<std::size_t>(c)]);
  std::printf("  warnings    %zu\n", s.warnings.size());
}

}  // namespace

int main(int argc, char** argv) {
  return cli::run("aedat2frames", [&] {
    cxxopts::Options options(
        "aedat2frames",
        "Converts a DVS128 Gesture folder (the .aedat recordings, their _labels.csv\n"
        "files, trials_to_train.txt and trials_to_test.txt) into one HDF5 frames file:\n"
        "every label row becomes one sample of T frames [2, 128, 128] holding exactly\n"
        "the events of its window. The output is skipped when it was made from the\n"
        "same inputs (sizes, modification times) with the same parameters. Progress\n"
        "goes to stderr when it is a terminal; the summary to stdout.\n");
    options.positional_help("DVSGESTURE_DIR");
    options.add_options()
        ("source_dir", "the DVS128 Gesture folder", cxxopts::value<std::string>())
        ("o,output", "the frames file to write (HDF5)", cxxopts::value<std::string>())
        ("T", "frames per sample (also --T)", cxxopts::value<int>()->default_value("20"))
        ("split_by", "number: equal event counts per frame; time: equal durations",
         cxxopts::value<std::string>()->default_value("number"))
        ("normalization",
         "None (uint16 event counts), frequency, max, norm or sum (float32)",
         cxxopts::value<std::string>()->default_value("None"))
        ("jobs", "the same as --threads (its earlier name)", cxxopts::value<int>())
        ("force", "rebuild even when the output is up to date");
    options.parse_positional({"source_dir"});
    cli::add_common_options(options, {true, false, false});

    cxxopts::ParseResult args;
    if (!cli::parse(options, argc, argv, args)) return cli::kExitOk;
    if (args.count("source_dir") == 0) cli::usage_error("missing DVSGESTURE_DIR (see --help)");
    if (args.count("output") == 0) cli::usage_error("missing -o FRAMES.h5 (see --help)");
    frames::ConvertOptions opts;
    opts.source_dir = args["source_dir"].as<std::string>();
    opts.output = args["output"].as<std::string>();
    opts.T = args["T"].as<int>();
    opts.split_by = frames::parse_split_by(args["split_by"].as<std::string>());
    opts.normalization = frames::parse_normalization(args["normalization"].as<std::string>());
    // Recordings decoded in parallel; the output is the same for any number.
    opts.jobs = cli::thread_count(args);
    if (args.count("jobs") != 0) {
      const int jobs = args["jobs"].as<int>();
      if (jobs < 0) cli::usage_error("--jobs must be >= 0");
      if (args.count("threads") != 0) cli::usage_error("--jobs is --threads: give one of them");
      const unsigned cores = std::thread::hardware_concurrency();
      opts.jobs = jobs > 0 ? jobs : (cores == 0 ? 1 : static_cast<int>(cores));
    }
    opts.force = args.count("force") != 0;

    // Made at the first report, when the number of recordings is known.
    std::optional<Progress> progress;
    const bool show_progress = progress_wanted(args.count("quiet") != 0);
    opts.progress = [&](const frames::ConvertProgress& p) {
      if (!progress) progress.emplace("recordings", p.recordings_total, show_progress);
      char detail[64];
      const double secs = progress->seconds();
      std::snprintf(detail, sizeof detail, "%.1f M events/s",
                    secs > 0 ? static_cast<double>(p.events_done) / secs / 1e6 : 0.0);
      progress->update(p.recordings_done, detail);
    };
    // Ctrl-C or SIGTERM: the conversion stops, nothing is written.
    opts.cancel = cli::stop_on_interrupt();

    const frames::ConvertSummary summary = frames::convert_dvs_gesture(opts);
    if (progress) progress->finish();
    if (summary.up_to_date) {
      std::printf("aedat2frames: '%s' is up to date (%" PRIu64 " train + %" PRIu64
                  " test samples from the same inputs and parameters); --force rebuilds\n",
                  opts.output.c_str(), summary.train.samples, summary.test.samples);
      return cli::kExitOk;
    }
    for (std::size_t i = 0; i < summary.warnings.size() && i < kWarningsShown; ++i)
      std::fprintf(stderr, "aedat2frames: warning: %s\n", summary.warnings[i].c_str());
    if (summary.warnings.size() > kWarningsShown)
      std::fprintf(stderr, "aedat2frames: warning: ... and %zu more\n",
                   summary.warnings.size() - kWarningsShown);
    print_summary(opts.output, summary);
    return cli::kExitOk;
  });
}
