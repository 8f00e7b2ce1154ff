// An error about one named setting. The library names settings as the seed
// does (`T`, `amp`); how a setting is spelled where it came from (`--T` on a
// command line, an attribute of a file) is the caller's business: the tools
// print "--" before the message, readers of files wrap it with the path.
#pragma once

#include <string>

#include "plifkit/core/error.hpp"

namespace plifkit {

class SettingError : public UsageError {
 public:
  // what(): "<setting> <problem>", e.g. "amp must be off, bf16 or fp16, got 'int8'".
  SettingError(const std::string& setting, const std::string& problem)
      : UsageError(setting + " " + problem), setting_(setting) {}
  const std::string& setting() const { return setting_; }

 private:
  std::string setting_;
};

}  // namespace plifkit
