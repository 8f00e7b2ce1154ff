// Decoder for CIFAR10-DVS's .aedat files (AEDAT 2.0, jAER's DVS128 format).
//
// ASCII header lines, each starting with '#' (the first usually
// "#!AER-DAT2.0"), then big-endian uint32 pairs (address a, timestamp in
// microseconds). Coordinates as the reference decodes them:
//   x_raw = (a & 0xFE) >> 1, y_raw = (a & 0x7F00) >> 8, polarity = 1 - (a & 1)
//   reference orientation: x = 127 - x_raw, y = y_raw
//   sensor orientation:    x = 127 - y_raw, y = 127 - x_raw
// Every pair is an event, as in the reference: pairs with bit 31 set (jAER's
// special events, e.g. external triggers) are kept and counted, not dropped.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "plifkit/events/event_buffer.hpp"
#include "plifkit/events/orientation.hpp"

namespace plifkit {

struct Cifar10DvsStats {
  std::uint64_t header_bytes = 0;
  std::uint64_t special_events = 0;  // address bit 31 set; kept
};

// The size of the '#' header of [data, data + size): the offset of the first
// byte after the last line starting with '#'. Throws FormatError for a header
// line without a newline, or a version line other than "#!AER-DAT2.0".
std::size_t aedat2_header_size(const std::uint8_t* data, std::size_t size, const std::string& path);

// Decodes the file image into `out` (reset first), file order, addresses on
// the 128x128 sensor. Throws, naming `path` and the byte:
//   FormatError  bad header (above), a body that is not whole 8-byte events;
//   InputError   a time before the previous event's.
Cifar10DvsStats decode_cifar10dvs(const std::uint8_t* data, std::size_t size,
                                  const std::string& path, Orientation orientation,
                                  EventBuffer& out);

// Maps the file and decodes it as above; also throws IoError.
Cifar10DvsStats read_cifar10dvs(const std::string& path, Orientation orientation, EventBuffer& out);

}  // namespace plifkit
