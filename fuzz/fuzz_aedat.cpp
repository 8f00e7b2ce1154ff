// AEDAT 3.1 decoder: the input is a whole recording file. decode_aedat is the
// in-memory entry point read_aedat uses after mapping the file. Besides "only
// plifkit::Error", the result is compared with a plain event-by-event decoder
// written from the format description in aedat_reader.hpp: both must accept
// the same inputs and produce the same events and counts.
#include <cstdint>
#include <vector>

#include "fuzz_support.hpp"
#include "plifkit/events/aedat_reader.hpp"

using namespace plifkit;

namespace {

constexpr SensorSize kSensor{128, 128};

template <typename T>
T load(const std::uint8_t* p) {
  T v = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) v |= static_cast<T>(static_cast<T>(p[i]) << (8 * i));
  return v;
}

struct Reference {
  bool ok = true;
  std::vector<std::uint64_t> t;
  std::vector<std::uint32_t> addr;
  AedatStats stats;
};

// The decoder as the header comment describes it, one event at a time.
Reference reference_decode(const std::uint8_t* data, std::size_t size, std::size_t pos) {
  Reference r;
  r.stats.header_bytes = pos;
  std::uint64_t prev = 0;
  while (pos < size) {
    if (size - pos < 28) return r.ok = false, r;
    const auto type = load<std::uint16_t>(data + pos);
    const auto event_size = load<std::uint32_t>(data + pos + 4);
    const auto overflow = load<std::uint32_t>(data + pos + 12);
    const auto capacity = load<std::uint32_t>(data + pos + 16);
    const auto number = load<std::uint32_t>(data + pos + 20);
    const std::uint64_t body = std::uint64_t{capacity} * event_size;
    if (body > size - pos - 28) return r.ok = false, r;
    if (type == 1) {
      if (event_size != 8 || number > capacity) return r.ok = false, r;
      ++r.stats.polarity_packets;
      for (std::uint32_t i = 0; i < number; ++i) {
        const std::uint8_t* e = data + pos + 28 + 8 * std::size_t{i};
        const auto d = load<std::uint32_t>(e);
        if ((d & 1u) == 0) {
          ++r.stats.invalid_events;
          continue;
        }
        const std::uint32_t x = d >> 17, y = (d >> 2) & 0x7FFFu, p = (d >> 1) & 1u;
        const std::uint64_t t = load<std::uint32_t>(e + 4) | std::uint64_t{overflow} << 31;
        if (x >= 128 || y >= 128 || t < prev) return r.ok = false, r;
        prev = t;
        r.t.push_back(t);
        r.addr.push_back(kSensor.address(x, y, p));
      }
    } else {
      ++r.stats.skipped_packets;
    }
    pos += 28 + body;
  }
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static EventBuffer events;  // reused, as aedat2frames' workers do
  AedatStats stats;
  const bool ok = fuzz::only_plifkit_errors(
      [&] { stats = decode_aedat(data, size, "fuzz.aedat", kSensor, events); });

  std::size_t header = 0;
  if (!fuzz::only_plifkit_errors([&] { header = aedat_header_size(data, size, "fuzz.aedat"); })) {
    fuzz::require(!ok, "decode_aedat accepted a file whose header aedat_header_size refuses");
    return 0;
  }
  fuzz::require(header <= size, "header size beyond the data");
  const Reference ref = reference_decode(data, size, header);
  fuzz::require(ok == ref.ok, "decode_aedat and the plain decoder disagree on acceptance");
  if (!ok) return 0;
  fuzz::require(stats.header_bytes == header, "header_bytes");
  fuzz::require(stats.polarity_packets == ref.stats.polarity_packets, "polarity_packets");
  fuzz::require(stats.skipped_packets == ref.stats.skipped_packets, "skipped_packets");
  fuzz::require(stats.invalid_events == ref.stats.invalid_events, "invalid_events");
  fuzz::require(events.size() == ref.t.size(), "event count");
  for (std::size_t i = 0; i < events.size(); ++i) {
    fuzz::require(events.t()[i] == ref.t[i], "event time");
    fuzz::require(events.addr()[i] == ref.addr[i], "event address");
  }
  return 0;
}
