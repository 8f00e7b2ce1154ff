// Typed errors thrown by the library. The library never prints or exits; each
// tool catches these in one place (tools/cli.cpp) and maps them to exit codes.
// Every message names the file (and offset or value) it is about.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>

namespace plifkit {

// Base of everything the library throws on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Input data that is wrong in content: a bad CSV row, an out-of-sensor event.
class InputError : public Error {
 public:
  using Error::Error;
};

// A file that is not of the expected format or version.
class FormatError : public Error {
 public:
  using Error::Error;
};

// The operating system refused: cannot open, read, write, rename.
class IoError : public Error {
 public:
  using Error::Error;
};

// A compute device that is unavailable or unsupported by this build.
class DeviceError : public Error {
 public:
  using Error::Error;
};

// A distributed run's process group could not be formed, or broke: a rank
// left, hung past the timeout, or failed.
class ProcessGroupError : public Error {
 public:
  using Error::Error;
};
// Options that contradict each other or the input files (exit code 2).
class UsageError : public Error {
 public:
  using Error::Error;
};

// The user asked to stop (SIGINT); work done so far was saved (exit code 130).
class Interrupted : public Error {
 public:
  using Error::Error;
};

// "'path'" as used in every message, so quoting is the same everywhere.
inline std::string quoted(const std::string& path) { return "'" + path + "'"; }

// "cannot decode 'path' at byte N: ", the start of every decoder's message.
inline std::string cannot_decode(const std::string& path, std::size_t offset) {
  return "cannot decode " + quoted(path) + " at byte " + std::to_string(offset) + ": ";
}

}  // namespace plifkit
