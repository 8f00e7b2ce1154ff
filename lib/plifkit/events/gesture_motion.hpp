// The motions of dvs-synth's 11 synthetic gestures, one per DVS128 Gesture
// class, made to be told apart from frames by a small convolutional SNN:
// each class moves one or two bright blobs along its own path in its own
// part of the 128x128 image (y grows downwards):
//
//   0 hand_clapping      two blobs meeting and parting horizontally, centre
//   1 right_hand_wave    one blob swinging left-right, upper right
//   2 left_hand_wave     one blob swinging left-right, upper left
//   3 right_arm_cw       circle, clockwise, right half
//   4 right_arm_ccw      circle, counter-clockwise, right half
//   5 left_arm_cw        circle, clockwise, left half
//   6 left_arm_ccw       circle, counter-clockwise, left half
//   7 arm_roll           two blobs orbiting each other, lower centre
//   8 air_drums          two blobs beating up-down in anti-phase, lower half
//   9 air_guitar         one blob strumming along the diagonal, lower right
//  10 other_gestures     one large blob rising and falling through the centre
//
// The circles all start at the top, so clockwise and counter-clockwise
// differ in where the blob is at each moment and in which side of it is the
// leading (ON) edge. Every sample draws its own jitter: centre, amplitude,
// speed, phase and blob size.
#pragma once

#include "plifkit/core/rng.hpp"

namespace plifkit {

struct Point {
  double x = 0;
  double y = 0;
};

class GestureMotion {
 public:
  // class_index 0..10; draws this sample's jitter from rng.
  GestureMotion(int class_index, Rng& rng);

  int blobs() const { return blobs_; }
  double radius() const { return radius_; }
  // Centre of blob k at phase u in [0, 1] (start to end of the gesture), pixels.
  Point centre(int k, double u) const;

 private:
  int class_index_;
  int blobs_ = 1;
  double radius_ = 6;
  Point origin_;          // jittered centre of the motion
  double amplitude_ = 1;  // scale of the path
  double cycles_ = 1;     // repetitions over the gesture
  double phase_ = 0;      // radians
};

}  // namespace plifkit
