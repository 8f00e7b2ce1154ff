// Decoder for AEDAT 3.1 recordings (the DVS128 Gesture files).
//
// Layout: ASCII header lines starting with '#', the first "#!AER-DAT3.1", the
// last "#!END-HEADER" (CRLF or LF). Then packets, each a 28-byte little-endian
// header
//
//   u16 eventType  u16 eventSource  u32 eventSize  u32 eventTSOffset
//   u32 eventTSOverflow  u32 eventCapacity  u32 eventNumber  u32 eventValid
//
// followed by eventCapacity * eventSize bytes. Polarity packets (type 1) hold
// 8-byte events: u32 data (bit 0 valid mark, bit 1 polarity, bits 2-16 y,
// bits 17-31 x) and u32 timestamp; the event time in microseconds is
// timestamp | eventTSOverflow << 31. The first eventNumber events of a packet
// are decoded; those whose valid mark is 0 are skipped and counted. Packets of
// other types are skipped whole.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "plifkit/events/event_buffer.hpp"

namespace plifkit {

inline constexpr std::size_t kAedatPacketHeaderSize = 28;
inline constexpr std::uint16_t kAedatPolarityType = 1;
inline constexpr std::uint32_t kAedatPolarityEventSize = 8;

struct AedatStats {
  std::uint64_t header_bytes = 0;      // where the first packet starts
  std::uint64_t polarity_packets = 0;
  std::uint64_t skipped_packets = 0;   // packets of other event types
  std::uint64_t invalid_events = 0;    // polarity events with valid mark 0
};

// Returns the size of the header (the offset of the first packet) of the file
// image [data, data + size). Throws FormatError "cannot decode 'path' at byte
// N: ..." for a missing or other version line (AEDAT 2.0 and 4.0 are named as
// such) or a header without "#!END-HEADER".
std::size_t aedat_header_size(const std::uint8_t* data, std::size_t size, const std::string& path);

// Decodes the valid polarity events of a whole file image into `out` (reset
// first), in file order. Throws, naming `path` and the byte offset:
//   FormatError  bad header (see above), truncated packet, a polarity packet
//                whose eventSize is not 8 or whose eventNumber exceeds its
//                eventCapacity;
//   InputError   an event outside the sensor, an event time before the
//                previous valid event's time.
AedatStats decode_aedat(const std::uint8_t* data, std::size_t size, const std::string& path,
                        SensorSize sensor, EventBuffer& out);

// Maps the file and decodes it as above; also throws IoError.
AedatStats read_aedat(const std::string& path, SensorSize sensor, EventBuffer& out);

}  // namespace plifkit
