#include "plifkit/nn/run_checks.hpp"

#include <algorithm>

#include "plifkit/config/run_settings.hpp"
#include "plifkit/core/error.hpp"

namespace plifkit::nn {

TrainConfig settings_of(const frames::FramesHeader& h) {
  TrainConfig c;
  c.dataset = h.dataset;
  c.net.dataset = h.dataset;
  if (h.input_kind == InputKind::events) {
    c.T = h.T;
    c.split_by = h.split_by;
    c.normalization = h.normalization;
  }
  c.net.height = h.height;
  c.net.width = h.width;
  c.net.class_num = h.class_num;
  return c;
}

TrainConfig with_frames_settings(TrainConfig asked, const frames::FramesHeader& header,
                                 const std::string& path) {
  const TrainConfig file = settings_of(header);
  const InputKind kind = header.input_kind;
  if (kind == InputKind::images) {
    const std::string holds = quoted(path) + " holds " + name_of_choice(header.dataset) + " images";
    if (!asked.T) throw SettingError("T", "is required: " + holds + ", which have no T (the reference ran -T 8)");
    for (const Setting& s : run_settings())
      if (s.events_only && !std::holds_alternative<std::monostate>(s.get(asked)))
        throw SettingError(s.name, "does not apply: " + holds + ", not event frames");
  }
  const auto given_and_decided = [&](const Setting& s) {
    return s.source == SettingSource::frames && decided_by_frames_of(s, kind) &&
           !std::holds_alternative<std::monostate>(s.get(asked));
  };
  const auto contradictions = differences(asked, file, given_and_decided);
  if (!contradictions.empty()) {
    const auto& d = contradictions.front();
    throw SettingError(d.name, d.a + " contradicts " + quoted(path) + ", which was made with " +
                                   d.name + " " + d.b);
  }
  for (const Setting& s : run_settings())
    if (decided_by_frames_of(s, kind)) s.set(asked, s.get(file));
  validate(asked);
  return asked;
}

void require_same_run(const TrainConfig& stored, const TrainConfig& asked, const std::string& path) {
  const std::string changed = describe(differences(stored, asked, defines_the_run));
  if (!changed.empty())
    throw UsageError(quoted(path) + " holds a run with other settings (" + changed +
                     ", stored vs asked); use another name or log_dir_prefix, or delete it "
                     "to start over");
}

void require_fit(const TrainConfig& trained, const std::string& checkpoint_path,
                 const frames::FramesHeader& header, const std::string& frames_path) {
  const TrainConfig frames = settings_of(header);
  std::vector<SettingDifference> found = differences(
      trained, frames, [&](const Setting& s) { return decided_by_frames_of(s, header.input_kind); });
  // Height and width read as one size: "size 128x128 vs 64x64".
  const auto is_side = [](const SettingDifference& d) { return d.name == "height" || d.name == "width"; };
  const auto side = std::find_if(found.begin(), found.end(), is_side);
  if (side != found.end()) {
    const auto size_of = [](const TrainConfig& c) {
      return std::to_string(c.net.height) + "x" + std::to_string(c.net.width);
    };
    *side = {"size", size_of(trained), size_of(frames)};
    found.erase(std::remove_if(side + 1, found.end(), is_side), found.end());
  }
  const std::string misfit = describe(found);
  if (!misfit.empty())
    throw InputError("checkpoint " + quoted(checkpoint_path) + " does not fit frames " +
                     quoted(frames_path) + ": " + misfit + " (checkpoint vs frames)");
}

}  // namespace plifkit::nn
