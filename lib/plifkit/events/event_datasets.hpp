// The one-file-per-sample event datasets as laid out on disk (formats.md
// section 1; the readers are in nmnist_reader, cifar10dvs_reader and
// asldvs_reader):
//
//   N-MNIST      DIR/Train/<digit>/<id>.bin, DIR/Test/<digit>/<id>.bin
//                (ids are MNIST's, zero-padded to 5 digits: 00002.bin);
//                the split is the folder, the label the digit folder.
//   CIFAR10-DVS  DIR/<class>/cifar10_<class>_<i>.aedat, i = 0..999 per
//                class (no padding); i below 900 train, the rest test (the
//                seed's split_ratio 0.9).
//   ASL-DVS      DIR/<letter>/<letter>_<i>.mat, i = 1..4200 per class,
//                zero-padded to 4 digits (a_0001.mat); i up to 3360 train,
//                the rest test (the seed's split_ratio 0.8).
#pragma once

#include <array>
#include <cstdint>

namespace plifkit::event_datasets {

namespace nmnist {
inline constexpr int kWidth = 34;
inline constexpr int kHeight = 34;
inline constexpr std::array<const char*, 10> kClassNames = {"0", "1", "2", "3", "4",
                                                            "5", "6", "7", "8", "9"};
inline constexpr const char* kTrainDir = "Train";
inline constexpr const char* kTestDir = "Test";
inline constexpr const char* kSuffix = ".bin";
inline constexpr int kIdDigits = 5;
// 5 bytes per event: x, y, then bit 7 polarity and 23 bits of microseconds
// (most significant first).
inline constexpr int kBytesPerEvent = 5;
// An event whose y byte is 240 is no event: it marks a timestamp overflow,
// and every later event's time is 2^13 us later (the dataset authors'
// reader, Read_Ndataset.m, and Tonic do the same).
inline constexpr std::uint8_t kOverflowY = 240;
inline constexpr std::uint64_t kOverflowIncrement = 1u << 13;
// Files per digit in the full download (MNIST's class counts).
inline constexpr std::array<int, 10> kTrainPerClass = {5923, 6742, 5958, 6131, 5842,
                                                       5421, 5918, 6265, 5851, 5949};
inline constexpr std::array<int, 10> kTestPerClass = {980, 1135, 1032, 1010, 982,
                                                      892, 958,  1028, 974,  1009};
}  // namespace nmnist

namespace cifar10dvs {
inline constexpr int kWidth = 128;
inline constexpr int kHeight = 128;
inline constexpr std::array<const char*, 10> kClassNames = {
    "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"};
inline constexpr const char* kFilePrefix = "cifar10_";  // cifar10_<class>_<i>.aedat
inline constexpr const char* kSuffix = ".aedat";
inline constexpr int kFirstIndex = 0;
inline constexpr int kFilesPerClass = 1000;
inline constexpr int kTrainBelow = 900;  // i < 900 train
}  // namespace cifar10dvs

namespace asldvs {
inline constexpr int kWidth = 240;
inline constexpr int kHeight = 180;
inline constexpr std::array<const char*, 24> kClassNames = {
    "a", "b", "c", "d", "e", "f", "g", "h", "i", "k", "l", "m",
    "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y"};
inline constexpr const char* kSuffix = ".mat";  // <letter>_<i>.mat
inline constexpr int kIdDigits = 4;
inline constexpr int kFirstIndex = 1;
inline constexpr int kFilesPerClass = 4200;
inline constexpr int kTrainUpTo = 3360;  // i <= 3360 train
// The variables of each file: microseconds, column, row, polarity (0/1).
inline constexpr std::array<const char*, 4> kVariables = {"ts", "x", "y", "pol"};
}  // namespace asldvs

}  // namespace plifkit::event_datasets
