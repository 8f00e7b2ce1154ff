// The `format` / `format_version` stamp every stage file carries, and the
// check every reader makes before trusting a file.
#pragma once

#include <string>

#include "plifkit/h5/h5.hpp"

namespace plifkit::h5 {

void write_format_stamp(hid_t file, const std::string& format, int version);

// Throws FormatError naming `path` when the file's format is not `format` or
// its version is newer than `version` (the one this build knows).
void require_format(hid_t file, const std::string& path, const std::string& format, int version);

}  // namespace plifkit::h5
