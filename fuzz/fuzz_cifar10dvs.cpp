// CIFAR10-DVS (AEDAT 2.0) decoder: the input is a whole .aedat file, decoded
// in both orientations. Besides "only plifkit::Error", each result is
// compared with a plain decoder written from cifar10dvs_reader.hpp's
// description: '#' lines, then big-endian (address, time) pairs.
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "plifkit/events/cifar10dvs_reader.hpp"

using namespace plifkit;

namespace {

std::uint32_t be32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

void check(const std::uint8_t* data, std::size_t size, Orientation o) {
  static EventBuffer events;
  Cifar10DvsStats stats;
  const bool ok = fuzz::only_plifkit_errors(
      [&] { stats = decode_cifar10dvs(data, size, "fuzz.aedat", o, events); });

  // The header: whole lines starting with '#'; a version line must say 2.0.
  bool ref_ok = true;
  std::size_t pos = 0;
  while (ref_ok && pos < size && data[pos] == '#') {
    const void* nl = std::memchr(data + pos, '\n', size - pos);
    if (nl == nullptr) {
      ref_ok = false;
      break;
    }
    const std::size_t end = static_cast<std::size_t>(static_cast<const std::uint8_t*>(nl) - data);
    std::string line(reinterpret_cast<const char*>(data + pos), end - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("#!AER-DAT", 0) == 0 && line != "#!AER-DAT2.0") ref_ok = false;
    pos = end + 1;
  }
  ref_ok = ref_ok && (size - pos) % 8 == 0;
  std::vector<std::uint64_t> t;
  std::vector<std::uint32_t> addr;
  std::uint64_t special = 0;
  for (std::size_t i = pos; ref_ok && i + 8 <= size; i += 8) {
    const std::uint32_t a = be32(data + i);
    const std::uint32_t x_raw = (a & 0xFE) >> 1, y_raw = (a & 0x7F00) >> 8, p = 1 - (a & 1);
    const std::uint32_t x = o == Orientation::reference ? 127 - x_raw : 127 - y_raw;
    const std::uint32_t y = o == Orientation::reference ? y_raw : 127 - x_raw;
    const std::uint64_t time = be32(data + i + 4);
    if (!t.empty() && time < t.back()) ref_ok = false;
    special += a >> 31;
    t.push_back(time);
    addr.push_back(p * 128 * 128 + y * 128 + x);
  }
  fuzz::require(ok == ref_ok, "decode_cifar10dvs and the plain decoder disagree on acceptance");
  if (!ok) return;
  fuzz::require(stats.header_bytes == pos, "header bytes");
  fuzz::require(stats.special_events == special, "special events");
  fuzz::require(events.size() == t.size(), "event count");
  for (std::size_t i = 0; i < events.size(); ++i) {
    fuzz::require(events.t()[i] == t[i], "event time");
    fuzz::require(events.addr()[i] == addr[i], "event address");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  check(data, size, Orientation::reference);
  check(data, size, Orientation::sensor);
  return 0;
}
