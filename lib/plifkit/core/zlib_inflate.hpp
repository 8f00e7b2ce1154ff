// Inflating a zlib stream (RFC 1950) into a buffer of known size, for the
// readers that must check what a compressed chunk decodes to before trusting
// it (HDF5 1.10 itself does not: see h5::check_stored_chunks).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace plifkit {

// Inflates [data, data + size) into exactly `expected` bytes at `out`.
// Returns "" on success, else why not, to follow a subject in a message:
// "decodes to 20 bytes, expected 96", "does not end after the expected 96
// bytes", "is damaged (zlib: invalid stored block lengths)".
std::string inflate_exact(const std::uint8_t* data, std::size_t size, std::uint8_t* out,
                          std::size_t expected);

}  // namespace plifkit
