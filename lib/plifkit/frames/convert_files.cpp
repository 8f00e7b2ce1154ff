// The conversion of the datasets that hold one sample per file (N-MNIST,
// CIFAR10-DVS, ASL-DVS): each file becomes one sample with all its events;
// `source` is its path relative to the folder, `segment` 0, and t_start /
// t_end its first event's time and its last one's plus 1 (0, 0 when empty).
#include <chrono>
#include <memory>

#include "plifkit/core/atomic_output.hpp"
#include "plifkit/core/error.hpp"
#include "plifkit/events/asldvs_reader.hpp"
#include "plifkit/events/cifar10dvs_reader.hpp"
#include "plifkit/events/nmnist_reader.hpp"
#include "plifkit/events/sample_files.hpp"
#include "plifkit/frames/convert_parts.hpp"
#include "plifkit/frames/fingerprint.hpp"
#include "plifkit/frames/frames_writer.hpp"
#include "plifkit/frames/sample_encoder.hpp"
#include "plifkit/h5/names.hpp"

namespace plifkit::frames::detail {
namespace {

// One per thread: decodes a file and encodes it as one sample, reusing all
// buffers from one file to the next.
class FileWorker {
 public:
  FileWorker(const ConvertOptions& options, const FrameParams& params)
      : dataset_(options.dataset), orientation_(options.orientation), T_(params.T), encoder_(params) {}

  EncodedInput run(const SampleFile& file) {
    EncodedInput result;
    decode(file.path, result);
    const std::size_t n = events_.size();
    result.events = n;
    result.chunks.emplace_back();
    const SampleNotes notes = encoder_.encode(events_.t(), events_.addr(), n, result.chunks.back());
    result.event_counts.push_back(n);
    result.t_start.push_back(n > 0 ? events_.t()[0] : 0);
    result.t_end.push_back(n > 0 ? events_.t()[n - 1] + 1 : 0);
    result.samples_with_empty_slices = notes.empty_time_frames > 0 ? 1 : 0;
    std::string warning = describe(notes, file.source, T_);
    if (!warning.empty()) result.warnings.push_back(std::move(warning));
    return result;
  }

 private:
  void decode(const std::string& path, EncodedInput& result) {
    switch (row_of(dataset_).codec) {
      case EventCodec::nmnist_bin:
        result.overflow_markers = read_nmnist(path, events_).overflow_markers;
        return;
      case EventCodec::aedat20:
        result.special_events = read_cifar10dvs(path, orientation_, events_).special_events;
        return;
      case EventCodec::asl_mat:
        read_asldvs(path, orientation_, events_);
        return;
      case EventCodec::aedat31:  // recordings, not one file per sample
      case EventCodec::none:
        break;
    }
    throw UsageError(std::string(name_of_choice(dataset_)) + " has no per-file reader");
  }

  Dataset dataset_;
  Orientation orientation_;
  int T_;
  EventBuffer events_;
  SampleEncoder encoder_;
};

}  // namespace

ConvertSummary convert_sample_files(const ConvertOptions& options, const FrameParams& params) {
  const auto start = std::chrono::steady_clock::now();
  ConvertSummary summary;
  summary.class_names = row_of(options.dataset).class_names;
  const std::size_t class_num = summary.class_names.size();
  const SampleListing listing = list_sample_files(options.dataset, options.source_dir);
  const std::string fingerprint = input_fingerprint(listing, options.dataset, options.orientation,
                                                    params, options.source_dir);
  summary.ignored_files = listing.ignored;
  auto finish = [&] {
    summary.train.missing = listing.train.missing;
    summary.test.missing = listing.test.missing;
    summary.seconds = seconds_since(start);
    return summary;
  };
  if (up_to_date(options, fingerprint, class_num, summary)) return finish();

  std::vector<const SampleFile*> files;
  std::vector<InputSlot> slots;
  SplitMeta meta[2];
  const SampleSplit* splits[2] = {&listing.train, &listing.test};
  for (int s = 0; s < 2; ++s) {
    for (const SampleFile& f : splits[s]->files) {
      slots.push_back({s, meta[s].size()});
      meta[s].labels.push_back(f.label);
      meta[s].source.push_back(f.source);
      meta[s].segment.push_back(0);
      summary.input_bytes += f.stamp.size;
      files.push_back(&f);
    }
  }

  AtomicOutput output(options.output);
  FramesWriter writer(output.temp_path(), make_header(options), meta[0].size(), meta[1].size(),
                      fingerprint);
  std::vector<std::unique_ptr<FileWorker>> workers;
  for (int w = 0; w < options.jobs; ++w)
    workers.push_back(std::make_unique<FileWorker>(options, params));
  encode_and_write(
      slots, options,
      [&](std::size_t i, int worker) { return workers[static_cast<std::size_t>(worker)]->run(*files[i]); },
      writer, meta, summary);

  writer.write_meta(names::frames::kTrain, meta[0]);
  writer.write_meta(names::frames::kTest, meta[1]);
  writer.close();
  output.commit();
  summary.train = summarize(meta[0], listing.train.files.size(), class_num);
  summary.test = summarize(meta[1], listing.test.files.size(), class_num);
  return finish();
}

}  // namespace plifkit::frames::detail
