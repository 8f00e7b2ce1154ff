// The file names of a one-file-per-sample dataset (FileLayout of its row):
// what the lister parses and the synthesizers write.
#pragma once

#include <string>

#include "plifkit/datasets/dataset_row.hpp"

namespace plifkit {

// "<file_prefix>[<class>_]": what precedes the index in a file of the class.
std::string sample_name_prefix(const FileLayout& files, const std::string& class_name);

// The name of file `index` of the class, its index zero-padded as distributed
// (cifar10_airplane_17.aedat, 00012.bin, a_0042.mat).
std::string sample_file_name(const FileLayout& files, const std::string& class_name, long index);

// 0 (train) or 1 (test) for a file of a layout without split folders.
int split_of_index(const FileLayout& files, long index);

}  // namespace plifkit
