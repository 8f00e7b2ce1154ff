// The one table of training settings. Each entry says, once: the name (the
// reference's argument name, also plif-train's option), the type, the help
// text, where the value comes from, whether it belongs to the run's
// identity, and its /config attribute. plif-train's options, the /config
// writer and reader, the resume check and the frames checks all walk this
// table; adding a setting is one entry here plus the code that uses it.
// The default of a setting is the TrainConfig member's initial value.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "plifkit/config/train_config.hpp"

namespace plifkit {

// A setting's value in untyped form: none (an optional setting left to the
// frames file), an integer, a real, a flag, or text (choices by name).
using SettingValue = std::variant<std::monostate, int64_t, double, bool, std::string>;

enum class SettingType { integer, real, flag, choice, text };

enum class SettingSource {
  option,       // the command line, or the default
  frames,       // the frames file decides; a value given must agree with it
  frames_only,  // the frames file decides; not an option (height, width, class_num)
};

struct Setting {
  const char* name;
  bool reference;         // an argument of the seed's train_val.py (else plifkit's own)
  SettingType type;
  SettingSource source;
  bool required;          // an option without a default
  bool identity;          // a resume with another value is refused
  const char* attribute;  // in /config (h5/names.hpp); nullptr: not stored
  bool floor;             // formats.md lists it: every checkpoint has it
  // Describes event frames (split_by, normalization): a run on images has
  // none, and its checkpoint need not either.
  bool events_only;
  std::string help;       // choices are listed from their enum
  std::function<SettingValue(const TrainConfig&)> get;
  // Throws SettingError naming the setting for a choice it does not know.
  std::function<void(TrainConfig&, const SettingValue&)> set;
};

// In the order plif-train's --help lists them.
const std::vector<Setting>& run_settings();

// Text of a value: as it is written on a command line and in messages
// ("2", "0.01", "True", "number"); empty for none.
std::string to_text(const SettingValue& value);

// Command-line text to the setting's value. Throws SettingError
// ("batch_size must be an integer, got 'x'").
SettingValue parse_text(const Setting& setting, const std::string& text);

// One setting on which two configurations differ, its values as text.
struct SettingDifference {
  std::string name;
  std::string a, b;
};

// The settings `which` selects on which a and b differ, in table order.
// This one comparison serves the resume check, the frames checks of
// plif-train and the fit check of plif-eval.
std::vector<SettingDifference> differences(const TrainConfig& a, const TrainConfig& b,
                                           const std::function<bool(const Setting&)>& which);
// "name a vs b, name a vs b"
std::string describe(const std::vector<SettingDifference>& differences);

// Selections for differences().
bool defines_the_run(const Setting& s);     // identity
bool decided_by_frames(const Setting& s);   // source frames or frames_only
// What a frames file of this kind decides: for an images file T is the
// run's own (the file has none) and the events-only settings do not apply.
bool decided_by_frames_of(const Setting& s, InputKind kind);

}  // namespace plifkit
