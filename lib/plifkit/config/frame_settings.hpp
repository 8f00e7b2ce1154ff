// How the events of one sample are split into frames and normalised: the
// seed's `-split_by` and `-normalization` settings. They sit here, below
// frames/, because a run's configuration carries them as well as the frames
// file (names are those of the seed's options; files store them lowercase).
#pragma once

#include <array>
#include <string>

#include "plifkit/core/choice.hpp"

namespace plifkit::frames {

enum class SplitBy { number, time };
enum class Normalization { none, frequency, max, norm, sum };

}  // namespace plifkit::frames

namespace plifkit {
template <>
struct Choices<frames::SplitBy> {
  static constexpr std::array<Choice<frames::SplitBy>, 2> all{
      {{frames::SplitBy::number, "number"}, {frames::SplitBy::time, "time"}}};
};
template <>
struct Choices<frames::Normalization> {
  static constexpr std::array<Choice<frames::Normalization>, 5> all{
      {{frames::Normalization::none, "none"},
       {frames::Normalization::frequency, "frequency"},
       {frames::Normalization::max, "max"},
       {frames::Normalization::norm, "norm"},
       {frames::Normalization::sum, "sum"}}};
};

}  // namespace plifkit

namespace plifkit::frames {

// Case-insensitive: "number", "time". Throws UsageError naming the accepted values.
SplitBy parse_split_by(const std::string& text);
// Case-insensitive: "none" (the seed writes "None"), "frequency", "max",
// "norm", "sum". Throws UsageError naming the accepted values.
Normalization parse_normalization(const std::string& text);

// The names stored in the frames file: "number", "none", ...
const char* name_of(SplitBy split_by);
const char* name_of(Normalization normalization);

}  // namespace plifkit::frames
