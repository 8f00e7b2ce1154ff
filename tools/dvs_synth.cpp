// dvs-synth OUTDIR: writes a synthetic dataset in the DVS128 Gesture layout.
#include <cinttypes>
#include <cstdio>

#include "cli.hpp"
#include "plifkit/events/synth.hpp"

using namespace plifkit;

int main(int argc, char** argv) {
  return cli::run("dvs-synth", [&] {
    cxxopts::Options options(
        "dvs-synth",
        "Writes a synthetic dataset in the exact DVS128 Gesture layout into OUTDIR:\n"
        "userNN_<lighting>.aedat (AEDAT 3.1), userNN_<lighting>_labels.csv,\n"
        "trials_to_train.txt and trials_to_test.txt. Each recording performs the 11\n"
        "gestures (distinct moving blobs, jittered, with noise) in random order.\n"
        "The output depends only on the options.\n");
    options.positional_help("OUTDIR");
    SynthOptions defaults;
    options.add_options()
        ("out_dir", "output folder (created if missing)", cxxopts::value<std::string>())
        ("users", "users; the last (users + 3) / 5 form the test split (2..99)",
         cxxopts::value<int>()->default_value(std::to_string(defaults.users)))
        ("lightings", "recordings per user, one per lighting (1..5)",
         cxxopts::value<int>()->default_value(std::to_string(defaults.lightings)))
        ("events_per_gesture", "events per gesture, about 5% of them noise",
         cxxopts::value<int>()->default_value(std::to_string(defaults.events_per_gesture)))
        ("awkward",
         "also emit what real files have: packets with spare capacity, special and "
         "frame packets, times crossing 2^31, invalid-marked events, a repeated "
         "class, overlapping windows, a window past the end, unsorted CRLF lists");
    options.parse_positional({"out_dir"});
    cli::CommonFlags common;
    common.with_threads = false;
    common.with_seed = true;
    cli::add_common_options(options, common);

    cxxopts::ParseResult args;
    if (!cli::parse(options, argc, argv, args)) return cli::kExitOk;
    if (args.count("out_dir") == 0) cli::usage_error("missing OUTDIR (see --help)");
    SynthOptions opts;
    opts.users = args["users"].as<int>();
    opts.lightings = args["lightings"].as<int>();
    opts.events_per_gesture = args["events_per_gesture"].as<int>();
    opts.seed = static_cast<std::uint64_t>(args["seed"].as<long>());
    opts.awkward = args.count("awkward") != 0;
    const std::string dir = args["out_dir"].as<std::string>();

    const SynthSummary s = synthesize_dataset(dir, opts);
    std::printf("dvs-synth: wrote %d recordings (%d train, %d test) to '%s': %" PRIu64
                " gestures, %" PRIu64 " events (%" PRIu64 " invalid-marked), %.1f MB\n",
                s.train_recordings + s.test_recordings, s.train_recordings, s.test_recordings,
                dir.c_str(), s.gestures, s.events, s.invalid_events,
                static_cast<double>(s.bytes) / 1e6);
    return cli::kExitOk;
  });
}
