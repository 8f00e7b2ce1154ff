// The checkpoint file (formats.md section 2), read and written in one place
// and without LibTorch: plif-train (resume, --init_checkpoint), plif-eval,
// tau-stats and the TensorBoard log all go through read_checkpoint, so a
// file is accepted or refused the same way everywhere.
//
// One rule for what a file may lack: the floor of formats.md must be there
// (its /config attributes, /state's epoch, train_times, max_val_accuracy and
// max_val_test_accuracy, /model, /log); everything beyond it is optional and
// takes the default that behaves as the floor describes. /optimizer and
// /scheduler are needed only to resume, and read only then.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "plifkit/checkpoint/metrics_log.hpp"
#include "plifkit/config/train_config.hpp"

namespace plifkit {

// One /model or /optimizer entry as stored: float32, or int64
// (num_batches_tracked, the only integer entry).
struct StoredTensor {
  enum class Type { float32, int64 };
  Type type = Type::float32;
  std::vector<std::int64_t> shape;     // empty: a scalar
  std::vector<float> floats;           // the entries when float32, row-major
  std::vector<std::int64_t> integers;  // the entries when int64
  bool operator==(const StoredTensor& other) const {
    return type == other.type && shape == other.shape && floats == other.floats &&
           integers == other.integers;
  }
};

// How far an interrupted epoch got: its steps done and its running sums
// (steps == 0: the checkpoint is at an epoch boundary).
struct EpochProgress {
  std::int64_t steps = 0;
  double loss_sum = 0.0;
  std::int64_t correct = 0;
  double seconds = 0.0;
};

// /state.
struct TrainState {
  std::int64_t epoch = -1;  // last finished epoch, 0-based
  std::int64_t train_times = 0;
  double max_val_accuracy = -1.0;
  double max_val_test_accuracy = 0.0;
  double max_test_accuracy = 0.0;
  EpochProgress partial;  // of epoch + 1
  // The float16 loss scaler (--amp fp16).
  double loss_scale = 1.0;
  std::int64_t loss_scale_growth = 0;
};

// Adam's state of one parameter.
struct AdamEntry {
  StoredTensor exp_avg, exp_avg_sq;
  std::int64_t step = 0;
};

struct CheckpointFile {
  TrainConfig config;
  std::map<std::string, StoredTensor> model;  // state_dict key -> entry
  TrainState state;
  MetricsLog log;
  std::map<std::string, AdamEntry> optimizer;  // parameter key -> state
  std::int64_t scheduler_last_epoch = 0;
};

// What to read besides /config (always read: nothing else can be checked
// without it). Combine with |. Reading /model also verifies the checksums of
// /optimizer when that is not read: every checksum in the file is checked.
enum CheckpointPart : unsigned {
  kCheckpointModel = 1u << 0,
  kCheckpointState = 1u << 1,
  kCheckpointLog = 1u << 2,
  kCheckpointOptimizer = 1u << 3,  // /optimizer and /scheduler
  kCheckpointEverything = 0xFu,
};

// Throws IoError, or FormatError naming the file and what is wrong.
CheckpointFile read_checkpoint(const std::string& path, unsigned parts);
TrainConfig read_checkpoint_config(const std::string& path);

// Every part; written atomically (temporary file, then rename). /log keeps
// its column order in a `columns` attribute. Throws IoError.
void write_checkpoint(const std::string& path, const CheckpointFile& checkpoint);

}  // namespace plifkit
