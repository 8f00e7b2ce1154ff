#include "plifkit/frames/frame_params.hpp"

#include <algorithm>
#include <cctype>

#include "plifkit/core/error.hpp"

namespace plifkit::frames {
namespace {

std::string lowercase(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

SplitBy parse_split_by(const std::string& text) {
  const std::string s = lowercase(text);
  if (s == "number") return SplitBy::number;
  if (s == "time") return SplitBy::time;
  throw UsageError("unknown split_by '" + text + "' (expected number or time)");
}

Normalization parse_normalization(const std::string& text) {
  const std::string s = lowercase(text);
  if (s == "none") return Normalization::none;
  if (s == "frequency") return Normalization::frequency;
  if (s == "max") return Normalization::max;
  if (s == "norm") return Normalization::norm;
  if (s == "sum") return Normalization::sum;
  throw UsageError("unknown normalization '" + text +
                   "' (expected None, frequency, max, norm or sum)");
}

const char* name_of(SplitBy split_by) { return split_by == SplitBy::number ? "number" : "time"; }

const char* name_of(Normalization normalization) {
  switch (normalization) {
    case Normalization::none: return "none";
    case Normalization::frequency: return "frequency";
    case Normalization::max: return "max";
    case Normalization::norm: return "norm";
    case Normalization::sum: return "sum";
  }
  return "?";
}

void validate(const FrameParams& params) {
  if (params.T < 1) throw UsageError("T must be at least 1 (got " + std::to_string(params.T) + ")");
  if (params.sensor.width < 1 || params.sensor.height < 1)
    throw UsageError("sensor size must be positive");
  // One sample is one HDF5 chunk, and chunks must stay below 4 GiB.
  const std::size_t bytes = params.sample_elements() * (params.stores_counts() ? 2 : 4);
  if (bytes >= (std::size_t{1} << 32))
    throw UsageError("T=" + std::to_string(params.T) + " makes one sample " +
                     std::to_string(bytes) + " bytes, above HDF5's 4 GiB chunk limit");
}

}  // namespace plifkit::frames
