// Labels CSV parser: the input is the whole content of a "<stem>_labels.csv".
// Accepted rows must keep the documented contract (class below class_num,
// end not before start, increasing line numbers).
#include <cstdint>
#include <string_view>

#include "fuzz_support.hpp"
#include "plifkit/datasets/registry.hpp"
#include "plifkit/events/labels.hpp"

using namespace plifkit;

namespace {
const int kClassNum = static_cast<int>(row_of(Dataset::DVS128Gesture).class_num);
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<LabelRow> rows;
  if (!fuzz::only_plifkit_errors([&] {
        rows = parse_labels(text, "fuzz_labels.csv", kClassNum);
      }))
    return 0;
  std::uint32_t last_line = 1;  // the header
  for (const LabelRow& r : rows) {
    fuzz::require(r.label < kClassNum, "label below class_num");
    fuzz::require(r.t_end >= r.t_start, "window end not before its start");
    fuzz::require(r.line > last_line, "line numbers increase");
    last_line = r.line;
  }
  return 0;
}
