#include "plifkit/frames/convert.hpp"

#include <chrono>
#include <memory>

#include "plifkit/core/atomic_output.hpp"
#include "plifkit/core/error.hpp"
#include "plifkit/core/file_stamp.hpp"
#include "plifkit/core/ordered_pool.hpp"
#include "plifkit/events/aedat_reader.hpp"
#include "plifkit/events/dataset_listing.hpp"
#include "plifkit/events/dvs_gesture.hpp"
#include "plifkit/events/labels.hpp"
#include "plifkit/frames/chunk_codec.hpp"
#include "plifkit/frames/fingerprint.hpp"
#include "plifkit/frames/frames_writer.hpp"
#include "plifkit/frames/integrate.hpp"
#include "plifkit/h5/h5.hpp"
#include "plifkit/h5/names.hpp"

namespace plifkit::frames {
namespace {

struct RecordingJob {
  const SplitListing* split = nullptr;
  const RecordingFiles* files = nullptr;
  std::vector<LabelRow> rows;
  std::size_t first_sample = 0;  // index of its first row within the split
};

struct RecordingResult {
  std::vector<std::vector<std::uint8_t>> chunks;  // one encoded sample per row
  std::vector<std::uint64_t> event_counts;
  std::vector<std::string> warnings;
  std::uint64_t events = 0;
  std::uint64_t invalid = 0;
  std::uint64_t samples_with_empty_slices = 0;
};

// "user01_led row 3 (line 5): 12 events, fewer than T=20", or "" when nothing
// is special.
std::string describe(const SampleNotes& notes, const std::string& stem, std::size_t row,
                     std::uint32_t line, int T) {
  std::string why;
  auto add = [&](const std::string& s) { why += (why.empty() ? "" : "; ") + s; };
  if (notes.events == 0)
    add("empty window, all " + std::to_string(T) + " frames are zero");
  else if (notes.events < static_cast<std::uint64_t>(T))
    add(std::to_string(notes.events) + " events, fewer than T=" + std::to_string(T));
  if (notes.empty_time_frames > 0)
    add(std::to_string(notes.empty_time_frames) + " of " + std::to_string(T) +
        " time slices hold no event and stay zero (the reference raises here)");
  if (notes.zero_duration_frames > 0)
    add(std::to_string(notes.zero_duration_frames) +
        " frames last 0 us and were divided by 1 us instead");
  if (notes.saturated_counts > 0)
    add(std::to_string(notes.saturated_counts) + " pixel counts above 65535 stored as 65535");
  return why.empty() ? why
                     : stem + " row " + std::to_string(row) + " (line " + std::to_string(line) +
                           "): " + why;
}

// One per thread: decodes a recording and turns each of its rows into an
// encoded sample, reusing all buffers from one recording to the next.
class Worker {
 public:
  explicit Worker(const FrameParams& params)
      : params_(params),
        integrator_(params),
        counts_(params.stores_counts() ? params.sample_elements() : 0),
        floats_(params.stores_counts() ? 0 : params.sample_elements()) {}

  RecordingResult run(const RecordingJob& job) {
    RecordingResult result;
    const AedatStats stats = read_aedat(job.files->aedat_path, params_.sensor, events_);
    result.events = events_.size();
    result.invalid = stats.invalid_events;
    for (std::size_t row = 0; row < job.rows.size(); ++row) {
      const LabelRow& label = job.rows[row];
      const EventRange w = find_window(events_.t(), events_.size(), label.t_start, label.t_end);
      const std::uint64_t* t = events_.t() + w.first;
      const std::uint32_t* addr = events_.addr() + w.first;
      const std::size_t n = w.last - w.first;
      SampleNotes notes;
      result.chunks.emplace_back();
      if (params_.stores_counts()) {
        notes = integrator_.counts(t, addr, n, counts_.data());
        encode_chunk(counts_.data(), counts_.size(), sizeof(std::uint16_t), scratch_,
                     result.chunks.back());
      } else {
        notes = integrator_.normalized(t, addr, n, floats_.data());
        encode_chunk(floats_.data(), floats_.size(), sizeof(float), scratch_, result.chunks.back());
      }
      result.event_counts.push_back(n);
      result.samples_with_empty_slices += notes.empty_time_frames > 0 ? 1 : 0;
      std::string warning = describe(notes, job.files->stem, row, label.line, params_.T);
      if (!warning.empty()) result.warnings.push_back(std::move(warning));
    }
    return result;
  }

