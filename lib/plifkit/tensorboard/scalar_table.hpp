// The scalars of TensorBoard event files as a CSV table (tb-scalars).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace plifkit::tensorboard {

struct ScalarTable {
  // "tag,step,value" header, then one line per scalar sorted by tag, then
  // step; several values of one tag and step stay, in the order written.
  // Values with 9 significant digits (a float32 exactly).
  std::string csv;
  // Files whose last record was incomplete (skipped), with its offset.
  std::vector<std::pair<std::string, std::int64_t>> truncated;
};

// Reads event files, or the event files of run folders, checking every
// record's CRCs. Throws InputError for a folder without event files, and as
// read_event_file.
ScalarTable scalar_table(const std::vector<std::string>& paths);

}  // namespace plifkit::tensorboard
