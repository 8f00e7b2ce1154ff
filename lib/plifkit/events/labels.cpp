#include "plifkit/events/labels.hpp"

#include <charconv>

#include "plifkit/core/error.hpp"
#include "plifkit/events/text_lines.hpp"

namespace plifkit {
namespace {

constexpr const char* kColumns[3] = {"class", "startTime_usec", "endTime_usec"};

[[noreturn]] void bad(const std::string& path, std::size_t line, const std::string& why) {
  throw InputError("bad labels file " + quoted(path) + " line " + std::to_string(line) + ": " +
                   why);
}

std::uint64_t parse_field(std::string_view field, int column, const std::string& path,
                          std::size_t line) {
  std::uint64_t value = 0;
  const char* end = field.data() + field.size();
  const auto [ptr, ec] = std::from_chars(field.data(), end, value);
  if (field.empty() || ec != std::errc() || ptr != end)
    bad(path, line,
        "'" + printable(field) + "' is not a valid " + kColumns[column] + " (unsigned integer)");
  return value;
}

}  // namespace

std::vector<LabelRow> parse_labels(std::string_view text, const std::string& path,
                                   int class_num) {
  std::vector<LabelRow> rows;
  bool header_seen = false;
  for_each_line(text, [&](std::string_view line, std::size_t number) {
    if (!header_seen) {
      if (line != kLabelsHeader)
        bad(path, number, "expected the header '" + std::string(kLabelsHeader) + "', found '" +
                              printable(line) + "'");
      header_seen = true;
      return;
    }
    if (line.empty()) return;
    std::string_view fields[3];
    int count = 0;
    std::size_t start = 0;
    while (true) {
      const std::size_t comma = line.find(',', start);
      if (count < 3) fields[count] = line.substr(start, comma - start);
      ++count;
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    if (count != 3)
      bad(path, number,
          "expected 3 fields class,startTime_usec,endTime_usec, found " + std::to_string(count));
    const std::uint64_t cls = parse_field(fields[0], 0, path, number);
    const std::uint64_t t_start = parse_field(fields[1], 1, path, number);
    const std::uint64_t t_end = parse_field(fields[2], 2, path, number);
    if (cls < 1 || cls > static_cast<std::uint64_t>(class_num))
      bad(path, number,
          "class " + std::to_string(cls) + " outside 1.." + std::to_string(class_num));
    if (t_end < t_start)
      bad(path, number,
          "endTime_usec " + std::to_string(t_end) + " before startTime_usec " +
              std::to_string(t_start));
    LabelRow row;
    row.label = static_cast<std::uint8_t>(cls - 1);
    row.t_start = t_start;
    row.t_end = t_end;
    row.line = static_cast<std::uint32_t>(number);
    rows.push_back(row);
  });
  if (!header_seen) bad(path, 1, "empty file (expected the header '" + std::string(kLabelsHeader) + "')");
  return rows;
}

std::vector<LabelRow> read_labels(const std::string& path, int class_num) {
  return parse_labels(read_text_file(path), path, class_num);
}

}  // namespace plifkit
