// The checks a run's settings go through before training starts: against the
// frames file it trains on, and against the run already in its folder.
#pragma once

#include <string>

#include "plifkit/frames/frames_reader.hpp"
#include "plifkit/nn/train_config.hpp"

namespace plifkit::nn {

// T, split_by, normalization and the dataset come from the frames file; a
// value given (non-empty, T != 0) must agree with it. Throws UsageError
// naming the option and the file.
void require_agreement(const TrainConfig& config, const frames::FramesHeader& header,
                       const std::string& path);

// A resumed run must agree with the stored one on every field that defines
// it (max_epoch may grow). Throws UsageError naming the checkpoint.
void require_same_run(const TrainConfig& stored, const TrainConfig& asked, const std::string& path);

}  // namespace plifkit::nn
