// The datasets of the seed's `-dataset_name`: the names the tools accept.
// Everything else plifkit knows of a dataset is its row in the registry
// (registry.hpp), one file per dataset in this folder.
#pragma once

#include <array>

#include "plifkit/core/choice.hpp"

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

// The seed's default `-dataset_name`, and the dataset of a setting not yet given.
inline constexpr Dataset kDefaultDataset = Dataset::DVS128Gesture;

}  // namespace plifkit
