// Trials-list parser: the input is the whole content of trials_to_train.txt
// or trials_to_test.txt. Accepted entries must name plain recording files:
// a non-empty stem without folder part or NUL byte, each listed once.
#include <cstdint>
#include <set>
#include <string_view>

#include "fuzz_support.hpp"
#include "plifkit/events/trials.hpp"

using namespace plifkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<TrialEntry> entries;
  if (!fuzz::only_plifkit_errors([&] { entries = parse_trials(text, "fuzz_trials.txt"); }))
    return 0;
  std::set<std::string> stems;
  std::uint32_t last_line = 0;
  for (const TrialEntry& e : entries) {
    fuzz::require(!e.stem.empty(), "stem is not empty");
    fuzz::require(e.stem.find('/') == std::string::npos, "stem has no folder part");
    fuzz::require(e.stem.find('\0') == std::string::npos, "stem has no NUL byte");
    fuzz::require(stems.insert(e.stem).second, "each recording listed once");
    fuzz::require(e.line > last_line, "line numbers increase");
    last_line = e.line;
  }
  return 0;
}
