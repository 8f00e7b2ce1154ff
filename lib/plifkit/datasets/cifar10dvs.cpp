// CIFAR10-DVS (Li et al.): DIR/<class>/cifar10_<class>_<i>.aedat, i = 0..999
// per class, not zero-padded; i below 900 train, the rest test (the seed's
// split_ratio 0.9). AEDAT 2.0 (events/cifar10dvs_reader.hpp).
#include "plifkit/datasets/registry.hpp"

namespace plifkit {

DatasetRow cifar10dvs_row() {
  DatasetRow r;
  r.id = Dataset::CIFAR10DVS;
  r.title = "CIFAR10-DVS";
  r.kind = InputKind::events;
  r.channels = 2;
  r.height = r.width = 128;
  r.class_names = {"airplane", "automobile", "bird",  "cat",  "deer",
                   "dog",      "frog",       "horse", "ship", "truck"};
  r.storage = Storage::file_per_sample;
  r.codec = EventCodec::aedat20;
  r.files.file_prefix = "cifar10_";
  r.files.class_in_name = true;
  r.files.suffix = ".aedat";
  r.files.first_index = 0;
  r.files.files_per_class = 1000;
  r.files.train_below = 900;
  r.network = NetworkFamily::neuromorphic;
  r.reference_T = 20;
  r.reference_number_layer = 4;
  r.description = "<class>/cifar10_<class>_<i>.aedat (AEDAT 2.0), i < 900 train";
  return r;
}

}  // namespace plifkit
