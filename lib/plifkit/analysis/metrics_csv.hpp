// Reads a run's metrics.csv (the /log table of its checkpoint, as plif-train
// writes it): a header line of column names, then one row of numbers per
// finished epoch.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace plifkit::analysis {

struct MetricsTable {
  std::vector<std::string> names;
  std::map<std::string, std::vector<double>> columns;
  size_t rows() const { return columns.empty() ? 0 : columns.begin()->second.size(); }
  // The named column; throws InputError naming `path` when absent.
  const std::vector<double>& column(const std::string& name) const;
  std::string path;
};

// Throws IoError / InputError naming the file and line.
MetricsTable read_metrics_csv(const std::string& path);

}  // namespace plifkit::analysis
