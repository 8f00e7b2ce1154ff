#include "plifkit/frames/frame_params.hpp"

#include "plifkit/core/error.hpp"

namespace plifkit::frames {

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
