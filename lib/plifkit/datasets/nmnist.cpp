// N-MNIST (Orchard et al.): DIR/Train/<digit>/<id>.bin and
// DIR/Test/<digit>/<id>.bin, ids MNIST's, zero-padded to 5 digits; the
// split is the folder, the label the digit folder (events/nmnist_reader.hpp
// decodes the 5-byte events).
#include "plifkit/datasets/registry.hpp"

namespace plifkit {

DatasetRow nmnist_row() {
  DatasetRow r;
  r.id = Dataset::NMNIST;
  r.title = "N-MNIST";
  r.kind = InputKind::events;
  r.channels = 2;
  r.height = r.width = 34;
  r.class_names = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  r.storage = Storage::file_per_sample;
  r.codec = EventCodec::nmnist_bin;
  r.files.split_dirs = {"Train", "Test"};
  r.files.suffix = ".bin";
  r.files.index_digits = 5;
  // Files per digit in the full download (MNIST's class counts).
  r.files.train_per_class = {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949};
  r.files.test_per_class = {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009};
  r.network = NetworkFamily::neuromorphic;
  r.reference_T = 10;
  r.reference_number_layer = 2;
  r.description = "Train/<digit>/<id>.bin and Test/<digit>/<id>.bin (5 bytes an event)";
  return r;
}

}  // namespace plifkit
