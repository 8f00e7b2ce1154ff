#include "plifkit/frames/rle_deflate.hpp"

#include <array>
#include <cstring>
#include <string>

#include "plifkit/core/error.hpp"

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

// a, then b, as one code (at most 32 bits).
Code joined(Code a, Code b) { return {a.bits | b.bits << a.length, a.length + b.length}; }

struct Tables {
  std::array<Code, 256> literal;
  std::array<Code, 259> match;  // [length]: length code, extra bits, distance 1
  std::array<std::array<Code, 4>, 256> repeats;  // [byte][n]: n literals of byte, n <= 3
  Code end_of_block;

  Tables() {
    for (int s = 0; s < 256; ++s) literal[static_cast<std::size_t>(s)] = fixed_code(s);
    for (std::size_t s = 0; s < 256; ++s)
      for (std::size_t n = 1; n < 4; ++n) repeats[s][n] = joined(repeats[s][n - 1], literal[s]);
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

// Writes codes into a buffer with room for them: every put stores the whole
// 64-bit accumulator and advances by its complete bytes, which costs no
// branch and no capacity check per code.
class BitWriter {
 public:
  explicit BitWriter(std::uint8_t* out) : out_(out) {}
  void put(Code c) {
    acc_ |= static_cast<std::uint64_t>(c.bits) << count_;
    count_ += c.length;  // at most 7 + 27 bits held
    std::memcpy(out_, &acc_, 8);
    const int bytes = count_ >> 3;
    out_ += bytes;
    acc_ >>= 8 * bytes;
    count_ &= 7;
  }
  // Pads the last byte with zero bits; returns the end of the written bytes.
  std::uint8_t* flush() {
    if (count_ > 0) *out_++ = static_cast<std::uint8_t>(acc_);
    acc_ = 0;
    count_ = 0;
    return out_;
  }

 private:
  std::uint8_t* out_;
  std::uint64_t acc_ = 0;
  int count_ = 0;
};

constexpr std::uint64_t kAdlerMod = 65521;

// The bytes at offset k of each Elem-byte element in a little-endian 64-bit
// word of elements.
template <std::size_t Elem>
constexpr std::uint64_t plane_mask(std::size_t k) {
  std::uint64_t m = 0;
  for (std::size_t b = k; b < 8; b += Elem) m |= std::uint64_t{0xFF} << (8 * b);
  return m;
}

// The first element e' >= e of [0, count) whose byte k is not v, or count.
// Compares 32 bytes of elements per step while they all match (the long
// runs of zeros), then finds the differing element from the lowest set bit
// of the word's mismatches.
template <std::size_t Elem>
std::size_t run_end(const std::uint8_t* src, std::size_t e, std::size_t count, std::size_t k,
                    std::uint8_t v) {
  constexpr std::size_t kPerWord = 8 / Elem;
  const std::uint64_t mask = plane_mask<Elem>(k);
  const std::uint64_t pattern = 0x0101010101010101ull * v & mask;
  auto mismatch = [&](std::size_t at) {
    std::uint64_t w;
    std::memcpy(&w, src + at * Elem, 8);
    return (w & mask) ^ pattern;
  };
  auto first = [&](std::size_t at, std::uint64_t x) {
    return at + static_cast<std::size_t>(__builtin_ctzll(x)) / (8 * Elem);
  };
  // Most runs are short: one word first, then 32 bytes per step.
  if (e + kPerWord <= count) {
    if (const std::uint64_t x = mismatch(e); x != 0) return first(e, x);
    e += kPerWord;
  }
  for (; e + 4 * kPerWord <= count; e += 4 * kPerWord) {
    const std::uint64_t x0 = mismatch(e), x1 = mismatch(e + kPerWord),
                        x2 = mismatch(e + 2 * kPerWord), x3 = mismatch(e + 3 * kPerWord);
    if ((x0 | x1 | x2 | x3) == 0) continue;
    if (x0 != 0) return first(e, x0);
    if (x1 != 0) return first(e + kPerWord, x1);
    if (x2 != 0) return first(e + 2 * kPerWord, x2);
    return first(e + 3 * kPerWord, x3);
  }
  for (; e + kPerWord <= count; e += kPerWord)
    if (const std::uint64_t x = mismatch(e); x != 0) return first(e, x);
  while (e < count && src[e * Elem + k] == v) ++e;
  return e;
}

template <std::size_t Elem>
std::size_t encode(const std::uint8_t* src, std::size_t count, std::vector<std::uint8_t>& buffer) {
  const Tables& t = tables();
  // Every byte a 9-bit literal is the longest stream; 8 bytes of slack for
  // the writer's whole-word stores.
  const std::size_t bound = 2 + (3 + 9 * count * Elem + 7 + 7) / 8 + 4 + 8;
  if (buffer.size() < bound) buffer.resize(bound);
  std::uint8_t* out = buffer.data();
  out[0] = 0x78;  // deflate, 32 KiB window
  out[1] = 0x01;  // no dictionary, check bits: 0x7801 % 31 == 0
  BitWriter bits(out + 2);
  bits.put({0b011, 3});  // BFINAL = 1, BTYPE = 01 (fixed codes)
  // Adler-32 of the planes; a < 2^32 and b < 2^48 between runs, so the
  // updates of a run shorter than 2^16 cannot overflow.
  std::uint64_t a = 1, b = 0;
  std::size_t k = 0, e = 0;  // plane, element
  while (count > 0) {
    // The run of v is maximal in the concatenated planes, so it may go on
    // into the next plane (zeros at the end of one and the start of the next).
    const std::uint8_t v = src[e * Elem + k];
    // Two thirds of the runs in frames are single bytes (the counts inside
    // an event blob): a literal, and Adler-32's plain update.
    if (e + 1 < count && src[(e + 1) * Elem + k] != v) {
      a += v;
      b += a;
      if (a >= (std::uint64_t{1} << 32) || b >= (std::uint64_t{1} << 48)) {
        a %= kAdlerMod;
        b %= kAdlerMod;
      }
      bits.put(t.literal[v]);
      ++e;
      continue;
    }
    std::size_t j = run_end<Elem>(src, e + 1, count, k, v);
    std::uint64_t run = j - e;
    while (j == count && k + 1 < Elem) {
      ++k;
      j = run_end<Elem>(src, 0, count, k, v);
      run += j;
    }
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
    if (run <= 259) {
      // The byte, then 0..2 more literals or one match: one code, chosen
      // without a branch, as short runs of every length alternate.
      const Code with_match = joined(t.literal[v], t.match[run - 1]);  // match[0..2]: empty
      bits.put(run <= 3 ? t.repeats[v][run] : with_match);
    } else {
      bits.put(t.literal[v]);
      std::uint64_t rest = run - 1;
      while (rest >= 3) {
        // Matches are 3..258 long; never leave a tail of 1 or 2 behind a 258.
        const std::uint64_t len = rest <= 258 ? rest : (rest - 258 < 3 ? rest - 3 : 258);
        bits.put(t.match[static_cast<std::size_t>(len)]);
        rest -= len;
      }
      for (; rest > 0; --rest) bits.put(t.literal[v]);
    }
    if (j == count) break;  // the end of the last plane
    e = j;
  }
  bits.put(t.end_of_block);
  std::uint8_t* end = bits.flush();
  a %= kAdlerMod;
  b %= kAdlerMod;
  const auto adler = static_cast<std::uint32_t>(b << 16 | a);
  for (int shift = 24; shift >= 0; shift -= 8) *end++ = static_cast<std::uint8_t>(adler >> shift);
  return static_cast<std::size_t>(end - out);
}

}  // namespace

std::size_t rle_deflate(const void* data, std::size_t count, std::size_t elem_size,
                        std::vector<std::uint8_t>& buffer) {
  const auto* src = static_cast<const std::uint8_t*>(data);
  switch (elem_size) {
    case 1: return encode<1>(src, count, buffer);
    case 2: return encode<2>(src, count, buffer);
    case 4: return encode<4>(src, count, buffer);
    default:
      throw UsageError("rle_deflate takes 1-, 2- or 4-byte elements, not " +
                       std::to_string(elem_size));
  }
}

}  // namespace plifkit::frames
