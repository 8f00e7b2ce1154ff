// Mathematical constants, defined once for the CPU and CUDA code alike.
#pragma once

namespace plifkit {

inline constexpr double kPi = 3.14159265358979323846;

}  // namespace plifkit
