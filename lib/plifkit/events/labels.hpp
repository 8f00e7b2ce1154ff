// The per-recording label files of DVS128 Gesture, "<stem>_labels.csv":
//
//   class,startTime_usec,endTime_usec
//   1,80048239,85092709
//   ...
//
// One row per gesture: class 1..11 and the half-open window [start, end) in
// microseconds. Windows may overlap and classes may repeat; each row is one
// sample. Blank lines are ignored (they are not rows); CRLF is accepted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace plifkit {

struct LabelRow {
  std::uint8_t label = 0;     // 0-based class: the CSV's class minus 1
  std::uint64_t t_start = 0;  // microseconds, inclusive
  std::uint64_t t_end = 0;    // microseconds, exclusive; >= t_start
  std::uint32_t line = 0;     // 1-based line in the file, for messages
};

inline constexpr const char* kLabelsHeader = "class,startTime_usec,endTime_usec";

// Parses the text of a labels file; `path` names it in messages. Throws
// InputError "bad labels file 'path' line N: ..." for a missing or wrong
// header, a row without exactly three fields, a field that is not an unsigned
// decimal number, a class outside 1..class_num, or an end before its start.
std::vector<LabelRow> parse_labels(std::string_view text, const std::string& path,
                                   int class_num);

// Reads and parses a labels file; also throws IoError.
std::vector<LabelRow> read_labels(const std::string& path, int class_num);

}  // namespace plifkit
