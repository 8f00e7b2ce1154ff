// The cache key of a frames file: a digest of everything its content depends
// on (the conversion parameters, the source folder as given, and the size and
// modification time of every input file). Stored in the file's
// input_fingerprint attribute; an output whose key matches is up to date.
#pragma once

#include <string>

#include "plifkit/datasets/registry.hpp"
#include "plifkit/events/dataset_listing.hpp"
#include "plifkit/events/orientation.hpp"
#include "plifkit/events/sample_files.hpp"
#include "plifkit/frames/frame_params.hpp"
#include "plifkit/images/image_datasets.hpp"

namespace plifkit::frames {

// Raise when the conversion changes its output for the same inputs, so that
// files made by an older build are rebuilt.
inline constexpr int kConverterRevision = 1;

// "fnv1a64:<16 hex digits>" of a canonical text listing all the above.
std::string input_fingerprint(const DatasetListing& listing, const FrameParams& params,
                              const std::string& source_dir);
// The same for a one-file-per-sample dataset, which also depends on the
// dataset and the orientation.
std::string input_fingerprint(const SampleListing& listing, Dataset dataset,
                              Orientation orientation, const FrameParams& params,
                              const std::string& source_dir);
// The same for an image dataset, which has no frame parameters.
std::string input_fingerprint(const ImageListing& listing, Dataset dataset,
                              const std::string& source_dir);

}  // namespace plifkit::frames
