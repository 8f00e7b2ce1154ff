// rle_deflate's streams inflate back to the input with zlib (which also
// verifies the Adler-32 trailer), for the run lengths around the 3..258 match
// limits, long runs, no runs at all, and sparse random data.
#include <gtest/gtest.h>
#include <zlib.h>

#include <random>

#include "plifkit/frames/rle_deflate.hpp"

namespace plifkit::frames {
namespace {

void expect_round_trip(const std::vector<std::uint8_t>& input, const std::string& what) {
  std::vector<std::uint8_t> stream;
  rle_deflate(input.data(), input.size(), stream);
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

}  // namespace
}  // namespace plifkit::frames
