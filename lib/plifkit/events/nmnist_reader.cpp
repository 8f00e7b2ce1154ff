#include "plifkit/events/nmnist_reader.hpp"

#include <vector>

#include "plifkit/core/error.hpp"
#include "plifkit/core/whole_file.hpp"
#include "plifkit/events/event_datasets.hpp"
#include "plifkit/events/time_order.hpp"

namespace plifkit {
namespace {

namespace layout = event_datasets::nmnist;
constexpr std::size_t kEventBytes = layout::kBytesPerEvent;

std::uint64_t raw_time(const std::uint8_t* e) {
  return (static_cast<std::uint64_t>(e[2] & 0x7Fu) << 16) | (static_cast<std::uint64_t>(e[3]) << 8) |
         e[4];
}

// Walks the file again, event by event, to name the first offender the fast
// loop flagged. Only runs on the way to an error.
[[noreturn]] void report_bad_event(const std::uint8_t* data, std::size_t count,
                                   const std::string& path) {
  std::uint64_t high = 0, prev = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint8_t* e = data + kEventBytes * i;
    if (e[1] == layout::kOverflowY) {
      high += layout::kOverflowIncrement;
      continue;
    }
    const std::uint64_t t = raw_time(e) + high;
    if (e[0] >= layout::kWidth || e[1] >= layout::kHeight)
      throw InputError(cannot_decode(path, kEventBytes * i) + "event at x=" +
                       std::to_string(e[0]) + ", y=" + std::to_string(e[1]) +
                       " is outside the 34x34 sensor");
    if (t < prev)
      throw InputError(cannot_decode(path, kEventBytes * i) + "time goes backwards: event at " +
                       std::to_string(t) + " us after one at " + std::to_string(prev) + " us");
    prev = t;
  }
  throw InputError(cannot_decode(path, 0) + "bad event");  // not reached
}

}  // namespace

NmnistStats decode_nmnist(const std::uint8_t* data, std::size_t size, const std::string& path,
                          EventBuffer& out) {
  if (size % kEventBytes != 0)
    throw FormatError(cannot_decode(path, size - size % kEventBytes) + "truncated event (" +
                      std::to_string(size) + " bytes is not a whole number of 5-byte events)");
  const std::size_t count = size / kEventBytes;
  out.reset(count);
  std::uint64_t* t = out.t_data();
  std::uint32_t* addr = out.addr_data();
  const SensorSize sensor{layout::kWidth, layout::kHeight};
  const std::uint32_t plane = sensor.pixels();
  // No branch per event. Real files hold no overflow marker (a recording
  // is ~0.3 s, the 23-bit clock wraps after 8.4 s), so the first pass
  // assumes none: a marker's y = 240 is outside the sensor like any damage,
  // and only then does the second pass, which drops markers and shifts
  // later times, run (and locate real damage).
  std::uint32_t bad = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint8_t* e = data + kEventBytes * i;
    const std::uint32_t x = e[0], y = e[1], p = e[2] >> 7;
    bad |= static_cast<std::uint32_t>(x >= layout::kWidth) |
           static_cast<std::uint32_t>(y >= layout::kHeight);
    t[i] = raw_time(e);
    addr[i] = p * plane + y * static_cast<std::uint32_t>(layout::kWidth) + x;
  }
  std::size_t k = count;
  if (bad != 0) {
    // Every record goes to the next free slot, kept unless it is a marker.
    std::uint64_t high = 0;
    k = 0;
    bad = 0;
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint8_t* e = data + kEventBytes * i;
      const std::uint32_t x = e[0], y = e[1], p = e[2] >> 7;
      const std::uint32_t marker = static_cast<std::uint32_t>(y == layout::kOverflowY);
      high += marker * layout::kOverflowIncrement;
      const std::uint32_t outside = static_cast<std::uint32_t>(x >= layout::kWidth) |
                                    static_cast<std::uint32_t>(y >= layout::kHeight);
      bad |= (marker ^ 1u) & outside;
      t[k] = raw_time(e) + high;
      addr[k] = p * plane + y * static_cast<std::uint32_t>(layout::kWidth) + x;
      k += marker ^ 1u;
    }
  }
  if (bad != 0 || !times_ordered(t, k, 0)) report_bad_event(data, count, path);
  out.set_size(k);
  NmnistStats stats;
  stats.overflow_markers = count - k;
  return stats;
}

NmnistStats read_nmnist(const std::string& path, EventBuffer& out) {
  thread_local std::vector<std::uint8_t> bytes;  // files are ~20 KB: read, not mapped
  read_whole_file(path, bytes);
  return decode_nmnist(bytes.data(), bytes.size(), path, out);
}

}  // namespace plifkit
