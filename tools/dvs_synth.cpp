// dvs-synth OUTDIR [--dataset NAME]: writes a synthetic dataset in the
// exact layout of DVS128 Gesture (the default), N-MNIST, CIFAR10-DVS,
// ASL-DVS, MNIST, Fashion-MNIST or CIFAR-10.
#include <cinttypes>
#include <cstdio>

#include "cli.hpp"
#include "plifkit/datasets/registry.hpp"
#include "plifkit/events/synth.hpp"
#include "plifkit/events/synth_event_datasets.hpp"
#include "plifkit/images/synth_images.hpp"

using namespace plifkit;

namespace {

// Options that only one family of datasets takes are refused for the other,
// rather than silently ignored.
void refuse_foreign(const cxxopts::ParseResult& args, Dataset dataset,
                    std::initializer_list<const char*> names) {
  for (const char* name : names)
    if (args.count(name) != 0)
      cli::usage_error(std::string("--") + name + " does not apply to --dataset " +
                       name_of_choice(dataset));
}

int write_gesture(const cxxopts::ParseResult& args, const std::string& dir) {
  SynthOptions opts;
  opts.users = args["users"].as<int>();
  opts.lightings = args["lightings"].as<int>();
  opts.events_per_gesture = args["events_per_gesture"].as<int>();
  opts.seed = static_cast<std::uint64_t>(args["seed"].as<long>());
  opts.awkward = args.count("awkward") != 0;
  const SynthSummary s = synthesize_dataset(dir, opts);
  std::printf("dvs-synth: wrote %d recordings (%d train, %d test) to '%s': %" PRIu64
              " gestures, %" PRIu64 " events (%" PRIu64 " invalid-marked), %.1f MB\n",
              s.train_recordings + s.test_recordings, s.train_recordings, s.test_recordings,
              dir.c_str(), s.gestures, s.events, s.invalid_events, static_cast<double>(s.bytes) / 1e6);
  return cli::kExitOk;
}

int write_files(const cxxopts::ParseResult& args, Dataset dataset, const std::string& dir) {
  EventSynthOptions opts;
  opts.samples_per_class = args["samples_per_class"].as<int>();
  opts.events_per_sample = args["events_per_sample"].as<int>();
  opts.seed = static_cast<std::uint64_t>(args["seed"].as<long>());
  opts.awkward = args.count("awkward") != 0;
  validate(dataset, opts);  // first, so that an image dataset is refused as such
  refuse_foreign(args, dataset, {"users", "lightings", "events_per_gesture"});
  const EventSynthSummary s = synthesize_event_dataset(dataset, dir, opts);
  std::printf("dvs-synth: wrote %s to '%s': %d classes, %d files (%d train, %d test), %" PRIu64
              " events, %.1f MB\n",
              name_of_choice(dataset), dir.c_str(), s.classes, s.train_files + s.test_files,
              s.train_files, s.test_files, s.events, static_cast<double>(s.bytes) / 1e6);
  return cli::kExitOk;
}

int write_images(const cxxopts::ParseResult& args, Dataset dataset, const std::string& dir) {
  refuse_foreign(args, dataset, {"users", "lightings", "events_per_gesture", "events_per_sample", "awkward"});
  ImageSynthOptions opts;
  // The event datasets' default of --samples_per_class is theirs, not ours.
  if (args.count("samples_per_class") != 0) opts.samples_per_class = args["samples_per_class"].as<int>();
  opts.test_per_class = args["test_per_class"].as<int>();
  opts.seed = static_cast<std::uint64_t>(args["seed"].as<long>());
  const ImageSynthSummary s = synthesize_image_dataset(dataset, dir, opts);
  std::printf("dvs-synth: wrote %s to '%s': %d classes, %d images (%d train, %d test) in %d files, %.1f MB\n",
              name_of_choice(dataset), dir.c_str(), s.classes, s.train_images + s.test_images,
              s.train_images, s.test_images, s.files, static_cast<double>(s.bytes) / 1e6);
  return cli::kExitOk;
}

// What --awkward adds, by the decoder of the files.
const char* awkward_parts(EventCodec codec) {
  switch (codec) {
    case EventCodec::aedat31:
      return "packets with spare capacity, special and frame packets, times crossing 2^31, "
             "invalid-marked events, a repeated class, overlapping windows, a window past the "
             "end, unsorted CRLF lists";
    case EventCodec::nmnist_bin:
      return "a timestamp overflow marker, a 12-event file, an empty file, tied times, a class "
             "with one train file fewer";
    case EventCodec::aedat20:
      return "a special event (address bit 31), an extra header line, LF-only header lines, "
             "tied times, a 12-event file";
    case EventCodec::asl_mat:
      return "integer and single variables, row vectors, a compressed file, a missing index";
    case EventCodec::none:
      break;
  }
  return nullptr;
}

std::string awkward_help() {
  std::string text;
  for (const DatasetRow& row : all_datasets())
    if (const char* parts = awkward_parts(row.codec))
      text += std::string(text.empty() ? "" : ". ") + name_of_choice(row.id) + ": " + parts;
  return text;
}

}  // namespace

