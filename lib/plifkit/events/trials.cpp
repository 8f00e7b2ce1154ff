#include "plifkit/events/trials.hpp"

#include <algorithm>
#include <set>

#include "plifkit/core/error.hpp"
#include "plifkit/events/dvs_gesture.hpp"
#include "plifkit/events/text_lines.hpp"

namespace plifkit {
namespace {

[[noreturn]] void bad(const std::string& path, std::size_t line, const std::string& why) {
  throw InputError("bad trials list " + quoted(path) + " line " + std::to_string(line) + ": " +
                   why);
}

bool is_blank(std::string_view s) { return s.find_first_not_of(" \t") == std::string_view::npos; }

// A byte no file name of the dataset has: a folder separator, blank or
// control byte (a NUL would even cut the path short when the file is opened).
bool is_forbidden(char c) {
  const auto b = static_cast<unsigned char>(c);
  return c == '/' || c == ' ' || b < 0x20 || b == 0x7F;
}

}  // namespace

std::vector<TrialEntry> parse_trials(std::string_view text, const std::string& path) {
  const std::string_view suffix = dvs_gesture::kAedatSuffix;
  std::vector<TrialEntry> entries;
  std::set<std::string_view> seen;
  for_each_line(text, [&](std::string_view line, std::size_t number) {
    if (is_blank(line)) return;
    const bool has_suffix = line.size() > suffix.size() &&
                            line.substr(line.size() - suffix.size()) == suffix;
    if (!has_suffix || std::any_of(line.begin(), line.end(), is_forbidden))
      bad(path, number,
          "'" + printable(line) + "' is not a recording file name like " +
              "'user01_fluorescent.aedat'");
    if (!seen.insert(line).second) bad(path, number, "'" + printable(line) + "' is listed twice");
    TrialEntry entry;
    entry.stem = std::string(line.substr(0, line.size() - suffix.size()));
    entry.line = static_cast<std::uint32_t>(number);
    entries.push_back(std::move(entry));
  });
  return entries;
}

}  // namespace plifkit
