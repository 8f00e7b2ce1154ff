// A structural check of a MATLAB 5 file before libmatio reads it. libmatio
// allocates what a file's size fields claim before it finds the file too
// short (a damaged 1 KB file can make it ask for tens of GB); this walk makes
// every claim fit the bytes that hold it first. It reads the tags only: the
// values are left to libmatio.
//
// Checked: the 128-byte header (version 0x0100, endian "IM" or "MI"); every
// top-level element's size within the file; every matrix dense (numeric,
// char, cell or struct: no sparse array or object); in every matrix (inside a
// compressed element, inflated as far as its tags reach) the array flags,
// dims and name sub-elements within the matrix, and for numeric classes a
// real part of at least one byte per element the dims claim, whose size fits
// in the matrix. A compressed element cannot inflate to more than 1032 times
// its size (deflate's limit), which bounds what it may claim.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace plifkit {

// Throws FormatError "'path': not a MATLAB 5 file ..." or "'path' at byte N:
// ...", naming the first claim that does not fit.
void check_mat5_structure(const std::uint8_t* data, std::size_t size, const std::string& path);

}  // namespace plifkit
