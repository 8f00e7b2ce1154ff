// Line handling shared by the small text inputs (labels CSVs, trials lists).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace plifkit {

// Calls fn(line, number) for each line of text, number 1-based, without the
// "\n" or "\r\n". A final line without newline counts; the empty string after
// a final newline does not.
template <typename Fn>
void for_each_line(std::string_view text, Fn&& fn) {
  std::size_t pos = 0;
  std::size_t number = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    fn(line, ++number);
    pos = nl + 1;
  }
}

// At most `max` bytes of text for an error message, with control bytes
// (< 0x20, 0x7F) written as \xNN so the message stays one line.
std::string printable(std::string_view text, std::size_t max = 80);

// The whole file as a string. Throws IoError naming the file.
std::string read_text_file(const std::string& path);

}  // namespace plifkit
