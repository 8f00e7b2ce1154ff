// Decoder for N-MNIST's .bin files (event_datasets.hpp for the layout).
//
// 5 bytes per event: byte 0 x, byte 1 y, bit 7 of byte 2 the polarity, the
// low 7 bits of byte 2 and bytes 3, 4 a 23-bit microsecond timestamp, most
// significant first. An "event" with y = 240 is a timestamp-overflow marker:
// it is dropped and every later event is 2^13 us later (the dataset
// authors' Read_Ndataset.m and Tonic do the same; the reference's
// SpikingJelly reader does not know the marker and would index row 240).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "plifkit/events/event_buffer.hpp"

namespace plifkit {

struct NmnistStats {
  std::uint64_t overflow_markers = 0;  // y = 240 records, not events
};

// Decodes the file image [data, data + size) into `out` (reset first), file
// order, addresses on the 34x34 sensor. Throws, naming `path` and the byte:
//   FormatError  a size that is not a whole number of 5-byte events;
//   InputError   an event outside the sensor, a time before the previous one.
NmnistStats decode_nmnist(const std::uint8_t* data, std::size_t size, const std::string& path,
                          EventBuffer& out);

// Reads the file and decodes it as above; also throws IoError.
NmnistStats read_nmnist(const std::string& path, EventBuffer& out);

}  // namespace plifkit
