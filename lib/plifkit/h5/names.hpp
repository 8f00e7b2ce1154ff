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
inline constexpr int kVersion = 1;  // what aedat2frames writes
// What readers accept: formats.md allows a version 2 for files that hold the
// other datasets, with the same layout ("readers accept both").
inline constexpr int kNewestReadable = 2;
inline constexpr const char* kDataset = "dataset";
// "events" or "images"; absent means "events".
inline constexpr const char* kInputKind = "input_kind";
inline constexpr const char* kChannels = "channels";
inline constexpr const char* kT = "T";
inline constexpr const char* kSplitBy = "split_by";
inline constexpr const char* kNormalization = "normalization";
inline constexpr const char* kHeight = "height";
inline constexpr const char* kWidth = "width";
inline constexpr const char* kClassNum = "class_num";
inline constexpr const char* kClassNames = "class_names";
inline constexpr const char* kSourceDir = "source_dir";
// Extra: how raw coordinates became pixels (events/orientation.hpp); absent
// means "reference".
inline constexpr const char* kOrientation = "orientation";
// Extra (allowed by the contract): what the cache compares against.
inline constexpr const char* kInputFingerprint = "input_fingerprint";
inline constexpr const char* kTrain = "train";
inline constexpr const char* kTest = "test";
inline constexpr const char* kFrames = "frames";
inline constexpr const char* kImages = "images";
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
// /state of a run stopped inside an epoch, and of the float16 loss scaler.
inline constexpr const char* kStepInEpoch = "step_in_epoch";
inline constexpr const char* kEpochLossSum = "epoch_loss_sum";
inline constexpr const char* kEpochCorrect = "epoch_correct";
inline constexpr const char* kEpochSeconds = "epoch_seconds";
inline constexpr const char* kLossScale = "loss_scale";
inline constexpr const char* kLossScaleGrowth = "loss_scale_growth";
// /config attributes, one per stored setting (config/run_settings.cpp).
// Those the frames file decides have the names of its root attributes.
namespace config {
inline constexpr const char* kDataset = frames::kDataset;
inline constexpr const char* kT = frames::kT;
inline constexpr const char* kSplitBy = frames::kSplitBy;
inline constexpr const char* kNormalization = frames::kNormalization;
inline constexpr const char* kHeight = frames::kHeight;
inline constexpr const char* kWidth = frames::kWidth;
inline constexpr const char* kClassNum = frames::kClassNum;
inline constexpr const char* kChannels = "channels";
inline constexpr const char* kNumberLayer = "number_layer";
inline constexpr const char* kUsePlif = "use_plif";
inline constexpr const char* kTauPerNeuron = "tau_per_neuron";
inline constexpr const char* kUseMaxPool = "use_max_pool";
inline constexpr const char* kDetachReset = "detach_reset";
inline constexpr const char* kAlphaLearnable = "alpha_learnable";
inline constexpr const char* kInitTau = "init_tau";
inline constexpr const char* kTauStdDev = "tau_std_dev";
inline constexpr const char* kTauInit = "tau_init";
inline constexpr const char* kDropoutP = "dropout_p";
inline constexpr const char* kBatchSize = "batch_size";
inline constexpr const char* kLearningRate = "learning_rate";
inline constexpr const char* kTMax = "T_max";
inline constexpr const char* kMaxEpoch = "max_epoch";
inline constexpr const char* kSeed = "seed";
inline constexpr const char* kRegLambda = "reg_lambda";
inline constexpr const char* kRegTarget = "reg_target";
inline constexpr const char* kTauLrScale = "tau_lr_scale";
inline constexpr const char* kValRatio = "val_ratio";
inline constexpr const char* kAmp = "amp";
inline constexpr const char* kAugment = "augment";
}  // namespace config
// /log columns; the per-layer ones are suffixed with the 0-based neuron layer index.
inline constexpr const char* kLogEpoch = "epoch";
inline constexpr const char* kLogTauMeanPrefix = "tau_mean_";
inline constexpr const char* kLogTauStdPrefix = "tau_std_";
}  // namespace checkpoint

// Section 3: evaluation file.
namespace eval {
inline constexpr const char* kFormatName = "plif-eval";
inline constexpr int kVersion = 1;
inline constexpr const char* kCheckpoint = "checkpoint";
inline constexpr const char* kFrames = "frames";
inline constexpr const char* kSplit = "split";
inline constexpr const char* kAccuracy = "accuracy";
inline constexpr const char* kCounts = "counts";
inline constexpr const char* kPredicted = "predicted";
inline constexpr const char* kLabels = "labels";
inline constexpr const char* kSource = "source";
inline constexpr const char* kSegment = "segment";
inline constexpr const char* kConfusion = "confusion";
// Written with --per_step: [T] float64, accuracy from the first t + 1 steps.
inline constexpr const char* kAccuracyByStep = "accuracy_by_step";
// Per neuron layer, network order: [L] float64.
inline constexpr const char* kFiringRate = "firing_rate";
inline constexpr const char* kSynops = "synops";
// Extra (allowed by the contract): what the per-layer rows and classes are.
inline constexpr const char* kNeuronLayers = "neuron_layers";  // [L] string, "conv.2" ...
inline constexpr const char* kFanOut = "fan_out";              // [L] uint64
inline constexpr const char* kClassNames = "class_names";      // root attribute, string[class_num]
}  // namespace eval

// Section 4: tau statistics file.
namespace tau_stats {
inline constexpr const char* kFormatName = "plif-tau-stats";
inline constexpr int kVersion = 1;
inline constexpr const char* kCheckpoint = "checkpoint";
inline constexpr const char* kLayerPrefix = "layer_";
inline constexpr const char* kKey = "key";
inline constexpr const char* kCount = "count";
inline constexpr const char* kMean = "mean";
inline constexpr const char* kStd = "std";
inline constexpr const char* kMin = "min";
inline constexpr const char* kMax = "max";
inline constexpr const char* kMedian = "median";
inline constexpr const char* kQ05 = "q05";
inline constexpr const char* kQ25 = "q25";
inline constexpr const char* kQ75 = "q75";
inline constexpr const char* kQ95 = "q95";
inline constexpr const char* kHistogram = "histogram";
inline constexpr const char* kBinEdges = "bin_edges";
// Extra (allowed by the contract): the layer's state_dict prefix ("conv.2")
// and how its tau is held: "per_neuron", "per_layer" or "fixed" (LIF).
inline constexpr const char* kLayer = "layer";
inline constexpr const char* kKind = "kind";
}  // namespace tau_stats

}  // namespace plifkit::names