int main(int argc, char** argv) {
  return cli::run("dvs-synth", [&] {
    const std::string recordings = dataset_names(Storage::recordings);
    const std::string files_per_sample = dataset_names(Storage::file_per_sample);
    const std::string images = dataset_names(InputKind::images);
    cxxopts::Options options(
        "dvs-synth",
        "Writes a synthetic dataset into OUTDIR in the exact layout and file format\n"
        "of the real download (aedat2frames --help lists them), for tests and demos.\n"
        "The output depends only on the options.\n"
        "  " + recordings + ": each recording performs every class (distinct moving\n"
        "    blobs) in random order; --users, --lightings, --events_per_gesture.\n"
        "  " + files_per_sample + ": the classes are bars with their own place and\n"
        "    tilt, moving, jittered, with 5% noise; --samples_per_class train files and\n"
        "    about a quarter as many (at least 1) test files per class.\n"
        "  " + images + ": the classes are rectangles with their own place (and\n"
        "    colour), jittered, on noise; --samples_per_class (default 16) train and\n"
        "    --test_per_class test images per class, in every file format the\n"
        "    dataset is distributed in.\n");
    options.positional_help("OUTDIR");
    SynthOptions gesture;
    EventSynthOptions files;
    options.add_options()
        ("out_dir", "output folder (created if missing)", cxxopts::value<std::string>())
        ("dataset", dataset_names(InputKind::events) + ", " + dataset_names(InputKind::images) +
                        " (case-insensitive; aedat2frames --list-datasets)",
         cxxopts::value<std::string>()->default_value(name_of_choice(kDefaultDataset)))
        ("users", recordings + ": users; the last (users + 3) / 5 form the test split (2..99)",
         cxxopts::value<int>()->default_value(std::to_string(gesture.users)))
        ("lightings", recordings + ": recordings per user, one per lighting (1..5)",
         cxxopts::value<int>()->default_value(std::to_string(gesture.lightings)))
        ("events_per_gesture", recordings + ": events per gesture, about 5% of them noise",
         cxxopts::value<int>()->default_value(std::to_string(gesture.events_per_gesture)))
        ("samples_per_class", files_per_sample + ": train files per class; " + images +
                                  ": train images per class (default 16)",
         cxxopts::value<int>()->default_value(std::to_string(files.samples_per_class)))
        ("test_per_class", images + ": test images per class",
         cxxopts::value<int>()->default_value(std::to_string(ImageSynthOptions{}.test_per_class)))
        ("events_per_sample", files_per_sample + ": events per file, about 5% noise",
         cxxopts::value<int>()->default_value(std::to_string(files.events_per_sample)))
        ("awkward", "also emit what real files have. " + awkward_help());
    options.parse_positional({"out_dir"});
    cli::CommonFlags common;
    common.with_threads = false;
    common.with_seed = true;
    cli::add_common_options(options, common);

    cxxopts::ParseResult args;
    if (!cli::parse(options, argc, argv, args)) return cli::kExitOk;
    const Dataset dataset = parse_choice<Dataset>("dataset", args["dataset"].as<std::string>());
    if (args.count("out_dir") == 0) cli::usage_error("missing OUTDIR (see --help)");
    const std::string dir = args["out_dir"].as<std::string>();
    switch (row_of(dataset).storage) {
      case Storage::idx_images:
      case Storage::cifar_batches:
        return write_images(args, dataset, dir);
      case Storage::recordings:
        refuse_foreign(args, dataset, {"test_per_class", "samples_per_class", "events_per_sample"});
        return write_gesture(args, dir);
      case Storage::file_per_sample:
        refuse_foreign(args, dataset, {"test_per_class"});
        return write_files(args, dataset, dir);
    }
    return cli::kExitUsage;
  });
}