 private:
  FrameParams params_;
  EventBuffer events_;
  Integrator integrator_;
  std::vector<std::uint16_t> counts_;
  std::vector<float> floats_;
  std::vector<std::uint8_t> scratch_;
};

FramesHeader make_header(const ConvertOptions& options) {
  FramesHeader h;
  h.dataset = Dataset::DVS128Gesture;
  h.T = options.T;
  h.split_by = options.split_by;
  h.normalization = options.normalization;
  h.height = dvs_gesture::kHeight;
  h.width = dvs_gesture::kWidth;
  h.class_num = dvs_gesture::kClassNum;
  h.class_names.assign(dvs_gesture::kClassNames.begin(), dvs_gesture::kClassNames.end());
  h.source_dir = options.source_dir;
  return h;
}

SplitSummary summarize(const SplitMeta& meta, std::size_t recordings) {
  SplitSummary s;
  s.samples = meta.size();
  s.per_class.assign(dvs_gesture::kClassNum, 0);
  for (std::size_t i = 0; i < meta.size(); ++i) {
    ++s.per_class[meta.labels[i]];
    s.events += meta.event_count[i];
  }
  s.recordings = recordings;
  return s;
}

// True when `output` is a frames file made from the same inputs and
// parameters; fills the split summaries from it. Anything unreadable is
// simply out of date.
bool up_to_date(const std::string& output, const std::string& fingerprint,
                ConvertSummary& summary) {
  if (!file_exists(output)) return false;
  try {
    {
      h5::Handle file = h5::open_file(output);
      if (!h5::has_attr(file.id(), names::frames::kInputFingerprint) ||
          h5::read_attr_string(file.id(), names::frames::kInputFingerprint) != fingerprint)
        return false;
    }
    const FramesReader existing(output);
    auto recordings = [](const SplitMeta& m) {
      std::size_t n = 0;
      for (std::size_t i = 0; i < m.size(); ++i) n += i == 0 || m.source[i] != m.source[i - 1];
      return n;
    };
    summary.train = summarize(existing.meta(names::frames::kTrain),
                              recordings(existing.meta(names::frames::kTrain)));
    summary.test = summarize(existing.meta(names::frames::kTest),
                             recordings(existing.meta(names::frames::kTest)));
    return true;
  } catch (const Error&) {
    return false;
  }
}

void check_cancel(const std::atomic<bool>* cancel) {
  if (cancel != nullptr && cancel->load())
    throw Interrupted("interrupted, no output written");
}

}  // namespace

ConvertSummary convert_dvs_gesture(const ConvertOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  FrameParams params;
  params.T = options.T;
  params.split_by = options.split_by;
  params.normalization = options.normalization;
  params.sensor = SensorSize{dvs_gesture::kWidth, dvs_gesture::kHeight};
  validate(params);
  if (options.jobs < 1) throw UsageError("jobs must be at least 1");
  if (options.output.empty()) throw UsageError("no output file given");

  ConvertSummary summary;
  const DatasetListing listing = list_dataset(options.source_dir);
  const std::string fingerprint = input_fingerprint(listing, params, options.source_dir);
  if (!options.force && up_to_date(options.output, fingerprint, summary)) {
    summary.up_to_date = true;
    summary.seconds = elapsed();
    return summary;
  }

  // All label files are read before any recording, so a bad row fails in
  // milliseconds, not after minutes of decoding.
  std::vector<RecordingJob> jobs;
  SplitMeta meta[2];
  const SplitListing* splits[2] = {&listing.train, &listing.test};
  for (int s = 0; s < 2; ++s) {
    for (const auto& files : splits[s]->recordings) {
      RecordingJob job;
      job.split = splits[s];
      job.files = &files;
      job.rows = read_labels(files.labels_path, dvs_gesture::kClassNum);
      job.first_sample = meta[s].size();
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
  FramesWriter writer(output.temp_path(), make_header(options), meta[0].size(), meta[1].size(),
                      fingerprint);
  std::vector<std::unique_ptr<Worker>> workers;
  for (int w = 0; w < options.jobs; ++w) workers.push_back(std::make_unique<Worker>(params));

  ConvertProgress progress;
  progress.recordings_total = jobs.size();
  run_ordered<RecordingResult>(
      jobs.size(), options.jobs, 2 * static_cast<std::size_t>(options.jobs),
      [&](std::size_t i, int worker) {
        check_cancel(options.cancel);
        return workers[static_cast<std::size_t>(worker)]->run(jobs[i]);
      },
      [&](std::size_t i, RecordingResult&& result) {
        check_cancel(options.cancel);
        const RecordingJob& job = jobs[i];
        const int s = job.split == &listing.train ? 0 : 1;
        for (std::size_t row = 0; row < result.chunks.size(); ++row) {
          writer.write_sample(job.split->name, job.first_sample + row, result.chunks[row]);
          meta[s].event_count.push_back(result.event_counts[row]);
        }
        for (auto& w : result.warnings) summary.warnings.push_back(std::move(w));
        summary.events_decoded += result.events;
        summary.invalid_events += result.invalid;
        summary.samples_with_empty_slices += result.samples_with_empty_slices;
        progress.recordings_done = i + 1;
        progress.events_done = summary.events_decoded;
        if (options.progress) options.progress(progress);
      });

  writer.write_meta(names::frames::kTrain, meta[0]);
  writer.write_meta(names::frames::kTest, meta[1]);
  writer.close();
  output.commit();
  summary.train = summarize(meta[0], listing.train.recordings.size());
  summary.test = summarize(meta[1], listing.test.recordings.size());
  summary.seconds = elapsed();
  return summary;
}

}  // namespace plifkit::frames
