// ASL-DVS (Bi et al.): DIR/<letter>/<letter>_<i>.mat, i = 1..4200 per class,
// zero-padded to 4 digits (a_0001.mat); i up to 3360 train, the rest test
// (the seed's split_ratio 0.8). MATLAB files (events/asldvs_reader.hpp). The
// reference never trained on it: its commands are DVS128 Gesture's.
#include "plifkit/datasets/registry.hpp"

namespace plifkit {

DatasetRow asldvs_row() {
  DatasetRow r;
  r.id = Dataset::ASLDVS;
  r.title = "ASL-DVS";
  r.kind = InputKind::events;
  r.channels = 2;
  r.height = 180;
  r.width = 240;
  r.class_names = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "k", "l", "m",
                   "n", "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y"};
  r.storage = Storage::file_per_sample;
  r.codec = EventCodec::asl_mat;
  r.files.class_in_name = true;
  r.files.suffix = ".mat";
  r.files.index_digits = 4;
  r.files.first_index = 1;
  r.files.files_per_class = 4200;
  r.files.train_below = 3361;
  r.network = NetworkFamily::neuromorphic;
  r.reference_T = 20;
  r.reference_number_layer = 5;
  r.description = "<letter>/<letter>_<i>.mat (MATLAB 5), i <= 3360 train";
  return r;
}

}  // namespace plifkit
