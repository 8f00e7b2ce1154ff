#include "plifkit/checkpoint/metrics_log.hpp"

#include <cstdio>
#include <sstream>

#include "plifkit/core/error.hpp"

namespace plifkit {

void MetricsLog::append(const std::vector<std::pair<std::string, double>>& row) {
  if (names.empty()) {
    for (const auto& [name, value] : row) names.push_back(name);
    columns.resize(names.size());
  }
  if (row.size() != names.size()) throw Error("metrics row has a different set of columns");
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (row[i].first != names[i]) throw Error("metrics column '" + row[i].first + "' out of order");
    columns[i].push_back(row[i].second);
  }
}

const std::vector<double>* MetricsLog::column(const std::string& name) const {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return &columns[i];
  return nullptr;
}

std::string MetricsLog::to_csv() const {
  std::ostringstream out;
  for (std::size_t i = 0; i < names.size(); ++i) out << (i ? "," : "") << names[i];
  out << "\n";
  char buf[32];
  for (std::size_t r = 0; r < rows(); ++r) {
    for (std::size_t i = 0; i < names.size(); ++i) {
      const double v = columns[i][r];
      if (names[i] == "epoch")
        std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
      else
        std::snprintf(buf, sizeof buf, "%.6g", v);
      out << (i ? "," : "") << buf;
    }
    out << "\n";
  }
  return out.str();
}

}  // namespace plifkit
