#include "plifkit/frames/convert_parts.hpp"

#include "plifkit/core/setting_error.hpp"
#include "plifkit/core/error.hpp"
#include "plifkit/core/file_stamp.hpp"
#include "plifkit/core/ordered_pool.hpp"
#include "plifkit/h5/h5.hpp"
#include "plifkit/h5/names.hpp"

namespace plifkit::frames::detail {

FrameParams frame_params(const ConvertOptions& options) {
  const DatasetRow& facts = row_of(options.dataset);
  if (facts.kind != InputKind::events)
    throw SettingError("dataset", std::string(name_of_choice(options.dataset)) + ": " +
                                      name_of_choice(options.dataset) +
                                      " holds images, not events (event datasets: " +
                                      dataset_names(InputKind::events) + ")");
  FrameParams params;
  params.T = options.T;
  params.split_by = options.split_by;
  params.normalization = options.normalization;
  params.sensor = SensorSize{static_cast<int>(facts.width), static_cast<int>(facts.height)};
  validate(params);
  check_output_options(options);
  return params;
}

void check_output_options(const ConvertOptions& options) {
  if (options.jobs < 1) throw UsageError("jobs must be at least 1");
  if (options.output.empty()) throw UsageError("no output file given");
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}


FramesHeader make_header(const ConvertOptions& options) {
  const DatasetRow& facts = row_of(options.dataset);
  FramesHeader h;
  h.dataset = options.dataset;
  h.T = options.T;
  h.split_by = options.split_by;
  h.normalization = options.normalization;
  h.height = static_cast<int>(facts.height);
  h.width = static_cast<int>(facts.width);
  h.class_num = static_cast<int>(facts.class_num);
  h.class_names = row_of(options.dataset).class_names;
  h.source_dir = options.source_dir;
  h.orientation = options.orientation;
  return h;
}

std::string describe(const SampleNotes& notes, const std::string& sample, int T) {
  std::string why;
  auto add = [&](const std::string& s) { why += (why.empty() ? "" : "; ") + s; };
  if (notes.events == 0)
    add("no events, all " + std::to_string(T) + " frames are zero");
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
  return why.empty() ? why : sample + ": " + why;
}

SplitSummary summarize(const SplitMeta& meta, std::size_t inputs, std::size_t class_num) {
  SplitSummary s;
  s.samples = meta.size();
  s.per_class.assign(class_num, 0);
  for (std::size_t i = 0; i < meta.size(); ++i) {
    ++s.per_class[meta.labels[i]];
    s.events += i < meta.event_count.size() ? meta.event_count[i] : 0;  // images have none
  }
  s.recordings = inputs;
  return s;
}

bool up_to_date(const ConvertOptions& options, const std::string& fingerprint,
                std::size_t class_num, ConvertSummary& summary) {
  const std::string& output = options.output;
  if (options.force || !file_exists(output)) return false;
  try {
    {
      h5::Handle file = h5::open_file(output);
      if (!h5::has_attr(file.id(), names::frames::kInputFingerprint) ||
          h5::read_attr_string(file.id(), names::frames::kInputFingerprint) != fingerprint)
        return false;
    }
    const FramesReader existing(output);
    auto inputs = [](const SplitMeta& m) {
      std::size_t n = 0;
      for (std::size_t i = 0; i < m.size(); ++i) n += i == 0 || m.source[i] != m.source[i - 1];
      return n;
    };
    for (auto [split, name] : {std::pair{&summary.train, names::frames::kTrain},
                               std::pair{&summary.test, names::frames::kTest}}) {
      const SplitMeta& meta = existing.meta(name);
      *split = summarize(meta, inputs(meta), class_num);
    }
    summary.up_to_date = true;
    return true;
  } catch (const Error&) {
    return false;
  }
}

void check_cancel(const std::atomic<bool>* cancel) {
  if (cancel != nullptr && cancel->load())
    throw Interrupted("interrupted, no output written");
}

void encode_and_write(const std::vector<InputSlot>& inputs, const ConvertOptions& options,
                      const std::function<EncodedInput(std::size_t input, int worker)>& encode,
                      FramesWriter& writer, SplitMeta (&meta)[2], ConvertSummary& summary) {
  for (SplitMeta& m : meta) {
    m.event_count.assign(m.size(), 0);
    m.t_start.resize(m.size(), 0);
    m.t_end.resize(m.size(), 0);
  }
  const char* split_names[2] = {names::frames::kTrain, names::frames::kTest};
  ConvertProgress progress;
  progress.recordings_total = inputs.size();
  run_ordered<EncodedInput>(
      inputs.size(), options.jobs, 2 * static_cast<std::size_t>(options.jobs),
      [&](std::size_t i, int worker) {
        check_cancel(options.cancel);
        return encode(i, worker);
      },
      [&](std::size_t i, EncodedInput&& result) {
        check_cancel(options.cancel);
        const InputSlot& slot = inputs[i];
        SplitMeta& m = meta[slot.split];
        for (std::size_t k = 0; k < result.chunks.size(); ++k) {
          const std::size_t sample = slot.first_sample + k;
          writer.write_sample(split_names[slot.split], sample, result.chunks[k]);
          m.event_count[sample] = result.event_counts[k];
          if (!result.t_start.empty()) {
            m.t_start[sample] = result.t_start[k];
            m.t_end[sample] = result.t_end[k];
          }
        }
        for (auto& w : result.warnings) summary.warnings.push_back(std::move(w));
        summary.events_decoded += result.events;
        summary.invalid_events += result.invalid_events;
        summary.overflow_markers += result.overflow_markers;
        summary.special_events += result.special_events;
        summary.samples_with_empty_slices += result.samples_with_empty_slices;
        progress.recordings_done = i + 1;
        progress.events_done = summary.events_decoded;
        if (options.progress) options.progress(progress);
      });
}

}  // namespace plifkit::frames::detail
