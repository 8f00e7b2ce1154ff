// checkpoint_compare A.h5 B.h5 TOLERANCE [OPTIMIZER_TOLERANCE]: whether two
// checkpoints hold the same training state within TOLERANCE: every /model
// tensor and every Adam moment of /optimizer (their step counts equal; the
// moments within OPTIMIZER_TOLERANCE, default TOLERANCE), each compared relative to
// its own scale: max |a - b| <= TOLERANCE * max |a|, so entries near zero are
// judged against the tensor's size, not their own; a /model tensor near zero
// as a whole (a BatchNorm shift a few steps from 0) against 0.1, the size of
// the network's weights and w's; and every /log column
// (train_loss, accuracies, taus; the seconds column excepted) relative to
// its value. Prints the worst tensor; exit 1 when anything differs more or
// the two hold different entries. For the data-parallel test: N ranks
// against one process.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "plifkit/checkpoint/checkpoint_file.hpp"

using namespace plifkit;

namespace {

constexpr double kScaleFloor = 0.1;
double worst = 0, worst_model = 0;
std::string worst_name;
int failures = 0;

void compare(const std::string& name, const StoredTensor& a, const StoredTensor& b, double tolerance) {
  if (a.shape != b.shape || a.type != b.type || a.floats.size() != b.floats.size() ||
      a.integers != b.integers) {
    std::printf("%s: shape, type or integer values differ\n", name.c_str());
    ++failures;
    return;
  }
  double scale = 0, diff = 0;
  for (size_t i = 0; i < a.floats.size(); ++i) {
    scale = std::max(scale, std::abs(static_cast<double>(a.floats[i])));
    diff = std::max(diff, std::abs(static_cast<double>(a.floats[i]) - b.floats[i]));
  }
  const bool model = name.compare(0, 7, "/model/") == 0;
  const double relative = model ? diff / std::max(scale, kScaleFloor) : scale > 0 ? diff / scale : diff;
  if (model) worst_model = std::max(worst_model, relative);
  if (relative > worst) {
    worst = relative;
    worst_name = name;
  }
  if (relative > tolerance) {
    std::printf("%s: differs by %.3g of its scale %.3g\n", name.c_str(), relative, scale);
    ++failures;
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4 && argc != 5) {
    std::fprintf(stderr, "usage: checkpoint_compare A.h5 B.h5 TOLERANCE [OPTIMIZER_TOLERANCE]\n");
    return 2;
  }
  const double tolerance = std::atof(argv[3]);
  const double optimizer_tolerance = argc == 5 ? std::atof(argv[4]) : tolerance;
  const unsigned parts = kCheckpointModel | kCheckpointOptimizer | kCheckpointLog | kCheckpointState;
  const CheckpointFile a = read_checkpoint(argv[1], parts);
  const CheckpointFile b = read_checkpoint(argv[2], parts);
  if (a.model.size() != b.model.size() || a.optimizer.size() != b.optimizer.size()) {
    std::printf("the checkpoints hold different entries\n");
    return 1;
  }
  for (const auto& [key, tensor] : a.model) {
    const auto it = b.model.find(key);
    if (it == b.model.end()) {
      std::printf("/model/%s: only in %s\n", key.c_str(), argv[1]);
      return 1;
    }
    compare("/model/" + key, tensor, it->second, tolerance);
  }
  for (const auto& [key, entry] : a.optimizer) {
    const auto it = b.optimizer.find(key);
    if (it == b.optimizer.end() || it->second.step != entry.step) {
      std::printf("/optimizer/%s: missing or another step\n", key.c_str());
      return 1;
    }
    compare("/optimizer/" + key + "/exp_avg", entry.exp_avg, it->second.exp_avg, optimizer_tolerance);
    compare("/optimizer/" + key + "/exp_avg_sq", entry.exp_avg_sq, it->second.exp_avg_sq, optimizer_tolerance);
  }
  if (a.state.train_times != b.state.train_times || a.state.epoch != b.state.epoch) {
    std::printf("/state: other steps or epochs\n");
    return 1;
  }
  for (const std::string& column : a.log.names) {
    if (column == "seconds") continue;
    const std::vector<double>* x_column = a.log.column(column);
    const std::vector<double>* y_column = b.log.column(column);
    if (y_column == nullptr || x_column->size() != y_column->size()) {
      std::printf("/log/%s: other lengths\n", column.c_str());
      return 1;
    }
    const std::vector<double>& x = *x_column, &y = *y_column;
    for (size_t i = 0; i < x.size(); ++i)
      if (std::abs(x[i] - y[i]) > tolerance * std::max(1e-12, std::abs(x[i]))) {
        std::printf("/log/%s row %zu: %.9g against %.9g\n", column.c_str(), i, x[i], y[i]);
        ++failures;
      }
  }
  std::printf("%zu model tensors within %.2g of their scale, %zu optimizer tensors, the log; largest difference "
              "%.2g (%s)\n",
              a.model.size(), worst_model, a.optimizer.size(), worst, worst_name.c_str());
  return failures == 0 ? 0 : 1;
}
