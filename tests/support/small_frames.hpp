// A small synthetic DVS128 Gesture set converted to frames (T 4), in a new
// temporary folder, for tests that run whole training epochs.
#pragma once

#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include <gtest/gtest.h>

#include "plifkit/events/synth.hpp"
#include "plifkit/frames/convert.hpp"

namespace plifkit::test {

// Returns the folder; its frames file is <folder>/frames.h5.
inline std::string make_small_frames(const std::string& tag) {
  const std::string root = testing::TempDir() + "plifkit_" + tag + "_" + std::to_string(::getpid());
  ::mkdir(root.c_str(), 0777);
  SynthOptions synth;
  synth.users = 4;
  synth.lightings = 1;
  synth.events_per_gesture = 300;
  synthesize_dataset(root + "/data", synth);
  frames::ConvertOptions convert;
  convert.source_dir = root + "/data";
  convert.output = root + "/frames.h5";
  convert.T = 4;
  frames::convert(convert);
  return root;
}

}  // namespace plifkit::test
