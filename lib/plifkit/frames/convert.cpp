#include "plifkit/frames/convert.hpp"

#include <chrono>
#include <memory>

#include "plifkit/core/atomic_output.hpp"
#include "plifkit/core/error.hpp"
#include "plifkit/events/aedat_reader.hpp"
#include "plifkit/events/dataset_listing.hpp"
#include "plifkit/events/labels.hpp"
#include "plifkit/frames/convert_parts.hpp"
#include "plifkit/frames/fingerprint.hpp"
#include "plifkit/frames/frames_writer.hpp"
#include "plifkit/frames/sample_encoder.hpp"
#include "plifkit/h5/names.hpp"

namespace plifkit::frames {

namespace {

struct RecordingJob {
  const RecordingFiles* files = nullptr;
  std::vector<LabelRow> rows;
};

// One per thread: decodes a recording and turns each of its rows into an
// encoded sample, reusing all buffers from one recording to the next.
class RecordingWorker {
 public:
  explicit RecordingWorker(const FrameParams& params) : params_(params), encoder_(params) {}

  detail::EncodedInput run(const RecordingJob& job) {
    detail::EncodedInput result;
    const AedatStats stats = read_aedat(job.files->aedat_path, params_.sensor, events_);
    result.events = events_.size();
    result.invalid_events = stats.invalid_events;
    for (std::size_t row = 0; row < job.rows.size(); ++row) {
      const LabelRow& label = job.rows[row];
      const EventRange w = find_window(events_.t(), events_.size(), label.t_start, label.t_end);
      const std::size_t n = w.last - w.first;
      result.chunks.emplace_back();
      const SampleNotes notes = encoder_.encode(events_.t() + w.first, events_.addr() + w.first, n,
                                                result.chunks.back());
      result.event_counts.push_back(n);
      result.samples_with_empty_slices += notes.empty_time_frames > 0 ? 1 : 0;
      std::string warning = detail::describe(
          notes,
          job.files->stem + " row " + std::to_string(row) + " (line " + std::to_string(label.line) + ")",
          params_.T);
      if (!warning.empty()) result.warnings.push_back(std::move(warning));
    }
    return result;
  }

 private:
  FrameParams params_;
  EventBuffer events_;
  SampleEncoder encoder_;
};

ConvertSummary convert_dvs_gesture(const ConvertOptions& options, const FrameParams& params) {
  const auto start = std::chrono::steady_clock::now();
  ConvertSummary summary;
  summary.class_names = row_of(options.dataset).class_names;
  const std::size_t class_num = summary.class_names.size();
  const DatasetListing listing = list_dataset(options.source_dir);
  const std::string fingerprint = input_fingerprint(listing, params, options.source_dir);
  auto finish = [&] {
    summary.seconds = detail::seconds_since(start);
    return summary;
  };
  if (detail::up_to_date(options, fingerprint, class_num, summary)) return finish();

  // All label files are read before any recording, so a bad row fails in
  // milliseconds, not after minutes of decoding.
  std::vector<RecordingJob> jobs;
  std::vector<detail::InputSlot> slots;
  SplitMeta meta[2];
  const SplitListing* splits[2] = {&listing.train, &listing.test};
  for (int s = 0; s < 2; ++s) {
    for (const auto& files : splits[s]->recordings) {
      RecordingJob job;
      job.files = &files;
      job.rows = read_labels(files.labels_path, static_cast<int>(class_num));
      slots.push_back({s, meta[s].size()});
      for (std::size_t row = 0; row < job.rows.size(); ++row) {
        meta[s].labels.push_back(job.rows[row].label);
        meta[s].source.push_back(files.stem);
        meta[s].segment.push_back(static_cast<std::uint32_t>(row));
        meta[s].t_start.push_back(job.rows[row].t_start);
        meta[s].t_end.push_back(job.rows[row].t_end);
      }
      summary.input_bytes += files.aedat.size;
      jobs.push_back(std::move(job));
    }
    if (meta[s].size() == 0)
      throw InputError("no samples: the labels files of the recordings in " +
                       quoted(splits[s]->list_path) + " have no rows");
  }

  AtomicOutput output(options.output);
  FramesWriter writer(output.temp_path(), detail::make_header(options), meta[0].size(),
                      meta[1].size(), fingerprint);
  std::vector<std::unique_ptr<RecordingWorker>> workers;
  for (int w = 0; w < options.jobs; ++w) workers.push_back(std::make_unique<RecordingWorker>(params));
  detail::encode_and_write(
      slots, options,
      [&](std::size_t i, int worker) { return workers[static_cast<std::size_t>(worker)]->run(jobs[i]); },
      writer, meta, summary);

  writer.write_meta(names::frames::kTrain, meta[0]);
  writer.write_meta(names::frames::kTest, meta[1]);
  writer.close();
  output.commit();
  summary.train = detail::summarize(meta[0], listing.train.recordings.size(), class_num);
  summary.test = detail::summarize(meta[1], listing.test.recordings.size(), class_num);
  return finish();
}

}  // namespace

ConvertSummary convert(const ConvertOptions& options) {
  switch (row_of(options.dataset).storage) {
    case Storage::recordings:
      return convert_dvs_gesture(options, detail::frame_params(options));
    case Storage::file_per_sample:
      return detail::convert_sample_files(options, detail::frame_params(options));
    case Storage::idx_images:
    case Storage::cifar_batches:
      return detail::convert_images(options);
  }
  throw UsageError("unknown storage of " + std::string(name_of_choice(options.dataset)));
}

}  // namespace plifkit::frames
