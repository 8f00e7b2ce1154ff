#include "plifkit/config/frame_settings.hpp"

#include "plifkit/core/error.hpp"

namespace plifkit::frames {

SplitBy parse_split_by(const std::string& text) {
  if (const auto value = find_choice<SplitBy>(text)) return *value;
  throw UsageError("unknown split_by '" + text + "' (expected " + choice_list<SplitBy>() + ")");
}

Normalization parse_normalization(const std::string& text) {
  if (const auto value = find_choice<Normalization>(text)) return *value;
  throw UsageError("unknown normalization '" + text + "' (expected " + choice_list<Normalization>() + ")");
}

const char* name_of(SplitBy split_by) { return name_of_choice(split_by); }

const char* name_of(Normalization normalization) { return name_of_choice(normalization); }

}  // namespace plifkit::frames
