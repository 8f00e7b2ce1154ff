// Size and modification time of a file: what the output caches compare to
// decide whether an input changed since the output was made.
#pragma once

#include <cstdint>
#include <string>

namespace plifkit {

struct FileStamp {
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;  // modification time, nanoseconds since the epoch
};

// Throws InputError "... does not exist" when the path is missing, IoError for
// other failures; `what` describes the file in the message ("recording").
FileStamp stamp_file(const std::string& path, const std::string& what);

bool file_exists(const std::string& path);

}  // namespace plifkit
