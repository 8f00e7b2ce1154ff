// N-MNIST decoder: the input is a whole .bin file. Besides "only
// plifkit::Error", the result is compared with a plain record-by-record
// decoder written from the format description in nmnist_reader.hpp (markers
// with y = 240 dropped, later times + 2^13): both must accept the same inputs
// and produce the same events.
#include <cstdint>
#include <vector>

#include "fuzz_support.hpp"
#include "plifkit/events/nmnist_reader.hpp"

using namespace plifkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static EventBuffer events;
  NmnistStats stats;
  const bool ok =
      fuzz::only_plifkit_errors([&] { stats = decode_nmnist(data, size, "fuzz.bin", events); });

  bool ref_ok = size % 5 == 0;
  std::vector<std::uint64_t> t;
  std::vector<std::uint32_t> addr;
  std::uint64_t high = 0, markers = 0;
  for (std::size_t i = 0; ref_ok && i + 5 <= size; i += 5) {
    const std::uint8_t* e = data + i;
    if (e[1] == 240) {
      high += 8192;
      ++markers;
      continue;
    }
    const std::uint64_t time = ((std::uint64_t{e[2]} & 0x7F) << 16 | std::uint64_t{e[3]} << 8 | e[4]) + high;
    if (e[0] >= 34 || e[1] >= 34 || (!t.empty() && time < t.back())) ref_ok = false;
    t.push_back(time);
    addr.push_back(static_cast<std::uint32_t>((e[2] >> 7) * 34 * 34 + e[1] * 34 + e[0]));
  }
  fuzz::require(ok == ref_ok, "decode_nmnist and the plain decoder disagree on acceptance");
  if (!ok) return 0;
  fuzz::require(stats.overflow_markers == markers, "overflow markers");
  fuzz::require(events.size() == t.size(), "event count");
  for (std::size_t i = 0; i < events.size(); ++i) {
    fuzz::require(events.t()[i] == t[i], "event time");
    fuzz::require(events.addr()[i] == addr[i], "event address");
  }
  return 0;
}
