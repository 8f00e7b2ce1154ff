// DVS128 Gesture (Amir et al., IBM): 29 users x up to 5 lightings, each
// recording an AEDAT 3.1 file with a label CSV of gesture windows:
//   DIR/userNN_<lighting>.aedat, DIR/userNN_<lighting>_labels.csv,
//   DIR/trials_to_train.txt, DIR/trials_to_test.txt
// (events/dvs_gesture.hpp has the file names; events/trials.hpp the lists).
#include "plifkit/datasets/registry.hpp"

namespace plifkit {

DatasetRow dvs128_gesture_row() {
  DatasetRow r;
  r.id = Dataset::DVS128Gesture;
  r.title = "DVS128 Gesture";
  r.kind = InputKind::events;
  r.channels = 2;
  r.height = r.width = 128;
  // Label order: class c of a labels CSV (1-based) is class_names[c - 1].
  r.class_names = {"hand_clapping",
                   "right_hand_wave",
                   "left_hand_wave",
                   "right_arm_clockwise",
                   "right_arm_counter_clockwise",
                   "left_arm_clockwise",
                   "left_arm_counter_clockwise",
                   "arm_roll",
                   "air_drums",
                   "air_guitar",
                   "other_gestures"};
  r.storage = Storage::recordings;
  r.codec = EventCodec::aedat31;
  r.network = NetworkFamily::neuromorphic;
  r.reference_T = 20;
  r.reference_number_layer = 5;
  r.description =
      "userNN_<lighting>.aedat (AEDAT 3.1), their _labels.csv files, "
      "trials_to_train.txt and trials_to_test.txt; each label row is a sample";
  return r;
}

}  // namespace plifkit
