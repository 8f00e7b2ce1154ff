// CIFAR-10: data_batch_1..5 and test_batch, binary (.bin) or pickled
// (images/image_datasets.hpp has where they may be).
#include "plifkit/datasets/registry.hpp"

namespace plifkit {

DatasetRow cifar10_row() {
  DatasetRow r;
  r.id = Dataset::CIFAR10;
  r.title = "CIFAR-10";
  r.kind = InputKind::images;
  r.channels = 3;
  r.height = r.width = 32;
  r.class_names = {"airplane", "automobile", "bird",  "cat",  "deer",
                   "dog",      "frog",       "horse", "ship", "truck"};
  r.storage = Storage::cifar_batches;
  r.network = NetworkFamily::cifar10;
  r.statistics = {{0.4914, 0.4822, 0.4465}, {0.2023, 0.1994, 0.2010}};
  r.augmentation = Augmentation::crop_and_flip;
  r.reference_T = 8;
  r.description =
      "data_batch_1..5 and test_batch, binary (.bin) or pickled, in DIR, "
      "DIR/cifar-10-batches-bin or DIR/cifar-10-batches-py";
  return r;
}

}  // namespace plifkit
