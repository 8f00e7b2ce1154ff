#include "plifkit/frames/fingerprint.hpp"

#include <cstdint>
#include <cstdio>

#include "plifkit/h5/names.hpp"

namespace plifkit::frames {
namespace {

void add_file(std::string& text, const std::string& path, const FileStamp& stamp) {
  text += path + " " + std::to_string(stamp.size) + " " + std::to_string(stamp.mtime_ns) + "\n";
}

std::uint64_t fnv1a64(const std::string& text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// The lines every fingerprint starts with.
std::string preamble(const FrameParams& params, const std::string& source_dir) {
  std::string text = std::string(names::frames::kFormatName) + " " +
                     std::to_string(names::frames::kVersion) + " revision " +
                     std::to_string(kConverterRevision) + "\n";
  text += "T " + std::to_string(params.T) + " split_by " + name_of(params.split_by) +
          " normalization " + name_of(params.normalization) + " sensor " +
          std::to_string(params.sensor.width) + "x" + std::to_string(params.sensor.height) + "\n";
  text += "source_dir " + source_dir + "\n";
  return text;
}

std::string digest(const std::string& text) {
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a64(text)));
  return std::string("fnv1a64:") + hex;
}

}  // namespace

std::string input_fingerprint(const DatasetListing& listing, const FrameParams& params,
                              const std::string& source_dir) {
  std::string text = preamble(params, source_dir);
  for (const SplitListing* split : {&listing.train, &listing.test}) {
    add_file(text, split->list_path, split->list);
    for (const auto& r : split->recordings) {
      add_file(text, r.aedat_path, r.aedat);
      add_file(text, r.labels_path, r.labels);
    }
  }
  return digest(text);
}

std::string input_fingerprint(const SampleListing& listing, Dataset dataset,
                              Orientation orientation, const FrameParams& params,
                              const std::string& source_dir) {
  std::string text = preamble(params, source_dir);
  text += std::string("dataset ") + name_of_choice(dataset) + " orientation " +
          name_of_choice(orientation) + "\n";
  for (const SampleSplit* split : {&listing.train, &listing.test})
    for (const SampleFile& f : split->files) add_file(text, f.path, f.stamp);
  return digest(text);
}

std::string input_fingerprint(const ImageListing& listing, Dataset dataset,
                              const std::string& source_dir) {
  std::string text = std::string(names::frames::kFormatName) + " " +
                     std::to_string(names::frames::kVersion) + " revision " +
                     std::to_string(kConverterRevision) + " images\n";
  text += std::string("dataset ") + name_of_choice(dataset) + "\nsource_dir " + source_dir + "\n";
  for (const ImageInput& in : listing.inputs) {
    add_file(text, in.path, in.stamp);
    if (!in.labels_path.empty()) add_file(text, in.labels_path, in.labels_stamp);
  }
  return digest(text);
}

}  // namespace plifkit::frames
