#include "plifkit/frames/rle_deflate.hpp"

#include <array>
#include <cstring>

namespace plifkit::frames {
namespace {

// A Huffman code or a whole match, bits in the order they are written.
struct Code {
  std::uint32_t bits = 0;
  int length = 0;
};

std::uint32_t reversed(std::uint32_t code, int length) {
  std::uint32_t r = 0;
  for (int i = 0; i < length; ++i, code >>= 1) r = (r << 1) | (code & 1u);
  return r;
}

// The fixed literal/length code of RFC 1951 3.2.6. Huffman codes are packed
// starting with their most significant bit, hence the reversal.
Code fixed_code(int symbol) {
  if (symbol < 144) return {reversed(0x30 + symbol, 8), 8};
  if (symbol < 256) return {reversed(0x190 + symbol - 144, 9), 9};
  if (symbol < 280) return {reversed(symbol - 256, 7), 7};
  return {reversed(0xC0 + symbol - 280, 8), 8};
}

struct Tables {
  std::array<Code, 256> literal;
  std::array<Code, 259> match;  // [length]: length code, extra bits, distance 1
  Code end_of_block;

  Tables() {
    for (int s = 0; s < 256; ++s) literal[static_cast<std::size_t>(s)] = fixed_code(s);
    end_of_block = fixed_code(256);
    // Length codes 257..285 (RFC 1951 3.2.5): base length and extra bits.
    static constexpr int kBase[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                      31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
    static constexpr int kExtra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                       2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
    for (int len = 3; len <= 258; ++len) {
      int c = 28;
      while (kBase[c] > len) --c;
      const Code code = fixed_code(257 + c);
      // Distance 1 is distance code 0: five zero bits, no extra bits.
      match[static_cast<std::size_t>(len)] = {
          code.bits | static_cast<std::uint32_t>(len - kBase[c]) << code.length,
          code.length + kExtra[c] + 5};
    }
  }
};

const Tables& tables() {
  static const Tables t;
  return t;
}

class BitWriter {
 public:
  explicit BitWriter(std::vector<std::uint8_t>& out) : out_(out) {}
  void put(Code c) {
    acc_ |= static_cast<std::uint64_t>(c.bits) << count_;
    count_ += c.length;
    while (count_ >= 8) {
      out_.push_back(static_cast<std::uint8_t>(acc_));
      acc_ >>= 8;
      count_ -= 8;
    }
  }
  void flush() {
    if (count_ > 0) out_.push_back(static_cast<std::uint8_t>(acc_));
    acc_ = 0;
    count_ = 0;
  }

 private:
  std::vector<std::uint8_t>& out_;
  std::uint64_t acc_ = 0;
  int count_ = 0;
};

constexpr std::uint64_t kAdlerMod = 65521;

}  // namespace

void rle_deflate(const std::uint8_t* data, std::size_t size, std::vector<std::uint8_t>& out) {
  const Tables& t = tables();
  out.clear();
  out.push_back(0x78);  // deflate, 32 KiB window
  out.push_back(0x01);  // no dictionary, check bits: 0x7801 % 31 == 0
  BitWriter bits(out);
  bits.put({0b011, 3});  // BFINAL = 1, BTYPE = 01 (fixed codes)
  // Adler-32 of the input; a < 2^32 and b < 2^48 between runs, so the
  // updates of a run shorter than 2^16 cannot overflow.
  std::uint64_t a = 1, b = 0;
  std::size_t i = 0;
  while (i < size) {
    const std::uint8_t v = data[i];
    const std::uint64_t pattern = 0x0101010101010101ull * v;
    // End of the run: 8 bytes at a time, then the first differing byte of
    // the word from its lowest set bit (bytes load little-endian).
    std::size_t j = i + 1;
    while (true) {
      if (j + 8 > size) {
        while (j < size && data[j] == v) ++j;
        break;
      }
      std::uint64_t word;
      std::memcpy(&word, data + j, 8);
      if (word != pattern) {
        j += static_cast<std::size_t>(__builtin_ctzll(word ^ pattern)) / 8;
        break;
      }
      j += 8;
    }
    const std::uint64_t run = j - i;
    // Adler-32 over `run` copies of v, in closed form: a grows by v per byte,
    // b by the running a. The sums are reduced only when they could
    // overflow, not per run: divisions would cost more than the rest.
    if (run < (1u << 16)) {
      b += run * a + v * (run * (run + 1) / 2);
      a += run * v;
      if (a >= (std::uint64_t{1} << 32) || b >= (std::uint64_t{1} << 48)) {
        a %= kAdlerMod;
        b %= kAdlerMod;
      }
    } else {
      b = (b + run % kAdlerMod * a + v * (run * (run + 1) / 2 % kAdlerMod)) % kAdlerMod;
      a = (a + run % kAdlerMod * v) % kAdlerMod;
    }
    bits.put(t.literal[v]);
    std::uint64_t rest = run - 1;
    while (rest >= 3) {
      // Matches are 3..258 long; never leave a tail of 1 or 2 behind a 258.
      const std::uint64_t len = rest <= 258 ? rest : (rest - 258 < 3 ? rest - 3 : 258);
      bits.put(t.match[static_cast<std::size_t>(len)]);
      rest -= len;
    }
    for (; rest > 0; --rest) bits.put(t.literal[v]);
    i = j;
  }
  bits.put(t.end_of_block);
  bits.flush();
  a %= kAdlerMod;
  b %= kAdlerMod;
  const auto adler = static_cast<std::uint32_t>(b << 16 | a);
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(adler >> shift));
}

}  // namespace plifkit::frames
