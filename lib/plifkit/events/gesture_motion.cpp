#include "plifkit/events/gesture_motion.hpp"

namespace plifkit {
namespace {

constexpr double kTwoPi = 6.28318530717958647692;

struct ClassShape {
  Point origin;
  int blobs;
  double cycles;
  double radius;
};

// Where each class happens, how many blobs it moves and how often it repeats.
constexpr ClassShape kShapes[11] = {
    {{64, 72}, 2, 3.0, 6},   // hand_clapping
    {{92, 36}, 1, 3.0, 6},   // right_hand_wave
    {{36, 36}, 1, 3.0, 6},   // left_hand_wave
    {{88, 64}, 1, 1.5, 7},   // right_arm_clockwise
    {{88, 64}, 1, 1.5, 7},   // right_arm_counter_clockwise
    {{40, 64}, 1, 1.5, 7},   // left_arm_clockwise
    {{40, 64}, 1, 1.5, 7},   // left_arm_counter_clockwise
    {{64, 84}, 2, 3.0, 5},   // arm_roll
    {{64, 84}, 2, 4.0, 6},   // air_drums
    {{80, 84}, 1, 4.0, 6},   // air_guitar
    {{64, 64}, 1, 1.0, 10},  // other_gestures
};

}  // namespace

GestureMotion::GestureMotion(int class_index, Rng& rng) : class_index_(class_index) {
  const ClassShape& shape = kShapes[class_index];
  blobs_ = shape.blobs;
  origin_ = {shape.origin.x + rng.uniform(-5, 5), shape.origin.y + rng.uniform(-5, 5)};
  amplitude_ = rng.uniform(0.85, 1.15);
  cycles_ = shape.cycles * rng.uniform(0.85, 1.15);
  phase_ = rng.uniform(-0.3, 0.3);
  radius_ = shape.radius * rng.uniform(0.8, 1.2);
}

Point GestureMotion::centre(int k, double u) const {
  const double a = phase_ + kTwoPi * cycles_ * u;  // angle along the repeated path
  const double s = portable_sin(a);
  const double c = portable_cos(a);
  const double side = k == 0 ? -1.0 : 1.0;  // which of two blobs
  const double A = amplitude_;
  const Point o = origin_;
  switch (class_index_) {
    case 0: {  // clapping: gap between the hands opens and closes
      const double half_gap = A * (9 + 9 * (1 + c));
      return {o.x + side * half_gap, o.y};
    }
    case 1:
    case 2:
      return {o.x + A * 16 * s, o.y + A * 3 * c};
    case 3:
    case 5:  // clockwise on screen (y down): angle grows, start at the top
      return {o.x + A * 22 * s, o.y - A * 22 * c};
    case 4:
    case 6:  // counter-clockwise: the mirror path, also from the top
      return {o.x - A * 22 * s, o.y - A * 22 * c};
    case 7:  // two blobs half a turn apart on a small fast circle
      return {o.x + side * A * 11 * s, o.y - side * A * 11 * c};
    case 8:  // drums: left and right stick beat in anti-phase
      return {o.x + side * 22, o.y + side * A * 14 * s};
    case 9:  // strumming along the down-right diagonal
      return {o.x + A * 13 * s, o.y + A * 13 * s};
    default:  // other: rise and fall through the centre
      return {o.x + A * 4 * s, o.y + A * 30 * c};
  }
}

}  // namespace plifkit
