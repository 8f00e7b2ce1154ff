// The checks a run's settings go through against the files it meets: the
// frames file it trains on or is evaluated on, and the run already in its
// folder. All are one comparison over the settings table
// (config/run_settings.hpp) with different selections.
#pragma once

#include <string>

#include "plifkit/config/train_config.hpp"
#include "plifkit/frames/frames_reader.hpp"

namespace plifkit::nn {

// The settings a frames file decides: dataset, T, split_by, normalization,
// height, width and class_num; the rest at their defaults.
TrainConfig settings_of(const frames::FramesHeader& header);

// `asked` with the frames file's settings filled in, after checking that
// every one given agrees with the file; then validated. Throws
// SettingError naming the first setting that contradicts the file at `path`.
TrainConfig with_frames_settings(TrainConfig asked, const frames::FramesHeader& header,
                                 const std::string& path);

// A resumed run must agree with the stored one on every setting of its
// identity (max_epoch may grow). Throws UsageError naming the checkpoint.
void require_same_run(const TrainConfig& stored, const TrainConfig& asked, const std::string& path);

// A trained network fits frames made with the same settings. Throws
// InputError naming both files and every difference.
void require_fit(const TrainConfig& trained, const std::string& checkpoint_path,
                 const frames::FramesHeader& header, const std::string& frames_path);

}  // namespace plifkit::nn
