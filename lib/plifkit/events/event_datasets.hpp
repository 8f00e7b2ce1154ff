// What the decoders of the one-file-per-sample event datasets know of their
// formats (nmnist_reader, cifar10dvs_reader, asldvs_reader). Where the files
// are, their names, classes and splits are the datasets' registry rows
// (datasets/nmnist.cpp, cifar10dvs.cpp, asldvs.cpp).
#pragma once

#include <array>
#include <cstdint>

namespace plifkit::event_datasets {

namespace nmnist {
// The decoder's sensor (the registry row, datasets/nmnist.cpp, has the same).
inline constexpr int kWidth = 34;
inline constexpr int kHeight = 34;
// 5 bytes per event: x, y, then bit 7 polarity and 23 bits of microseconds
// (most significant first).
inline constexpr int kBytesPerEvent = 5;
// An event whose y byte is 240 is no event: it marks a timestamp overflow,
// and every later event's time is 2^13 us later (the dataset authors'
// reader, Read_Ndataset.m, and Tonic do the same).
inline constexpr std::uint8_t kOverflowY = 240;
inline constexpr std::uint64_t kOverflowIncrement = 1u << 13;
}  // namespace nmnist

namespace cifar10dvs {
inline constexpr int kWidth = 128;
inline constexpr int kHeight = 128;
}  // namespace cifar10dvs

namespace asldvs {
inline constexpr int kWidth = 240;
inline constexpr int kHeight = 180;
// The variables of each file: microseconds, column, row, polarity (0/1).
inline constexpr std::array<const char*, 4> kVariables = {"ts", "x", "y", "pol"};
}  // namespace asldvs

}  // namespace plifkit::event_datasets
