// The study's results table (the reference's Table 1, with the uncertainty
// stated): per model, over its seeds, mean +- std of the maximum test
// accuracy, the maximum validation accuracy and the test accuracy of the
// epoch chosen by validation, the number of seeds, and Welch's t-test of
// each model against the baseline when both have at least two seeds.
#pragma once

#include <string>
#include <vector>

#include "plifkit/analysis/metrics_csv.hpp"

namespace plifkit::analysis {

struct RunSummary {
  std::string model;
  std::string source;  // the metrics file
  size_t epochs = 0;
  double max_test_accuracy = 0;
  double max_val_accuracy = 0;
  // Test accuracy of the last epoch whose validation accuracy equals the
  // maximum (the epoch checkpoint_max.h5 holds: it is rewritten on ties).
  double test_at_best_val = 0;
};

RunSummary summarize_run(const std::string& model, const MetricsTable& metrics);

// Markdown, models in `model_order`; accuracies in percent with two decimals.
std::string study_table_markdown(const std::vector<RunSummary>& runs,
                                 const std::vector<std::string>& model_order,
                                 const std::string& baseline);

}  // namespace plifkit::analysis
