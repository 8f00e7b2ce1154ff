// The split lists of DVS128 Gesture, trials_to_train.txt and
// trials_to_test.txt: one recording file name ("user01_fluorescent.aedat") per
// line; blank lines are ignored, CRLF is accepted.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace plifkit {

struct TrialEntry {
  std::string stem;        // "user01_fluorescent"
  std::uint32_t line = 0;  // 1-based line in the list, for messages
};

// Parses the text of a trials list; `path` names it in messages. Throws
// InputError "bad trials list 'path' line N: ..." for a name that is not a
// plain "<stem>.aedat" file name (no folder part, no blank or control byte)
// or that is listed twice.
std::vector<TrialEntry> parse_trials(std::string_view text, const std::string& path);

}  // namespace plifkit
