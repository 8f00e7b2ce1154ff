// MNIST: train-images-idx3-ubyte, train-labels-idx1-ubyte,
// t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte, plain or .gz
// (images/image_datasets.hpp has where they may be).
#include "plifkit/datasets/registry.hpp"

namespace plifkit {

DatasetRow mnist_row() {
  DatasetRow r;
  r.id = Dataset::MNIST;
  r.title = "MNIST";
  r.kind = InputKind::images;
  r.channels = 1;
  r.height = r.width = 28;
  r.class_names = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  r.storage = Storage::idx_images;
  r.network = NetworkFamily::mnist;
  r.statistics = {{0.1307}, {0.3081}};
  r.augmentation = Augmentation::mnist_affine;
  r.reference_T = 8;
  r.description =
      "the four IDX files (plain or .gz) in DIR, DIR/MNIST/raw (as torchvision has "
      "them) or DIR/raw";
  return r;
}

}  // namespace plifkit
