#include "plifkit/events/aedat_writer.hpp"

#include "plifkit/core/error.hpp"

namespace plifkit {

AedatWriter::AedatWriter(const std::vector<std::string>& lines) {
  std::string header = "#!AER-DAT3.1\r\n";
  for (const auto& line : lines) {
    if (line.empty() || line[0] != '#') throw UsageError("AEDAT header line must start with '#'");
    header += line + "\r\n";
  }
  header += "#!END-HEADER\r\n";
  bytes_.assign(header.begin(), header.end());
}

void AedatWriter::put32(std::uint32_t v) {
  for (int i = 0; i < 4; ++i) bytes_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

void AedatWriter::packet_header(std::uint16_t type, std::uint32_t event_size,
                                std::uint32_t ts_offset, std::uint32_t ts_overflow,
                                std::uint32_t capacity, std::uint32_t number,
                                std::uint32_t valid) {
  bytes_.push_back(static_cast<std::uint8_t>(type));
  bytes_.push_back(static_cast<std::uint8_t>(type >> 8));
  bytes_.push_back(1);  // eventSource: the camera
  bytes_.push_back(0);
  put32(event_size);
  put32(ts_offset);
  put32(ts_overflow);
  put32(capacity);
  put32(number);
  put32(valid);
}

void AedatWriter::polarity_packet(const AedatEvent* first, std::uint32_t n,
                                  std::uint32_t capacity) {
  if (n > capacity) throw UsageError("AEDAT packet with more events than capacity");
  const std::uint32_t overflow = n > 0 ? static_cast<std::uint32_t>(first[0].t >> 31) : 0;
  std::uint32_t valid = 0;
  for (std::uint32_t i = 0; i < n; ++i) {
    if ((first[i].t >> 31) != overflow)
      throw UsageError("AEDAT packet events must share the timestamp overflow");
    valid += first[i].data & 1u;
  }
  packet_header(1, 8, 4, overflow, capacity, n, valid);
  for (std::uint32_t i = 0; i < n; ++i) {
    put32(first[i].data);
    put32(static_cast<std::uint32_t>(first[i].t & 0x7FFFFFFFu));
  }
  bytes_.insert(bytes_.end(), static_cast<std::size_t>(capacity - n) * 8, 0xFF);
}

void AedatWriter::other_packet(std::uint16_t type, std::uint32_t event_size,
                               std::uint32_t capacity, std::uint32_t number, std::uint8_t fill) {
  packet_header(type, event_size, 4, 0, capacity, number, number);
  bytes_.insert(bytes_.end(), static_cast<std::size_t>(capacity) * event_size, fill);
}

}  // namespace plifkit
