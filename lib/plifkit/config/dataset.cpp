#include "plifkit/config/dataset.hpp"

namespace plifkit {

const DatasetFacts& facts_of(Dataset dataset) {
  // formats.md section 1, in the order of the enum.
  static constexpr std::array<DatasetFacts, 7> facts{{
      {InputKind::events, 2, 128, 128, 11},  // DVS128Gesture
      {InputKind::events, 2, 34, 34, 10},    // NMNIST
      {InputKind::events, 2, 128, 128, 10},  // CIFAR10DVS
      {InputKind::events, 2, 180, 240, 24},  // ASLDVS
      {InputKind::images, 1, 28, 28, 10},    // MNIST
      {InputKind::images, 1, 28, 28, 10},    // FashionMNIST
      {InputKind::images, 3, 32, 32, 10},    // CIFAR10
  }};
  return facts[static_cast<size_t>(dataset)];
}

}  // namespace plifkit
