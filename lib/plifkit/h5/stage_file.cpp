#include "plifkit/h5/stage_file.hpp"

#include "plifkit/core/error.hpp"
#include "plifkit/h5/names.hpp"

namespace plifkit::h5 {

void write_format_stamp(hid_t file, const std::string& format, int version) {
  write_attr_string(file, names::kFormat, format);
  write_attr<std::int32_t>(file, names::kFormatVersion, version);
}

void require_format(hid_t file, const std::string& path, const std::string& format, int version) {
  if (!has_attr(file, names::kFormat))
    throw FormatError(quoted(path) + ": not a plifkit file (no 'format' attribute); expected " +
                      format);
  const std::string found = read_attr_string(file, names::kFormat);
  if (found != format)
    throw FormatError(quoted(path) + ": is a " + found + " file, expected " + format);
  const int found_version = read_attr<std::int32_t>(file, names::kFormatVersion);
  if (found_version < 1 || found_version > version)
    throw FormatError(quoted(path) + ": " + format + " version " + std::to_string(found_version) +
                      " is not supported (this build reads up to " + std::to_string(version) +
                      ")");
}

}  // namespace plifkit::h5
