// A one-line progress report on stderr: done/total, rate and ETA, redrawn in
// place at most a few times a second. Silent unless enabled, which tools set
// from "stderr is a terminal and no --quiet" (progress_wanted()).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace plifkit {

// True when stderr is a terminal and the user did not ask for quiet.
bool progress_wanted(bool quiet);

class Progress {
 public:
  // label: what is counted ("recordings", "batches"); total may be 0 (unknown).
  Progress(std::string label, std::uint64_t total, bool enabled);
  ~Progress();

  // done: units finished so far; detail: extra text such as "41.2 Mev/s".
  void update(std::uint64_t done, const std::string& detail = "");
  // Erases the line (so the next message starts on a clean line).
  void finish();

  bool enabled() const { return enabled_; }
  double seconds() const;

 private:
  std::string label_;
  std::uint64_t total_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

// "1.23 s", "4 min 05 s", "2 h 03 min": durations people read at a glance.
std::string format_duration(double seconds);

}  // namespace plifkit
