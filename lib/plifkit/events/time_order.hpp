// The check every event decoder makes on what it wrote: times never go
// backwards. A tight loop that ORs comparisons (no branch per event), run on
// a block of output still in cache; the offender is located only on the way
// to an error.
#pragma once

#include <cstddef>
#include <cstdint>

namespace plifkit {

// True when prev <= t[0] <= t[1] <= ... <= t[n-1].
inline bool times_ordered(const std::uint64_t* t, std::size_t n, std::uint64_t prev) {
  if (n == 0) return true;
  std::uint32_t bad = static_cast<std::uint32_t>(t[0] < prev);
  for (std::size_t i = 1; i < n; ++i) bad |= static_cast<std::uint32_t>(t[i] < t[i - 1]);
  return bad == 0;
}

}  // namespace plifkit
