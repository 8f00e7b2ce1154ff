#include "plifkit/events/event_buffer.hpp"

#include <algorithm>

namespace plifkit {

void EventBuffer::reset(std::size_t capacity) {
  size_ = 0;
  if (capacity <= capacity_) return;
  // Grow by at least half: recordings of similar size then reuse the same
  // memory instead of paying fresh page faults for each slightly larger one.
  capacity = std::max(capacity, capacity_ + capacity_ / 2);
  // new T[n] without "()" leaves the arrays uninitialised: zeroing hundreds of
  // megabytes that the decoder overwrites anyway would cost a full extra pass.
  t_.reset(new std::uint64_t[capacity]);
  addr_.reset(new std::uint32_t[capacity]);
  capacity_ = capacity;
}

}  // namespace plifkit
