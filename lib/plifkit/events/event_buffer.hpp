// The polarity events of one recording, time-sorted, as a struct of arrays:
//
//   t[i]     microseconds, non-decreasing
//   addr[i]  p * H * W + y * W + x, the element of one [2, H, W] frame the
//            event counts into (channel p = polarity, pixel [y][x])
//
// Storing the frame address instead of x, y, p makes integration a plain
// "++frame[addr[i]]". The buffer is reused from recording to recording, so
// decoding allocates once per worker, never per event.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

namespace plifkit {

struct SensorSize {
  int width = 0;
  int height = 0;
  std::uint32_t pixels() const { return static_cast<std::uint32_t>(width) * height; }
  // Frame address of an event; x < width, y < height, p in {0, 1}.
  std::uint32_t address(std::uint32_t x, std::uint32_t y, std::uint32_t p) const {
    return p * pixels() + y * static_cast<std::uint32_t>(width) + x;
  }
};

class EventBuffer {
 public:
  // Drops the content and makes room for `capacity` events. Grows only; the
  // new memory is left uninitialised (decoders write every slot they count).
  void reset(std::size_t capacity);

  std::size_t size() const { return size_; }
  std::size_t capacity() const { return capacity_; }
  const std::uint64_t* t() const { return t_.get(); }
  const std::uint32_t* addr() const { return addr_.get(); }

  // Raw access for decoders: write slots [size(), capacity()), then set_size.
  std::uint64_t* t_data() { return t_.get(); }
  std::uint32_t* addr_data() { return addr_.get(); }
  void set_size(std::size_t n) { size_ = n; }

 private:
  std::unique_ptr<std::uint64_t[]> t_;
  std::unique_ptr<std::uint32_t[]> addr_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace plifkit
