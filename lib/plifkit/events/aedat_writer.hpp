// Builds AEDAT 3.1 files in memory (the layout is described in
// aedat_reader.hpp): the header, polarity packets, and packets of other
// event types. Used by dvs-synth to write realistic recordings, including
// the awkward parts real files have.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace plifkit {

// One polarity event as stored: the 32-bit data word and the full time.
struct AedatEvent {
  std::uint64_t t = 0;     // microseconds
  std::uint32_t data = 0;  // bit 0 valid, bit 1 polarity, bits 2-16 y, bits 17-31 x
};

inline std::uint32_t aedat_data(std::uint32_t x, std::uint32_t y, std::uint32_t p, bool valid) {
  return x << 17 | y << 2 | p << 1 | (valid ? 1u : 0u);
}

class AedatWriter {
 public:
  // "#!AER-DAT3.1", then each of `lines` (each must start with '#'), then
  // "#!END-HEADER", all ending in CRLF like the real recordings.
  explicit AedatWriter(const std::vector<std::string>& lines);

  // A type-1 packet of events [first, first + n) with room for `capacity`
  // events (>= n). All events must share t >> 31, which becomes the
  // packet's eventTSOverflow. Unused slots are filled with 0xFF bytes, which
  // would be out-of-sensor events if a reader decoded past eventNumber.
  void polarity_packet(const AedatEvent* first, std::uint32_t n, std::uint32_t capacity);

  // A packet of another type whose events are `event_size` bytes of `fill`.
  void other_packet(std::uint16_t type, std::uint32_t event_size, std::uint32_t capacity,
                    std::uint32_t number, std::uint8_t fill);

  const std::vector<std::uint8_t>& bytes() const { return bytes_; }

 private:
  void packet_header(std::uint16_t type, std::uint32_t event_size, std::uint32_t ts_offset,
                     std::uint32_t ts_overflow, std::uint32_t capacity, std::uint32_t number,
                     std::uint32_t valid);
  void put32(std::uint32_t v);

  std::vector<std::uint8_t> bytes_;
};

}  // namespace plifkit
