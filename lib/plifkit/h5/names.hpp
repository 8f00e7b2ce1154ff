// Group, dataset and attribute names of the stage files, exactly as in
// shared/specs/formats.md. Every reader and writer uses these constants.
#pragma once

namespace plifkit::names {

// Root attributes carried by every file.
inline constexpr const char* kFormat = "format";
inline constexpr const char* kFormatVersion = "format_version";

// Section 1: frames file.
namespace frames {
inline constexpr const char* kFormatName = "plif-frames";
inline constexpr int kVersion = 1;
inline constexpr const char* kDataset = "dataset";
inline constexpr const char* kT = "T";
inline constexpr const char* kSplitBy = "split_by";
inline constexpr const char* kNormalization = "normalization";
inline constexpr const char* kHeight = "height";
inline constexpr const char* kWidth = "width";
inline constexpr const char* kClassNum = "class_num";
inline constexpr const char* kClassNames = "class_names";
inline constexpr const char* kSourceDir = "source_dir";
// Extra (allowed by the contract): what the cache compares against.
inline constexpr const char* kInputFingerprint = "input_fingerprint";
inline constexpr const char* kTrain = "train";
inline constexpr const char* kTest = "test";
inline constexpr const char* kFrames = "frames";
inline constexpr const char* kLabels = "labels";
inline constexpr const char* kSource = "source";
inline constexpr const char* kSegment = "segment";
inline constexpr const char* kTStart = "t_start";
inline constexpr const char* kTEnd = "t_end";
inline constexpr const char* kEventCount = "event_count";
}  // namespace frames

// Section 2: checkpoint file.
namespace checkpoint {
inline constexpr const char* kFormatName = "plif-checkpoint";
inline constexpr int kVersion = 1;
inline constexpr const char* kConfig = "config";
inline constexpr const char* kModel = "model";
inline constexpr const char* kState = "state";
inline constexpr const char* kOptimizer = "optimizer";
inline constexpr const char* kScheduler = "scheduler";
inline constexpr const char* kLog = "log";
inline constexpr const char* kEpoch = "epoch";
inline constexpr const char* kTrainTimes = "train_times";
inline constexpr const char* kMaxValAccuracy = "max_val_accuracy";
inline constexpr const char* kMaxValTestAccuracy = "max_val_test_accuracy";
inline constexpr const char* kMaxTestAccuracy = "max_test_accuracy";
}  // namespace checkpoint

// Section 3: evaluation file.
namespace eval {
inline constexpr const char* kFormatName = "plif-eval";
inline constexpr int kVersion = 1;
}  // namespace eval

// Section 4: tau statistics file.
namespace tau_stats {
inline constexpr const char* kFormatName = "plif-tau-stats";
inline constexpr int kVersion = 1;
}  // namespace tau_stats

}  // namespace plifkit::names
