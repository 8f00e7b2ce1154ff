#include "plifkit/events/aedat_reader.hpp"

#include <cstring>
#include <string_view>

#include "plifkit/core/error.hpp"
#include "plifkit/core/mapped_file.hpp"
#include "plifkit/events/time_order.hpp"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the AEDAT decoder reads little-endian fields with plain loads");

namespace plifkit {
namespace {

constexpr std::string_view kVersionPrefix = "#!AER-DAT";
constexpr std::string_view kSupportedVersion = "3.1";
constexpr std::string_view kHeaderEnd = "#!END-HEADER";
// How far ahead of the decoding the input is prefetched (a prefetch past the
// end of the mapping is harmless: it never faults). Measured best at 2-4 KiB.
constexpr std::size_t kPrefetchBytes = 2048;

// One header line starting at `pos`, without its "\n" or "\r\n"; `next` is
// set past the newline, or to npos when the data ends before one.
std::string_view header_line(const std::uint8_t* data, std::size_t size, std::size_t pos,
                             std::size_t& next) {
  const void* nl = std::memchr(data + pos, '\n', size - pos);
  const std::size_t end =
      nl != nullptr ? static_cast<std::size_t>(static_cast<const std::uint8_t*>(nl) - data) : size;
  next = nl != nullptr ? end + 1 : std::string_view::npos;
  std::string_view line(reinterpret_cast<const char*>(data + pos), end - pos);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

template <typename T>
T load(const std::uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

struct PacketHeader {
  std::uint16_t type;
  std::uint32_t event_size;
  std::uint32_t ts_overflow;
  std::uint32_t capacity;
  std::uint32_t number;
};

PacketHeader parse_packet_header(const std::uint8_t* p) {
  PacketHeader h;
  h.type = load<std::uint16_t>(p);
  h.event_size = load<std::uint32_t>(p + 4);
  h.ts_overflow = load<std::uint32_t>(p + 12);
  h.capacity = load<std::uint32_t>(p + 16);
  h.number = load<std::uint32_t>(p + 20);
  return h;
}

// Walks a polarity packet again, event by event, to name the first event the
// fast loop flagged. Only runs on the way to an error.
[[noreturn]] void report_bad_event(const std::uint8_t* events, std::uint32_t number,
                                   std::uint64_t high, std::uint64_t prev, SensorSize sensor,
                                   const std::string& path, std::size_t offset) {
  for (std::uint32_t i = 0; i < number; ++i) {
    const std::uint8_t* e = events + 8 * static_cast<std::size_t>(i);
    const auto d = load<std::uint32_t>(e);
    if ((d & 1u) == 0) continue;
    const std::uint64_t t = load<std::uint32_t>(e + 4) | high;
    const std::uint32_t x = d >> 17;
    const std::uint32_t y = (d >> 2) & 0x7FFFu;
    const std::size_t at = offset + 8 * static_cast<std::size_t>(i);
    if (x >= static_cast<std::uint32_t>(sensor.width) ||
        y >= static_cast<std::uint32_t>(sensor.height))
      throw InputError(cannot_decode(path, at) + "event at x=" + std::to_string(x) + ", y=" +
                       std::to_string(y) + " is outside the " + std::to_string(sensor.width) +
                       "x" + std::to_string(sensor.height) + " sensor");
    if (t < prev)
      throw InputError(cannot_decode(path, at) + "time goes backwards: event at " + std::to_string(t) +
                       " us after one at " + std::to_string(prev) + " us");
    prev = t;
  }
  throw InputError(cannot_decode(path, offset) + "bad polarity event");  // not reached
}

}  // namespace

std::size_t aedat_header_size(const std::uint8_t* data, std::size_t size, const std::string& path) {
  std::size_t next = 0;
  const std::string_view first = size > 0 ? header_line(data, size, 0, next) : std::string_view();
  if (first.substr(0, kVersionPrefix.size()) != kVersionPrefix)
    throw FormatError(cannot_decode(path, 0) + "not an AEDAT file (the first line is not '#!AER-DAT" +
                      std::string(kSupportedVersion) + "')");
  const std::string_view version = first.substr(kVersionPrefix.size(), 16);
  if (version != kSupportedVersion)
    throw FormatError(cannot_decode(path, 0) + "AEDAT " + std::string(version) +
                      " file, only 3.1 is supported");
  std::size_t pos = next;
  while (true) {
    if (pos == std::string_view::npos || pos >= size)
      throw FormatError(cannot_decode(path, pos == std::string_view::npos ? size : pos) +
                        "the file ends inside the header (no '#!END-HEADER' line)");
    if (data[pos] != '#')
      throw FormatError(cannot_decode(path, pos) +
                        "header line does not start with '#' (no '#!END-HEADER' line before it)");
    const std::string_view line = header_line(data, size, pos, next);
    if (line == kHeaderEnd) {
      if (next == std::string_view::npos)
        throw FormatError(cannot_decode(path, pos) + "'#!END-HEADER' line has no newline");
      return next;
    }
    pos = next;
  }
}

AedatStats decode_aedat(const std::uint8_t* data, std::size_t size, const std::string& path,
                        SensorSize sensor, EventBuffer& out) {
  AedatStats stats;
  std::size_t pos = aedat_header_size(data, size, path);
  stats.header_bytes = pos;
  // Every polarity event occupies 8 bytes of the file, so this bounds the
  // count and no packet needs the buffer to grow.
  out.reset((size - pos) / kAedatPolarityEventSize);
  std::uint64_t* t_out = out.t_data();
  std::uint32_t* addr_out = out.addr_data();
  std::size_t n = 0;
  std::uint64_t prev = 0;  // time of the last valid event
  const auto w = static_cast<std::uint32_t>(sensor.width);
  const auto h = static_cast<std::uint32_t>(sensor.height);
  const std::uint32_t plane = sensor.pixels();

  while (pos < size) {
    if (size - pos < kAedatPacketHeaderSize)
      throw FormatError(cannot_decode(path, pos) + "truncated packet header (" +
                        std::to_string(size - pos) + " of 28 bytes)");
    const PacketHeader ph = parse_packet_header(data + pos);
    const std::uint64_t body = static_cast<std::uint64_t>(ph.capacity) * ph.event_size;
    const std::size_t left = size - pos - kAedatPacketHeaderSize;
    if (body > left)
      throw FormatError(cannot_decode(path, pos) + "truncated packet: eventCapacity " +
                        std::to_string(ph.capacity) + " x eventSize " +
                        std::to_string(ph.event_size) + " = " + std::to_string(body) +
                        " bytes, only " + std::to_string(left) + " left");
    if (ph.type != kAedatPolarityType) {
      ++stats.skipped_packets;
      pos += kAedatPacketHeaderSize + body;
      continue;
    }
    if (ph.event_size != kAedatPolarityEventSize)
      throw FormatError(cannot_decode(path, pos) + "polarity packet with eventSize " +
                        std::to_string(ph.event_size) + " (expected 8)");
    if (ph.number > ph.capacity)
      throw FormatError(cannot_decode(path, pos) + "eventNumber " + std::to_string(ph.number) +
                        " exceeds eventCapacity " + std::to_string(ph.capacity));
    ++stats.polarity_packets;

    // The hot loop: no branch per event. Every event is written to the next
    // free slot and the slot is kept only when the event is valid; range
    // violations are OR-ed into one flag. The order of the kept times is
    // checked by a second tight loop over the packet's output, still in
    // cache, which keeps a loop-carried "previous time" out of the first.
    // Offenders are located after the packet. The explicit prefetch doubles
    // the speed: the hardware prefetcher stops at every 4 KiB page of the
    // mapped page cache, and the loop body is too long for out-of-order
    // execution to keep enough reads in flight by itself.
    const std::uint8_t* events = data + pos + kAedatPacketHeaderSize;
    const std::uint64_t high = static_cast<std::uint64_t>(ph.ts_overflow) << 31;
    std::uint64_t* t_dst = t_out + n;
    std::uint32_t* a_dst = addr_out + n;
    std::size_t k = 0;
    std::uint32_t bad = 0;
    for (std::uint32_t i = 0; i < ph.number; ++i) {
      __builtin_prefetch(events + 8 * static_cast<std::size_t>(i) + kPrefetchBytes);
      const auto word = load<std::uint64_t>(events + 8 * static_cast<std::size_t>(i));
      const auto d = static_cast<std::uint32_t>(word);
      const std::uint32_t valid = d & 1u;
      const std::uint32_t x = d >> 17;
      const std::uint32_t y = (d >> 2) & 0x7FFFu;
      const std::uint32_t p = (d >> 1) & 1u;
      bad |= valid & (static_cast<std::uint32_t>(x >= w) | static_cast<std::uint32_t>(y >= h));
      t_dst[k] = (word >> 32) | high;
      a_dst[k] = p * plane + y * w + x;
      k += valid;
    }
    bad |= static_cast<std::uint32_t>(!times_ordered(t_dst, k, prev));
    if (bad != 0)
      report_bad_event(events, ph.number, high, prev, sensor, path, pos + kAedatPacketHeaderSize);
    if (k > 0) prev = t_dst[k - 1];
    n += k;
    stats.invalid_events += ph.number - k;
    pos += kAedatPacketHeaderSize + body;
  }
  out.set_size(n);
  return stats;
}

AedatStats read_aedat(const std::string& path, SensorSize sensor, EventBuffer& out) {
  const MappedFile file(path);
  return decode_aedat(file.data(), file.size(), path, sensor, out);
}

}  // namespace plifkit
