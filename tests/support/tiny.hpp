// Tiny configurations the unit tests share: a frames header for files of a
// few pixels and classes, and a training configuration small enough to run a
// step in milliseconds. Tests change what they test and keep the rest.
#pragma once

#include <string>
#include <vector>

#include "plifkit/config/train_config.hpp"
#include "plifkit/frames/frames_reader.hpp"

namespace plifkit::test {

// A DVS128Gesture-stamped header of size height x width with T frames and
// class names "c0", "c1", ...: counts (normalization none), split by number.
inline frames::FramesHeader tiny_frames_header(int T, int height, int width, int class_num) {
  frames::FramesHeader h;
  h.dataset = Dataset::DVS128Gesture;
  h.T = T;
  h.split_by = frames::SplitBy::number;
  h.normalization = frames::Normalization::none;
  h.height = height;
  h.width = width;
  h.class_num = class_num;
  for (int c = 0; c < class_num; ++c) h.class_names.push_back("c" + std::to_string(c));
  h.source_dir = "synthetic";
  return h;
}

// One conv block of 2 channels on 8x8 input, 3 classes, T 2, per-neuron
// PLIF tau (std 0.1), one epoch; the frames settings as a frames file of
// that shape would decide them.
inline TrainConfig tiny_train_config() {
  TrainConfig c;
  c.dataset = Dataset::DVS128Gesture;
  c.T = 2;
  c.split_by = frames::SplitBy::number;
  c.normalization = frames::Normalization::none;
  c.net.height = c.net.width = 8;
  c.net.channels = 2;
  c.net.number_layer = 1;
  c.net.class_num = 3;
  c.net.use_plif = true;
  c.net.tau_per_neuron = true;
  c.net.tau_std_dev = 0.1;
  c.max_epoch = 1;
  return c;
}

}  // namespace plifkit::test
