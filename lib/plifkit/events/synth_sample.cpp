#include "plifkit/events/synth_sample.hpp"

#include <cmath>

#include "plifkit/core/math_constants.hpp"

namespace plifkit {
namespace {

constexpr double kNoiseShare = 0.05;
constexpr double kHalfThickness = 1.2;  // pixels either side of the bar's axis

struct Vec {
  double x = 0, y = 0;
};

// Where the motion has taken the bar at phase u in [0, 1], for amplitude 1.
Vec path(SynthMotion motion, double u, double phase) {
  switch (motion) {
    case SynthMotion::saccades: {
      // Corners centred on the bar's rest place, visited in turn and back.
      static constexpr Vec kCorners[4] = {{-0.5, -1.0 / 3}, {0, 2.0 / 3}, {0.5, -1.0 / 3}, {-0.5, -1.0 / 3}};
      const double s = std::min(std::max(3 * u, 0.0), 3.0);
      const int k = std::min(2, static_cast<int>(s));
      const double f = s - k;
      return {kCorners[k].x + f * (kCorners[k + 1].x - kCorners[k].x),
              kCorners[k].y + f * (kCorners[k + 1].y - kCorners[k].y)};
    }
    case SynthMotion::loop: {
      const double a = phase + 2 * kPi * 2 * u;
      return {portable_cos(a), portable_sin(a)};
    }
    case SynthMotion::tremor:
      break;
  }
  return {portable_sin(phase + 2 * kPi * 3 * u), 0.6 * portable_sin(2 * phase + 2 * kPi * 5 * u)};
}

std::uint16_t pixel(double v, int size) {
  const double r = std::floor(v + 0.5);
  return static_cast<std::uint16_t>(std::min(std::max(r, 0.0), size - 1.0));
}

int grid_columns(int class_num) {
  int columns = 1;
  while (columns * columns < class_num) ++columns;
  return columns;
}

}  // namespace

void synthesize_sample(const SampleSpec& spec, Rng& rng, std::vector<SynthEvent>& out) {
  out.clear();
  const int columns = grid_columns(spec.class_num);
  const int rows = (spec.class_num + columns - 1) / columns;
  const double cell_w = static_cast<double>(spec.width) / columns;
  const double cell_h = static_cast<double>(spec.height) / rows;
  // This sample's jitter.
  const Vec rest{(spec.class_index % columns + 0.5 + rng.uniform(-0.08, 0.08)) * cell_w,
                 (spec.class_index / columns + 0.5 + rng.uniform(-0.08, 0.08)) * cell_h};
  const double tilt = kPi * spec.class_index / spec.class_num + rng.uniform(-0.12, 0.12);
  const double half_length = 0.28 * std::min(cell_w, cell_h) * rng.uniform(0.85, 1.15);
  const double phase = rng.uniform(0, 2 * kPi);
  const Vec along{portable_cos(tilt), portable_sin(tilt)};
  const Vec normal{-along.y, along.x};

  const auto n = static_cast<std::uint64_t>(spec.events);
  for (std::uint64_t i = 0; i < n; ++i) {
    SynthEvent e;
    e.t = stratified_time(rng, spec.start_us, spec.duration_us, i, n);
    if (rng.chance(kNoiseShare)) {
      e.x = static_cast<std::uint16_t>(rng.below(static_cast<std::uint64_t>(spec.width)));
      e.y = static_cast<std::uint16_t>(rng.below(static_cast<std::uint64_t>(spec.height)));
      e.p = static_cast<std::uint8_t>(rng.below(2));
      out.push_back(e);
      continue;
    }
    const double u = static_cast<double>(e.t - spec.start_us) / static_cast<double>(spec.duration_us);
    const Vec at = path(spec.motion, u, phase);
    const Vec ahead = path(spec.motion, u + 1e-3, phase);
    const double s = rng.uniform(-half_length, half_length);
    const double a = kHalfThickness * (rng.uniform() + rng.uniform() - 1);  // triangular across the bar
    const double x = rest.x + spec.amplitude * at.x + s * along.x + a * normal.x;
    const double y = rest.y + spec.amplitude * at.y + s * along.y + a * normal.y;
    // The side facing the motion brightens (ON), the one behind darkens.
    const double facing = normal.x * (ahead.x - at.x) + normal.y * (ahead.y - at.y);
    e.x = pixel(x, spec.width);
    e.y = pixel(y, spec.height);
    e.p = a * facing > 0 ? 1 : 0;
    out.push_back(e);
  }
}

}  // namespace plifkit
