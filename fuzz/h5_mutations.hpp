// Structure-aware damage for the HDF5 stage files: a fuzz target builds a
// valid small file of its kind, then lets the fuzz input choose a sequence of
// mutations of that file's objects (drop, retype, reshape or re-link a
// dataset or group; drop, retype or re-value an attribute; absurd sizes,
// mismatched lengths, out-of-range elements, garbage compressed chunks), and
// finally hands the file to the reader. Byte-level fuzzing of HDF5 would
// mostly exercise libhdf5's own parser, which we cannot fix; this exercises
// what the readers check.
#pragma once

#include <fuzzer/FuzzedDataProvider.h>
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace plifkit::fuzz {

// What the mutations may touch in a file of one kind.
struct H5Shape {
  // Paths of the groups and datasets of the valid file ("/train",
  // "/train/frames"); link mutations pick from these, and a replacement
  // dataset may land on a group's path or the other way round.
  std::vector<std::string> objects;
  // (object path, attribute name) pairs the reader looks at.
  std::vector<std::pair<std::string, std::string>> attributes;
  // String values worth trying for string attributes and datasets (format
  // names, enum words, recording stems).
  std::vector<std::string> words;
  // Sizes and values of the valid file worth reusing: N, T, H, W, class
  // counts. A fixed set of boundary values (0, 1, 255, 2^31, 2^32, 2^63, ...)
  // is always added.
  std::vector<std::uint64_t> numbers;
};

// Opens the valid file at `path` read-write and applies the mutations chosen
// by `in` until the input is used up or a cap on their number is reached, then
// closes it. Mutations that HDF5 refuses are skipped: only the reader's
// behaviour is under test.
void mutate_file(const std::string& path, const H5Shape& shape, FuzzedDataProvider& in);

// Number of HDF5 objects (files, groups, datasets, attributes, types, spaces)
// still open in the process: a reader that returns or throws must leave none.
long open_h5_objects();

}  // namespace plifkit::fuzz
