// A run-length zlib encoder for the mostly-constant byte planes of shuffled
// frames. It writes a standard zlib stream (RFC 1950) holding one deflate
// block with the fixed Huffman codes (RFC 1951, 3.2.6): each run of a repeated
// byte becomes the byte as a literal followed by matches at distance 1, every
// other byte a literal. Any inflater, such as HDF5's deflate filter, reads it.
//
// The input is read as HDF5's shuffle filter lays it out, byte 0 of every
// element, then byte 1, and so on, straight from the elements: the shuffled
// copy is never made, and runs are skipped 32 bytes of elements at a time.
//
// Why not zlib or libdeflate: they examine every input byte, 0.3-0.5 GB/s
// at level 1 on shuffled frames, and a frames file is mostly zeros; this
// encoder runs at several GB/s for output about 1.5 times the size of
// theirs. Its bytes depend on nothing but the input (not on a library's
// version), which keeps outputs identical across machines.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace plifkit::frames {

// Writes the zlib stream of the shuffled bytes of `count` elements of
// `elem_size` bytes (1, 2 or 4, else UsageError) at `data` to the front of
// `buffer` and returns its length. `buffer` grows to a bound of about
// 9/8 of the input when smaller and never shrinks, so a caller that keeps it
// allocates once. With elem_size 1 the stream is that of the bytes as they
// are.
std::size_t rle_deflate(const void* data, std::size_t count, std::size_t elem_size,
                        std::vector<std::uint8_t>& buffer);

}  // namespace plifkit::frames
