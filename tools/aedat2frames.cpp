// aedat2frames [--dataset NAME] DIR -o FRAMES.h5: an event dataset's folder
// (DVS128 Gesture, N-MNIST, CIFAR10-DVS, ASL-DVS) or an image dataset's
// (MNIST, Fashion-MNIST, CIFAR-10) to the frames file of
// shared/specs/formats.md section 1.
#include <cinttypes>
#include <cstdio>
#include <optional>
#include <thread>
#include <utility>

#include "cli.hpp"
#include "plifkit/core/progress.hpp"
#include "plifkit/frames/convert.hpp"

using namespace plifkit;

namespace {

constexpr std::size_t kWarningsShown = 20;

void print_summary(const std::string& output, const frames::ConvertSummary& s) {
  const bool partial = !s.train.missing.empty();
  const std::uint64_t samples = s.train.samples + s.test.samples;
  std::printf("aedat2frames: wrote '%s' in %.2f s\n", output.c_str(), s.seconds);
  std::printf("  files       %zu (train %zu, test %zu), %.1f MB\n",
              s.train.recordings + s.test.recordings, s.train.recordings, s.test.recordings,
              static_cast<double>(s.input_bytes) / 1e6);
  std::printf("  events      %" PRIu64 " decoded (%.1f M/s), %" PRIu64 " in samples\n",
              s.events_decoded,
              s.seconds > 0 ? static_cast<double>(s.events_decoded) / s.seconds / 1e6 : 0.0,
              s.train.events + s.test.events);
  if (s.invalid_events > 0)
    std::printf("  %" PRIu64 " events marked invalid were skipped\n", s.invalid_events);
  if (s.overflow_markers > 0)
    std::printf("  %" PRIu64 " timestamp-overflow records (y = 240) applied, not counted as events\n",
                s.overflow_markers);
  if (s.special_events > 0)
    std::printf("  %" PRIu64 " special events (address bit 31) kept, as the reference does\n",
                s.special_events);
  std::printf("  samples     %" PRIu64 " (train %" PRIu64 ", test %" PRIu64 ")\n", samples,
              s.train.samples, s.test.samples);
  if (s.samples_with_empty_slices > 0)
    std::printf("  %" PRIu64 " samples have time slices without events (zero frames; see the warnings)\n",
                s.samples_with_empty_slices);
  if (partial)
    std::printf("  %-30s %7s %7s %9s %9s\n", "class", "train", "test", "missing", "missing");
  else
    std::printf("  %-30s %7s %7s\n", "class", "train", "test");
  for (std::size_t c = 0; c < s.class_names.size(); ++c) {
    std::printf("  %-30s %7" PRIu64 " %7" PRIu64, s.class_names[c].c_str(), s.train.per_class[c],
                s.test.per_class[c]);
    if (partial) std::printf(" %9" PRIu64 " %9" PRIu64, s.train.missing[c], s.test.missing[c]);
    std::printf("\n");
  }
  std::printf("  warnings    %zu\n", s.warnings.size());
}

void print_image_summary(const std::string& output, const frames::ConvertSummary& s) {
  std::printf("aedat2frames: wrote '%s' in %.2f s\n", output.c_str(), s.seconds);
  std::printf("  files       %zu (train %zu, test %zu), %.1f MB\n",
              s.train.recordings + s.test.recordings, s.train.recordings, s.test.recordings,
              static_cast<double>(s.input_bytes) / 1e6);
  std::printf("  images      %" PRIu64 " (train %" PRIu64 ", test %" PRIu64 ")\n",
              s.train.samples + s.test.samples, s.train.samples, s.test.samples);
  std::printf("  %-30s %7s %7s\n", "class", "train", "test");
  for (std::size_t c = 0; c < s.class_names.size(); ++c)
    std::printf("  %-30s %7" PRIu64 " %7" PRIu64 "\n", s.class_names[c].c_str(), s.train.per_class[c],
                s.test.per_class[c]);
}

// A partial download and entries that are no sample: one line each.
void warn_partial(const frames::ConvertSummary& s) {
  for (auto [split, name] : {std::pair{&s.train, "train"}, std::pair{&s.test, "test"}}) {
    std::string counts;
    std::uint64_t total = 0;
    for (std::size_t c = 0; c < split->missing.size(); ++c) {
      if (split->missing[c] == 0) continue;
      counts += (counts.empty() ? "" : ", ") + s.class_names[c] + " " +
                std::to_string(split->missing[c]);
      total += split->missing[c];
    }
    if (total > 0)
      std::fprintf(stderr,
                   "aedat2frames: warning: %" PRIu64
                   " %s files of the full dataset are not in the folder (%s); converting what is there\n",
                   total, name, counts.c_str());
  }
  if (!s.ignored_files.empty())
    std::fprintf(stderr, "aedat2frames: warning: %zu entries are no sample and were not read (first: '%s')\n",
                 s.ignored_files.size(), s.ignored_files.front().c_str());
}

// --list-datasets: the registry, one dataset a line, with the reference's T
// and number_layer (the Makefile's defaults). As text for people, or as
// tab-separated columns under a header line for scripts (the Makefile and
// tests/cli/datasets_e2e.sh read it).
void list_datasets(const std::vector<DatasetRow>& rows, bool tsv) {
  if (tsv) {
    std::printf("dataset\ttitle\tinput\tstorage\tdecoder\tchannels\theight\twidth\tclasses\tT\t"
                "number_layer\tclass_names\n");
    for (const DatasetRow& row : rows) {
      std::string names;
      for (const auto& name : row.class_names) names += (names.empty() ? "" : ",") + name;
      std::printf("%s\t%s\t%s\t%s\t%s\t%lld\t%lld\t%lld\t%lld\t%d\t%d\t%s\n", name_of_choice(row.id),
                  row.title, name_of_choice(row.kind), name_of_choice(row.storage), name_of_choice(row.codec),
                  static_cast<long long>(row.channels), static_cast<long long>(row.height),
                  static_cast<long long>(row.width), static_cast<long long>(row.class_num), row.reference_T,
                  row.reference_number_layer, names.c_str());
    }
    return;
  }
  std::printf("%-14s %-15s %-7s %-11s %-7s %-3s %-12s %s\n", "dataset", "title", "input", "C x H x W",
              "classes", "T", "number_layer", "files");
  for (const DatasetRow& row : rows) {
    const std::string size = std::to_string(row.channels) + "x" + std::to_string(row.height) + "x" +
                             std::to_string(row.width);
    const std::string layers =
        row.reference_number_layer > 0 ? std::to_string(row.reference_number_layer) : "-";
    std::printf("%-14s %-15s %-7s %-11s %-7lld %-3d %-12s %s\n", name_of_choice(row.id), row.title,
                name_of_choice(row.kind), size.c_str(), static_cast<long long>(row.class_num),
                row.reference_T, layers.c_str(), row.description);
  }
}

// The help's list of the folders each dataset is read from, from the registry.
std::string folder_layouts() {
  std::string text;
  for (const DatasetRow& row : all_datasets()) {
    char name[32];
    std::snprintf(name, sizeof name, "  %-15s ", name_of_choice(row.id));
    text += name + std::string(row.description) + "\n";
  }
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  return cli::run("aedat2frames", [&] {
    cxxopts::Options options(
        "aedat2frames",
        "Converts a dataset's folder into one HDF5 frames file; the event datasets'\n"
        "samples are T frames [2, H, W], the image datasets' one image [C, H, W]\n"
        "(uint8, as distributed). The folders it reads:\n" +
            folder_layouts() +
            "-T, --split_by, --normalization and --orientation do not apply to image datasets.\n"
            "A partial download of a dataset stored one file per sample is converted with a\n"
            "warning counting the missing files per class. The output is skipped when it was\n"
            "made from the same inputs (sizes, modification times) with the same parameters.\n"
            "Progress goes to stderr when it is a terminal; the summary to stdout.\n");
    options.positional_help("DIR");
    options.add_options()
        ("source_dir", "the dataset's folder", cxxopts::value<std::string>())
        ("dataset", "the seed's -dataset_name: " + dataset_names(InputKind::events) + ", " +
         dataset_names(InputKind::images) + " (--list-datasets)",
         cxxopts::value<std::string>()->default_value(name_of_choice(kDefaultDataset)))
        ("list-datasets", "print the datasets (only --dataset's when given), their inputs, classes "
         "and the reference's T and number_layer, and exit")
        ("format", "of --list-datasets: text, or tsv (tab-separated, a header line, for scripts)",
         cxxopts::value<std::string>()->default_value("text"))
        ("orientation",
         "reference: coordinates as the reference study read them; sensor: as current "
         "SpikingJelly and the datasets' own viewers (differs for CIFAR10DVS, ASLDVS)",
         cxxopts::value<std::string>()->default_value("reference"))
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
    if (args.count("list-datasets") != 0) {
      const std::string format = args["format"].as<std::string>();
      if (format != "text" && format != "tsv")
        cli::usage_error("--format must be text or tsv, got '" + format + "'");
      std::vector<DatasetRow> rows = all_datasets();
      if (args.count("dataset") != 0)
        rows = {row_of(parse_choice<Dataset>("dataset", args["dataset"].as<std::string>()))};
      list_datasets(rows, format == "tsv");
      return cli::kExitOk;
    }
    if (args.count("source_dir") == 0) cli::usage_error("missing DIR (see --help)");
    if (args.count("output") == 0) cli::usage_error("missing -o FRAMES.h5 (see --help)");
    frames::ConvertOptions opts;
    opts.dataset = parse_choice<Dataset>("dataset", args["dataset"].as<std::string>());
    const bool images = row_of(opts.dataset).kind == InputKind::images;
    // Said rather than ignored: an image is no stack of event frames.
    if (images)
      for (const char* name : {"T", "split_by", "normalization", "orientation"})
        if (args.count(name) != 0)
          cli::usage_error(std::string("--") + name + " does not apply to --dataset " +
                           name_of_choice(opts.dataset) + ": its samples are images, not event frames");
    opts.orientation = parse_choice<Orientation>("orientation", args["orientation"].as<std::string>());
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
      if (!progress) progress.emplace(images ? "images" : "files", p.recordings_total, show_progress);
      if (images) {
        progress->update(p.recordings_done, "");
        return;
      }
      char detail[64];
      const double secs = progress->seconds();
      std::snprintf(detail, sizeof detail, "%.1f M events/s",
                    secs > 0 ? static_cast<double>(p.events_done) / secs / 1e6 : 0.0);
      progress->update(p.recordings_done, detail);
    };
    // Ctrl-C or SIGTERM: the conversion stops, nothing is written.
    opts.cancel = cli::stop_on_interrupt();

    const frames::ConvertSummary summary = frames::convert(opts);
    if (progress) progress->finish();
    if (summary.up_to_date) {
      std::printf("aedat2frames: '%s' is up to date (%" PRIu64 " train + %" PRIu64
                  " test samples from the same inputs and parameters); --force rebuilds\n",
                  opts.output.c_str(), summary.train.samples, summary.test.samples);
      return cli::kExitOk;
    }
    warn_partial(summary);
    for (std::size_t i = 0; i < summary.warnings.size() && i < kWarningsShown; ++i)
      std::fprintf(stderr, "aedat2frames: warning: %s\n", summary.warnings[i].c_str());
    if (summary.warnings.size() > kWarningsShown)
      std::fprintf(stderr, "aedat2frames: warning: ... and %zu more\n",
                   summary.warnings.size() - kWarningsShown);
    if (images) print_image_summary(opts.output, summary);
    else print_summary(opts.output, summary);
    return cli::kExitOk;
  });
}
