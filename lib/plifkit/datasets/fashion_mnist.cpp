// Fashion-MNIST: MNIST's file names and layout, torchvision's class names;
// the reference trains it without augmentation.
#include "plifkit/datasets/registry.hpp"

namespace plifkit {

DatasetRow fashion_mnist_row() {
  DatasetRow r;
  r.id = Dataset::FashionMNIST;
  r.title = "Fashion-MNIST";
  r.kind = InputKind::images;
  r.channels = 1;
  r.height = r.width = 28;
  r.class_names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                   "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
  r.storage = Storage::idx_images;
  r.network = NetworkFamily::mnist;
  r.statistics = {{0.2860}, {0.3530}};
  r.augmentation = Augmentation::none;
  r.synthetic_grid_transposed = true;
  r.reference_T = 8;
  r.description =
      "the four IDX files (plain or .gz) in DIR, DIR/FashionMNIST/raw (as torchvision "
      "has them) or DIR/raw";
  return r;
}

}  // namespace plifkit
