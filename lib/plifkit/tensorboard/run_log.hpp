// What plif-train logs to TensorBoard, tag by tag, and how a resumed run
// makes its folder's event files agree with its checkpoint.
//
// The reference's tags (its train_val.py), so that curves overlay its
// published logs:
//   train_accuracy, train_loss  the step's batch, when train_times % 256 == 0;
//                               step = train_times before the step
//   test_accuracy, val_accuracy per epoch; step = epoch
//   w<i>                        per PLIF layer i (network order): the mean of
//                               its raw w (the scalar w of a per-layer tau);
//                               step = train_times at the end of the epoch
//   w_std<i>                    per-neuron tau only: the std of w; as w<i>
// plifkit's own, step = epoch, so that every column of metrics.csv has a curve:
//   plifkit/learning_rate, plifkit/epoch_seconds,
//   plifkit/epoch_train_loss, plifkit/epoch_train_accuracy (the epoch's means),
//   plifkit/tau_mean<i>, plifkit/tau_std<i>, and for per-neuron tau the
//   histogram plifkit/tau<i> of all taus of layer i.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "plifkit/tensorboard/event_file.hpp"

namespace plifkit::tensorboard {

// The reference logs the per-step values every 256 optimizer steps.
inline constexpr std::int64_t kStepInterval = 256;

// How the run's neuron layers hold tau.
struct RunLayout {
  bool learnable = false;   // PLIF (use_plif): every layer has a w
  bool per_neuron = false;  // tau_per_neuron: w holds one value per neuron
};

// How far a run's checkpoint got.
struct LogPosition {
  std::int64_t epoch = -1;        // last finished epoch, -1 for none
  std::int64_t train_times = 0;   // optimizer steps done, also those of an unfinished epoch
  std::int64_t epoch_end_train_times = 0;  // optimizer steps done when `epoch` ended
};

// One finished epoch as a row of /log and metrics.csv: column name, value.
using LogRow = std::vector<std::pair<std::string, double>>;

struct Scalar {
  std::string tag;
  std::int64_t step = 0;
  double value = 0;
};

// Whether the step that follows `train_times` finished steps is logged.
bool logs_step(std::int64_t train_times);

// The scalars of one step (logs_step(train_times)): accuracy of the step's
// batch and its loss.
std::vector<Scalar> step_scalars(std::int64_t train_times, double loss, double accuracy);

// The scalars of a finished epoch from its /log row (the columns epoch,
// train_loss, train_accuracy, val_accuracy, test_accuracy, learning_rate,
// seconds and w_mean_i, w_std_i, tau_mean_i, tau_std_i per layer i).
// epoch_end_train_times: optimizer steps done at its end. Throws
// FormatError when the row lacks a column.
std::vector<Scalar> epoch_scalars(const LogRow& row, std::int64_t epoch_end_train_times,
                                  const RunLayout& layout);

// The tag of layer i's tau histogram.
std::string tau_histogram_tag(std::size_t layer);

// Whether a value a run logged under `tag` at `step` belongs to the part of
// the run up to `position`; tags plif-train does not write (plif-eval's) do.
bool logged_by(const std::string& tag, std::int64_t step, const LogPosition& position);

// Makes a run folder's event files agree with a run that continues from
// `position`: takes out of them every value logged past it (a run stopped
// after its last checkpoint had gone on; the continuation logs it again),
// and returns the scalars of the finished epochs of `log` (rows in epoch
// order, the last one being position.epoch) that no event file holds, for
// the continuation to write (epochs run with TensorBoard off, or whose
// values were lost). w<i> steps of earlier epochs are reckoned back from
// epoch_end_train_times with `steps_per_epoch`. Throws as filter_event_file.
std::vector<Scalar> reconcile_run_folder(const std::string& run_dir, const LogPosition& position,
                                         const std::vector<LogRow>& log,
                                         std::int64_t steps_per_epoch, const RunLayout& layout);

}  // namespace plifkit::tensorboard
