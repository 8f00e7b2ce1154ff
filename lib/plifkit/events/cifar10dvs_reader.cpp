#include "plifkit/events/cifar10dvs_reader.hpp"

#include <cstring>
#include <string_view>

#include "plifkit/core/error.hpp"
#include "plifkit/core/mapped_file.hpp"
#include "plifkit/events/event_datasets.hpp"
#include "plifkit/events/time_order.hpp"

namespace plifkit {
namespace {

namespace layout = event_datasets::cifar10dvs;
constexpr std::size_t kEventBytes = 8;
constexpr std::string_view kVersionPrefix = "#!AER-DAT";
constexpr std::string_view kSupportedVersion = "2.0";
constexpr std::uint32_t kMax = layout::kWidth - 1;  // 127; the sensor is square

std::uint32_t load_be32(const std::uint8_t* p) {
  std::uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return __builtin_bswap32(v);
}

// Frame address of one raw address word: both orientations are a few shifts
// and one subtraction, with the choice hoisted out of the loop by the template.
template <Orientation O>
std::uint32_t address_of(std::uint32_t a) {
  const std::uint32_t x_raw = (a & 0xFEu) >> 1;
  const std::uint32_t y_raw = (a & 0x7F00u) >> 8;
  const std::uint32_t p = 1u - (a & 1u);
  const std::uint32_t x = O == Orientation::reference ? kMax - x_raw : kMax - y_raw;
  const std::uint32_t y = O == Orientation::reference ? y_raw : kMax - x_raw;
  return p * (layout::kWidth * layout::kHeight) + y * layout::kWidth + x;
}

template <Orientation O>
std::uint64_t decode_body(const std::uint8_t* body, std::size_t count, std::uint64_t* t,
                          std::uint32_t* addr) {
  std::uint64_t special = 0;
  for (std::size_t i = 0; i < count; ++i) {
    const std::uint32_t a = load_be32(body + kEventBytes * i);
    special += a >> 31;
    addr[i] = address_of<O>(a);
    t[i] = load_be32(body + kEventBytes * i + 4);
  }
  return special;
}

[[noreturn]] void report_time_order(const std::uint64_t* t, std::size_t count,
                                    std::size_t body_offset, const std::string& path) {
  for (std::size_t i = 1; i < count; ++i)
    if (t[i] < t[i - 1])
      throw InputError(cannot_decode(path, body_offset + kEventBytes * i) +
                       "time goes backwards: event at " + std::to_string(t[i]) +
                       " us after one at " + std::to_string(t[i - 1]) + " us");
  throw InputError(cannot_decode(path, body_offset) + "bad event");  // not reached
}

}  // namespace

std::size_t aedat2_header_size(const std::uint8_t* data, std::size_t size, const std::string& path) {
  std::size_t pos = 0;
  while (pos < size && data[pos] == '#') {
    const void* nl = std::memchr(data + pos, '\n', size - pos);
    if (nl == nullptr)
      throw FormatError(cannot_decode(path, pos) + "header line without a newline");
    const std::size_t end = static_cast<std::size_t>(static_cast<const std::uint8_t*>(nl) - data);
    std::string_view line(reinterpret_cast<const char*>(data + pos), end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.substr(0, kVersionPrefix.size()) == kVersionPrefix &&
        line.substr(kVersionPrefix.size()) != kSupportedVersion)
      throw FormatError(cannot_decode(path, pos) + "AEDAT " +
                        std::string(line.substr(kVersionPrefix.size(), 16)) +
                        " file, CIFAR10-DVS files are AEDAT 2.0");
    pos = end + 1;
  }
  return pos;
}

Cifar10DvsStats decode_cifar10dvs(const std::uint8_t* data, std::size_t size,
                                  const std::string& path, Orientation orientation,
                                  EventBuffer& out) {
  Cifar10DvsStats stats;
  const std::size_t header = aedat2_header_size(data, size, path);
  stats.header_bytes = header;
  const std::size_t body = size - header;
  if (body % kEventBytes != 0)
    throw FormatError(cannot_decode(path, size - body % kEventBytes) + "truncated event (" +
                      std::to_string(body) +
                      " bytes after the header are not whole 8-byte address/timestamp pairs)");
  const std::size_t count = body / kEventBytes;
  out.reset(count);
  stats.special_events =
      orientation == Orientation::reference
          ? decode_body<Orientation::reference>(data + header, count, out.t_data(), out.addr_data())
          : decode_body<Orientation::sensor>(data + header, count, out.t_data(), out.addr_data());
  if (!times_ordered(out.t_data(), count, 0)) report_time_order(out.t_data(), count, header, path);
  out.set_size(count);
  return stats;
}

Cifar10DvsStats read_cifar10dvs(const std::string& path, Orientation orientation, EventBuffer& out) {
  const MappedFile file(path);
  return decode_cifar10dvs(file.data(), file.size(), path, orientation, out);
}

}  // namespace plifkit
