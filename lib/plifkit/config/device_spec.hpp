// Where the network runs, as asked: cpu, cuda (the current CUDA device) or
// cuda:N. Parsed here without Torch; nn/device.hpp checks it against what
// the build and the machine have.
#pragma once

#include <optional>
#include <string>

namespace plifkit {

struct DeviceSpec {
  bool cuda = false;
  std::optional<int> index;  // cuda:N; none for "cuda" and "cpu"

  bool operator==(const DeviceSpec& other) const { return cuda == other.cuda && index == other.index; }
};

// Throws SettingError("device", "must be cpu, cuda or cuda:N, got '...'").
DeviceSpec parse_device(const std::string& text);
// "cpu", "cuda", "cuda:1"
std::string name_of(const DeviceSpec& device);

}  // namespace plifkit
