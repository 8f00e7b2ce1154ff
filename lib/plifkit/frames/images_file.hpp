// The `images` layout of the frames file (formats.md section 1), as
// FramesReader reads it: the header without T / split_by / normalization,
// and /train, /test holding `images` [N, C, H, W] uint8 with labels,
// source and segment.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "plifkit/frames/frames_reader.hpp"

namespace plifkit::frames::detail {

// Fills header's dataset-independent attributes of an images file (channels,
// height, width, class_num, class_names, source_dir). Throws FormatError
// naming the file.
void read_images_header(hid_t root, const std::string& path, FramesHeader& header);

// The metadata of one split after checking its images' shape, type and
// storage (chunked with deflate only, or without filters, or contiguous).
SplitMeta read_image_split(hid_t root, const std::string& path, const FramesHeader& header,
                           const std::string& split);

// Reads images [first, first + count) of a split (already range-checked)
// into dst, [count, C, H, W].
void read_image_range(hid_t root, const std::string& path, const FramesHeader& header,
                      const std::string& split, std::size_t first, std::size_t count,
                      std::uint8_t* dst);

}  // namespace plifkit::frames::detail
