// CSV output (RFC 4180): fields with a comma, quote or line break are quoted.
#pragma once

#include <string>
#include <vector>

namespace plifkit::analysis {

// One line, '\n'-terminated.
std::string csv_line(const std::vector<std::string>& fields);

}  // namespace plifkit::analysis
