// What every fuzz target shares: the rule that the library may only fail by
// throwing plifkit::Error (anything else escaping is a bug, reported as a
// crash), and scratch files in memory-backed storage for the readers that
// take a path.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

#include "plifkit/core/error.hpp"

namespace plifkit::fuzz {

// Prints why the input is a bug and aborts, so libFuzzer records a crash and
// keeps the input.
[[noreturn]] inline void bug(const std::string& what) {
  std::fprintf(stderr, "fuzz: BUG: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

// Runs fn; a plifkit::Error is a refusal (fine), any other exception a bug.
// Returns true when fn finished without throwing.
template <typename Fn>
bool only_plifkit_errors(Fn&& fn) {
  try {
    fn();
    return true;
  } catch (const Error&) {
    return false;
  } catch (const std::exception& e) {
    bug(std::string("exception that is not a plifkit::Error: ") + e.what());
  } catch (...) {
    bug("exception of unknown type");
  }
}

// Checks an invariant of a successful result.
inline void require(bool ok, const char* what) {
  if (!ok) bug(std::string("result breaks its contract: ") + what);
}

// A scratch path in /dev/shm (or $TMPDIR), unique per process so that
// parallel fuzzing jobs do not share it. Also caps the size of the files the
// process writes (256 MiB). Targets remove the file after each input.
std::string scratch_path(const char* tag);

}  // namespace plifkit::fuzz
