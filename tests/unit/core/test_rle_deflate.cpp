// rle_deflate's streams inflate back to the input with zlib (which also
// verifies the Adler-32 trailer), for the run lengths around the 3..258 match
// limits, long runs, no runs at all, and sparse random data; for 2- and
// 4-byte elements the stream is byte for byte that of the naively shuffled
// bytes (HDF5's shuffle, the specification), for every length around the
// encoder's word and 32-byte steps and for runs that cross from one byte
// plane into the next.
#include <gtest/gtest.h>
#include <zlib.h>

#include <random>

#include "plifkit/core/error.hpp"
#include "plifkit/frames/rle_deflate.hpp"

namespace plifkit::frames {
namespace {

std::vector<std::uint8_t> encoded(const void* data, std::size_t count, std::size_t elem_size) {
  std::vector<std::uint8_t> buffer;
  buffer.resize(rle_deflate(data, count, elem_size, buffer));
  return buffer;
}

void expect_round_trip(const std::vector<std::uint8_t>& input, const std::string& what) {
  const std::vector<std::uint8_t> stream = encoded(input.data(), input.size(), 1);
  ASSERT_GE(stream.size(), 6u) << what;
  EXPECT_EQ(stream[0], 0x78) << what;
  EXPECT_EQ(stream[1], 0x01) << what;
  std::vector<std::uint8_t> back(input.size() + 1);
  uLongf size = back.size();
  ASSERT_EQ(uncompress(back.data(), &size, stream.data(), stream.size()), Z_OK) << what;
  back.resize(size);
  EXPECT_TRUE(back == input) << what;
  const uLong adler = adler32(adler32(0, nullptr, 0), input.data(), static_cast<uInt>(input.size()));
  const std::size_t n = stream.size();
  EXPECT_EQ((uLong{stream[n - 4]} << 24 | uLong{stream[n - 3]} << 16 | uLong{stream[n - 2]} << 8 |
             stream[n - 1]),
            adler)
      << what;
}

TEST(RleDeflate, EmptyAndTinyInputs) {
  expect_round_trip({}, "empty");
  expect_round_trip({0}, "one zero");
  expect_round_trip({7}, "one byte");
  expect_round_trip({1, 2}, "two bytes");
}

TEST(RleDeflate, EveryRunLengthAroundTheMatchLimits) {
  for (std::uint8_t v : {std::uint8_t{0}, std::uint8_t{0xA5}, std::uint8_t{0xFF}})
    for (std::size_t run = 1; run <= 800; ++run) {
      std::vector<std::uint8_t> input = {3};
      input.insert(input.end(), run, v);
      input.push_back(9);
      expect_round_trip(input, "run " + std::to_string(run) + " of " + std::to_string(v));
    }
}

TEST(RleDeflate, LongRunsAndNoRuns) {
  expect_round_trip(std::vector<std::uint8_t>(3 << 20, 0), "3 MiB of zeros");
  std::vector<std::uint8_t> ramp(70000);
  for (std::size_t i = 0; i < ramp.size(); ++i) ramp[i] = static_cast<std::uint8_t>(i * 7 + 1);
  expect_round_trip(ramp, "no two equal neighbours");
}

TEST(RleDeflate, LongDenseInputReducesItsChecksum) {
  // Enough literals for the unreduced Adler-32 sums to reach their bounds.
  std::mt19937_64 gen(7);
  std::vector<std::uint8_t> input(5 << 20);
  for (auto& b : input) b = static_cast<std::uint8_t>(gen() | 0x80);
  expect_round_trip(input, "5 MiB of literals");
}

TEST(RleDeflate, SparseRandomData) {
  std::mt19937_64 gen(42);
  for (int density : {1, 5, 30, 100}) {
    std::vector<std::uint8_t> input(1 << 18, 0);
    for (auto& b : input)
      if (static_cast<int>(gen() % 100) < density) b = static_cast<std::uint8_t>(gen());
    expect_round_trip(input, "density " + std::to_string(density) + "%");
  }
}

// HDF5's shuffle filter: byte k of element i goes to out[k * count + i].
template <typename Word>
std::vector<std::uint8_t> shuffled(const std::vector<Word>& v) {
  std::vector<std::uint8_t> out(v.size() * sizeof(Word));
  for (std::size_t i = 0; i < v.size(); ++i)
    for (std::size_t k = 0; k < sizeof(Word); ++k)
      out[k * v.size() + i] = static_cast<std::uint8_t>(v[i] >> (8 * k));
  return out;
}

template <typename Word>
void expect_shuffled_stream(const std::vector<Word>& v, const std::string& what) {
  const std::vector<std::uint8_t> planes = shuffled(v);
  const std::vector<std::uint8_t> stream = encoded(v.data(), v.size(), sizeof(Word));
  EXPECT_TRUE(stream == encoded(planes.data(), planes.size(), 1)) << what;
  std::vector<std::uint8_t> back(planes.size() + 1);
  uLongf size = back.size();
  ASSERT_EQ(uncompress(back.data(), &size, stream.data(), stream.size()), Z_OK) << what;
  back.resize(size);
  EXPECT_TRUE(back == planes) << what;
}

// Sparse counts like a frame's, `density` percent non-zero, some above 255
// (non-zero high bytes), ending in zeros so that the run of zeros at the end
// of one byte plane goes on into the next.
template <typename Word>
std::vector<Word> sparse_counts(std::size_t n, int density, std::mt19937_64& gen) {
  std::vector<Word> v(n, 0);
  for (std::size_t i = 0; i + 3 < n; ++i)
    if (static_cast<int>(gen() % 100) < density)
      v[i] = static_cast<Word>(gen() % 8 == 0 ? gen() : gen() % 6 + 1);
  return v;
}

template <typename Word>
void expect_shuffled_streams(const std::string& type) {
  std::mt19937_64 gen(11);
  for (std::size_t n = 0; n <= 80; ++n)
    for (int density : {0, 3, 50, 100})
      expect_shuffled_stream(sparse_counts<Word>(n, density, gen),
                             type + " n " + std::to_string(n) + " density " + std::to_string(density));
  expect_shuffled_stream(sparse_counts<Word>(100003, 3, gen), type + " 100003 sparse");
  // Every byte of every element equal: one run through all planes.
  expect_shuffled_stream(std::vector<Word>(5000, static_cast<Word>(~Word{0})), type + " all ones");
  expect_shuffled_stream(std::vector<Word>(70000, 0), type + " all zero");
}

TEST(RleDeflate, TwoByteElementsGiveTheStreamOfTheirShuffledBytes) {
  expect_shuffled_streams<std::uint16_t>("uint16");
}

TEST(RleDeflate, FourByteElementsGiveTheStreamOfTheirShuffledBytes) {
  expect_shuffled_streams<std::uint32_t>("uint32");
}

TEST(RleDeflate, ReusesItsBufferAndRefusesOtherElementSizes) {
  std::vector<std::uint8_t> buffer;
  const std::vector<std::uint8_t> big(1 << 16, 9);
  rle_deflate(big.data(), big.size(), 1, buffer);
  const std::size_t capacity = buffer.size();
  const std::vector<std::uint8_t> small = {1, 2, 3};
  const std::size_t n = rle_deflate(small.data(), small.size(), 1, buffer);
  EXPECT_EQ(buffer.size(), capacity);
  EXPECT_TRUE(std::vector<std::uint8_t>(buffer.begin(), buffer.begin() + static_cast<long>(n)) ==
              encoded(small.data(), small.size(), 1));
  EXPECT_THROW(rle_deflate(small.data(), 1, 3, buffer), UsageError);
  EXPECT_THROW(rle_deflate(small.data(), 0, 8, buffer), UsageError);
}

}  // namespace
}  // namespace plifkit::frames
