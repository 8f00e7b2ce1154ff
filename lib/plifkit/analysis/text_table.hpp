// Plain-text tables for the terminal: columns padded to their widest cell,
// text left-aligned and numbers right-aligned, two spaces between columns.
#pragma once

#include <string>
#include <vector>

namespace plifkit::analysis {

class TextTable {
 public:
  // `left` columns (from the first) are left-aligned, the rest right-aligned.
  TextTable(std::vector<std::string> header, std::size_t left);
  // A row with fewer cells than the header is padded with empty cells.
  void add_row(std::vector<std::string> cells);
  // The header, then one line per row, each ending in '\n' (no trailing blanks).
  std::string render() const;

 private:
  std::vector<std::vector<std::string>> rows_;
  std::size_t left_;
};

// printf-style formatting of one value, for table cells and CSV fields.
std::string format(const char* spec, double value);

}  // namespace plifkit::analysis
