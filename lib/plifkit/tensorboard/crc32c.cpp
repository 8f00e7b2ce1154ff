#include "plifkit/tensorboard/crc32c.hpp"

#include <boost/crc.hpp>

namespace plifkit::tensorboard {

namespace {

// Boost.CRC's table-driven CRC with the Castagnoli parameters.
using Crc32cEngine = boost::crc_optimal<32, 0x1EDC6F41, 0xFFFFFFFF, 0xFFFFFFFF, true, true>;

}  // namespace

std::uint32_t crc32c(const void* data, std::size_t size) {
  Crc32cEngine engine;
  engine.process_bytes(data, size);
  return engine.checksum();
}

std::uint32_t mask_crc(std::uint32_t crc) {
  return ((crc >> 15) | (crc << 17)) + 0xA282EAD8u;
}

std::uint32_t masked_crc32c(const void* data, std::size_t size) {
  return mask_crc(crc32c(data, size));
}

}  // namespace plifkit::tensorboard
