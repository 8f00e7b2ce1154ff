// plif-eval's work: the network rebuilt from a checkpoint's /config and
// /model alone, run in evaluation mode (running BatchNorm statistics, no
// dropout) over a split of a frames file, with what every step and layer did.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "plifkit/analysis/eval_summary.hpp"
#include "plifkit/config/choices.hpp"
#include "plifkit/config/device_spec.hpp"

namespace plifkit::nn {

struct EvalOptions {
  std::string checkpoint;  // a plif-checkpoint file
  std::string frames;      // a plif-frames file the network fits
  // "test": the test split; "train" / "val": the two parts of the train
  // split as plif-train divided it (split_train_val with the checkpoint's
  // val_ratio); "all": the train split, then the test split, in file order.
  EvalSplit split = EvalSplit::test;
  std::int64_t batch_size = 16;  // samples per forward pass; results do not depend on it
  DeviceSpec device;
  // Checked between batches; when set, evaluate throws Interrupted.
  const std::atomic<bool>* cancel = nullptr;
};

// Called after every batch with samples done and the total.
using EvalProgress = std::function<void(std::size_t done, std::size_t total)>;

// Throws SettingError for a batch size below 1, DeviceError for a device
// this build or machine lacks; InputError naming
// both files when the network does not fit the frames (T, height, width,
// class_num, normalization) or the split has no samples; FormatError /
// IoError from reading either file.
analysis::Evaluation evaluate(const EvalOptions& options, const EvalProgress& progress = {});

}  // namespace plifkit::nn
