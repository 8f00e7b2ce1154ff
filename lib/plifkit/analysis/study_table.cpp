#include "plifkit/analysis/study_table.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <sstream>

#include "plifkit/analysis/statistics.hpp"
#include "plifkit/core/error.hpp"

namespace plifkit::analysis {

RunSummary summarize_run(const std::string& model, const MetricsTable& metrics) {
  const auto& test = metrics.column("test_accuracy");
  const auto& val = metrics.column("val_accuracy");
  if (test.empty()) throw InputError(quoted(metrics.path) + ": no finished epoch");
  RunSummary s;
  s.model = model;
  s.source = metrics.path;
  s.epochs = test.size();
  s.max_test_accuracy = *std::max_element(test.begin(), test.end());
  s.max_val_accuracy = *std::max_element(val.begin(), val.end());
  for (size_t i = 0; i < val.size(); ++i)
    if (val[i] == s.max_val_accuracy) s.test_at_best_val = test[i];
  return s;
}

namespace {

std::string percent_mean_std(const std::vector<double>& x) {
  char buf[64];
  if (x.size() < 2)
    std::snprintf(buf, sizeof buf, "%.2f", 100 * mean(x));
  else
    std::snprintf(buf, sizeof buf, "%.2f ± %.2f", 100 * mean(x), 100 * sample_std(x));
  return buf;
}

std::string p_value(const std::vector<double>& x, const std::vector<double>& baseline) {
  if (x.size() < 2 || baseline.size() < 2) return "–";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", welch_t_test(x, baseline).p);
  return buf;
}

}  // namespace

std::string study_table_markdown(const std::vector<RunSummary>& runs,
                                 const std::vector<std::string>& model_order,
                                 const std::string& baseline) {
  struct Columns {
    std::vector<double> max_test, max_val, test_at_val;
  };
  std::map<std::string, Columns> by_model;
  for (const auto& r : runs) {
    auto& c = by_model[r.model];
    c.max_test.push_back(r.max_test_accuracy);
    c.max_val.push_back(r.max_val_accuracy);
    c.test_at_val.push_back(r.test_at_best_val);
  }
  std::ostringstream out;
  out << "| Model | Seeds | Max test acc. (%) | Max val acc. (%) | Test acc. at best val (%) "
         "| p, max test vs " << baseline << " | p, test at best val vs " << baseline << " |\n";
  out << "|---|---:|---:|---:|---:|---:|---:|\n";
  const Columns empty;
  const Columns& base = by_model.count(baseline) ? by_model.at(baseline) : empty;
  for (const auto& model : model_order) {
    const auto it = by_model.find(model);
    if (it == by_model.end()) continue;
    const Columns& c = it->second;
    const bool is_base = model == baseline;
    out << "| " << model << " | " << c.max_test.size() << " | " << percent_mean_std(c.max_test)
        << " | " << percent_mean_std(c.max_val) << " | " << percent_mean_std(c.test_at_val) << " | "
        << (is_base ? "–" : p_value(c.max_test, base.max_test)) << " | "
        << (is_base ? "–" : p_value(c.test_at_val, base.test_at_val)) << " |\n";
  }
  out << "\nMean ± sample standard deviation over seeds; p: two-sided Welch t-test against "
      << baseline << " (shown when both models have at least two seeds).\n";
  return out.str();
}

}  // namespace plifkit::analysis
