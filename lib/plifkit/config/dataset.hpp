// The datasets of the seed's `-dataset_name`, and what the stages need to
// know of each before reading a file: whether samples are event frames or
// static images, the input size and the classes (formats.md section 1).
#pragma once

#include <array>
#include <cstdint>

#include "plifkit/config/choices.hpp"

namespace plifkit {

enum class Dataset { DVS128Gesture, NMNIST, CIFAR10DVS, ASLDVS, MNIST, FashionMNIST, CIFAR10 };

template <>
struct Choices<Dataset> {
  static constexpr std::array<Choice<Dataset>, 7> all{{{Dataset::DVS128Gesture, "DVS128Gesture"},
                                                       {Dataset::NMNIST, "NMNIST"},
                                                       {Dataset::CIFAR10DVS, "CIFAR10DVS"},
                                                       {Dataset::ASLDVS, "ASLDVS"},
                                                       {Dataset::MNIST, "MNIST"},
                                                       {Dataset::FashionMNIST, "FashionMNIST"},
                                                       {Dataset::CIFAR10, "CIFAR10"}}};
  // The seed's argument table spells DVS128 Gesture "DVSGesture".
  static constexpr std::array<Choice<Dataset>, 1> aliases{{{Dataset::DVS128Gesture, "DVSGesture"}}};
};

enum class InputKind { events, images };

struct DatasetFacts {
  InputKind kind;
  int64_t channels;  // of one input frame or image
  int64_t height, width;
  int64_t class_num;
};

const DatasetFacts& facts_of(Dataset dataset);

}  // namespace plifkit
