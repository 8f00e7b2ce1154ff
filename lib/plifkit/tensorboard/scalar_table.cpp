#include "plifkit/tensorboard/scalar_table.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>

#include "plifkit/core/error.hpp"
#include "plifkit/tensorboard/event_file.hpp"

namespace plifkit::tensorboard {

namespace {

bool is_folder(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

ScalarTable scalar_table(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const auto& path : paths) {
    if (!is_folder(path)) {
      files.push_back(path);
      continue;
    }
    const auto found = list_event_files(path);
    if (found.empty()) throw InputError(quoted(path) + ": no TensorBoard event files in this folder");
    files.insert(files.end(), found.begin(), found.end());
  }
  ScalarTable table;
  std::vector<ScalarEvent> scalars;
  for (const auto& file : files) {
    EventFileContents contents = read_event_file(file);
    if (contents.truncated_at >= 0) table.truncated.emplace_back(file, contents.truncated_at);
    scalars.insert(scalars.end(), contents.scalars.begin(), contents.scalars.end());
  }
  std::stable_sort(scalars.begin(), scalars.end(), [](const ScalarEvent& a, const ScalarEvent& b) {
    return a.tag != b.tag ? a.tag < b.tag : a.step < b.step;
  });
  table.csv = "tag,step,value\n";
  char value[32];
  for (const auto& s : scalars) {
    std::snprintf(value, sizeof value, "%.9g", static_cast<double>(s.value));
    table.csv += s.tag + "," + std::to_string(s.step) + "," + value + "\n";
  }
  return table;
}

}  // namespace plifkit::tensorboard
