// The DVS128 Gesture dataset as laid out on disk: the sensor, and the file
// names of a recording and of the split lists.
//
//   DIR/userNN_<lighting>.aedat         AEDAT 3.1 events
//   DIR/userNN_<lighting>_labels.csv    class,startTime_usec,endTime_usec
//   DIR/trials_to_train.txt             one userNN_<lighting>.aedat per line
//   DIR/trials_to_test.txt
#pragma once

#include <array>
#include <string>

namespace plifkit::dvs_gesture {

// The decoder's sensor (the registry row, datasets/dvs128_gesture.cpp, has
// the same, and the classes).
inline constexpr int kWidth = 128;
inline constexpr int kHeight = 128;

// The lighting conditions of the real recordings, in the order dvs-synth uses them.
inline constexpr std::array<const char*, 5> kLightings = {"fluorescent", "fluorescent_led", "lab",
                                                          "led", "natural"};

inline constexpr const char* kTrainList = "trials_to_train.txt";
inline constexpr const char* kTestList = "trials_to_test.txt";
inline constexpr const char* kAedatSuffix = ".aedat";
inline constexpr const char* kLabelsSuffix = "_labels.csv";

inline std::string aedat_name(const std::string& stem) { return stem + kAedatSuffix; }
inline std::string labels_name(const std::string& stem) { return stem + kLabelsSuffix; }
// "dir" + "/" + name, without doubling a trailing slash.
inline std::string join(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  return dir.back() == '/' ? dir + name : dir + "/" + name;
}

}  // namespace plifkit::dvs_gesture
