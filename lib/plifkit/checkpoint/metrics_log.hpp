// The per-epoch log of a run: the columns of a checkpoint's /log
// (formats.md section 2), in the order they were appended.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace plifkit {

struct MetricsLog {
  std::vector<std::string> names;
  std::vector<std::vector<double>> columns;

  // The first row fixes the columns and their order; later rows must name
  // the same ones in the same order (Error otherwise).
  void append(const std::vector<std::pair<std::string, double>>& row);
  std::size_t rows() const { return columns.empty() ? 0 : columns.front().size(); }
  // The column `name`, or nullptr.
  const std::vector<double>* column(const std::string& name) const;
  // CSV text with a header line, fixed precision.
  std::string to_csv() const;
};

}  // namespace plifkit
