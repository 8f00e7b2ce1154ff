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

}  // namespace

int main(int argc, char** argv) {
  return cli::run("dvs-synth", [&] {
    cxxopts::Options options(
        "dvs-synth",
        "Writes a synthetic dataset into OUTDIR in the exact layout and file format\n"
        "of the real download, for tests and demos. The output depends only on the options.\n"
        "  DVS128Gesture  userNN_<lighting>.aedat (AEDAT 3.1), userNN_<lighting>_labels.csv,\n"
        "                 trials_to_train.txt, trials_to_test.txt; each recording performs\n"
        "                 the 11 gestures (distinct moving blobs) in random order.\n"
        "  NMNIST         Train/<digit>/<id>.bin and Test/<digit>/<id>.bin, 5 bytes per\n"
        "                 event, 34x34, ~300 ms in three saccades.\n"
        "  CIFAR10DVS     <class>/cifar10_<class>_<i>.aedat (AEDAT 2.0, big-endian),\n"
        "                 128x128, ~1.2 s; train i = 0.., test i = 900..\n"
        "  ASLDVS         <letter>/<letter>_<i>.mat (MATLAB 5: ts, x, y, pol), 240x180,\n"
        "                 ~100 ms; train i = 0001.., test i = 3361..\n"
        "The file datasets' classes are bars with their own place and tilt, moving,\n"
        "jittered, with 5% noise; --samples_per_class train files and about a quarter as\n"
        "many (at least 1) test files per class.\n"
        "  MNIST          MNIST/raw/ with the four IDX files, plain and .gz (28x28)\n"
        "  FashionMNIST   FashionMNIST/raw/, the same\n"
        "  CIFAR10        cifar-10-batches-bin/ and cifar-10-batches-py/ (pickled as by\n"
        "                 Python 2), the same 32x32 RGB images in both: data_batch_1..5,\n"
        "                 test_batch\n"
        "The image datasets' classes are rectangles with their own place (and colour),\n"
        "jittered, on noise; --samples_per_class (default 16) train and --test_per_class\n"
        "test images per class.\n");
    options.positional_help("OUTDIR");
    SynthOptions gesture;
    EventSynthOptions files;
    options.add_options()
        ("out_dir", "output folder (created if missing)", cxxopts::value<std::string>())
        ("dataset", dataset_names(InputKind::events) + ", " + dataset_names(InputKind::images) +
                        " (case-insensitive; aedat2frames --list-datasets)",
         cxxopts::value<std::string>()->default_value("DVS128Gesture"))
        ("users", "DVS128Gesture: users; the last (users + 3) / 5 form the test split (2..99)",
         cxxopts::value<int>()->default_value(std::to_string(gesture.users)))
        ("lightings", "DVS128Gesture: recordings per user, one per lighting (1..5)",
         cxxopts::value<int>()->default_value(std::to_string(gesture.lightings)))
        ("events_per_gesture", "DVS128Gesture: events per gesture, about 5% of them noise",
         cxxopts::value<int>()->default_value(std::to_string(gesture.events_per_gesture)))
        ("samples_per_class", "NMNIST, CIFAR10DVS, ASLDVS: train files per class; MNIST, "
         "FashionMNIST, CIFAR10: train images per class (default 16)",
         cxxopts::value<int>()->default_value(std::to_string(files.samples_per_class)))
        ("test_per_class", "MNIST, FashionMNIST, CIFAR10: test images per class",
         cxxopts::value<int>()->default_value(std::to_string(ImageSynthOptions{}.test_per_class)))
        ("events_per_sample", "NMNIST, CIFAR10DVS, ASLDVS: events per file, about 5% noise",
         cxxopts::value<int>()->default_value(std::to_string(files.events_per_sample)))
        ("awkward",
         "also emit what real files have. DVS128Gesture: packets with spare capacity, "
         "special and frame packets, times crossing 2^31, invalid-marked events, a "
         "repeated class, overlapping windows, a window past the end, unsorted CRLF "
         "lists. NMNIST: a timestamp overflow marker, a 12-event file, an empty file, "
         "tied times, a digit with one train file fewer. CIFAR10DVS: a special event "
         "(address bit 31), an extra header line, LF-only header lines, tied times, a "
         "12-event file. ASLDVS: integer and single variables, row vectors, a "
         "compressed file, a missing index");
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
