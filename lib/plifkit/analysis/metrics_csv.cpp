#include "plifkit/analysis/metrics_csv.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include "plifkit/core/error.hpp"

namespace plifkit::analysis {

namespace {

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> fields;
  std::stringstream s(line);
  std::string field;
  while (std::getline(s, field, ',')) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

}  // namespace

const std::vector<double>& MetricsTable::column(const std::string& name) const {
  const auto it = columns.find(name);
  if (it == columns.end()) throw InputError(quoted(path) + ": no column '" + name + "'");
  return it->second;
}

MetricsTable read_metrics_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw IoError("cannot open " + quoted(path) + ": " + std::strerror(errno));
  MetricsTable table;
  table.path = path;
  std::string line;
  size_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto fields = split_fields(line);
    if (table.names.empty()) {
      // plif-train writes the epoch first; anything else (a binary file, a
      // CSV of something else) is refused without echoing its bytes.
      if (fields.empty() || fields[0] != "epoch")
        throw InputError(quoted(path) + ": not a metrics.csv (its first line does not start with 'epoch,')");
      table.names = fields;
      for (const auto& n : fields) table.columns[n];
      if (table.columns.size() != fields.size())
        throw InputError(quoted(path) + ":1: repeated column name");
      continue;
    }
    if (fields.size() != table.names.size())
      throw InputError(quoted(path) + ":" + std::to_string(line_number) + ": " +
                       std::to_string(fields.size()) + " fields, the header has " +
                       std::to_string(table.names.size()));
    for (size_t i = 0; i < fields.size(); ++i) {
      char* end = nullptr;
      const double v = std::strtod(fields[i].c_str(), &end);
      if (fields[i].empty() || *end != '\0')
        throw InputError(quoted(path) + ":" + std::to_string(line_number) + ": '" + fields[i] +
                         "' in column " + table.names[i] + " is not a number");
      table.columns[table.names[i]].push_back(v);
    }
  }
  if (table.names.empty()) throw InputError(quoted(path) + ": empty file (no header line)");
  return table;
}

}  // namespace plifkit::analysis
