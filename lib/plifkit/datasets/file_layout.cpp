#include "plifkit/datasets/file_layout.hpp"

#include <cstdio>

namespace plifkit {

std::string sample_name_prefix(const FileLayout& files, const std::string& class_name) {
  return files.file_prefix + (files.class_in_name ? class_name + "_" : "");
}

std::string sample_file_name(const FileLayout& files, const std::string& class_name, long index) {
  char digits[32];
  std::snprintf(digits, sizeof digits, "%0*ld", files.index_digits, index);
  return sample_name_prefix(files, class_name) + digits + files.suffix;
}

int split_of_index(const FileLayout& files, long index) { return index < files.train_below ? 0 : 1; }

}  // namespace plifkit
