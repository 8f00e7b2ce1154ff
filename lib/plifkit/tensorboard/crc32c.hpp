// CRC-32C (Castagnoli) and the masked form TFRecord framing stores.
#pragma once

#include <cstddef>
#include <cstdint>

namespace plifkit::tensorboard {

// CRC-32C of `size` bytes: reflected polynomial 0x1EDC6F41, initial value and
// final xor 0xFFFFFFFF (crc32c("123456789") = 0xE3069283).
std::uint32_t crc32c(const void* data, std::size_t size);

// TFRecord's masking of a CRC, which keeps the CRC of data that itself holds
// CRCs from being trivially related to it: rotate right by 15 bits, then add
// 0xA282EAD8 (mod 2^32).
std::uint32_t mask_crc(std::uint32_t crc);

// masked_crc32c = mask_crc(crc32c(...)).
std::uint32_t masked_crc32c(const void* data, std::size_t size);

}  // namespace plifkit::tensorboard
