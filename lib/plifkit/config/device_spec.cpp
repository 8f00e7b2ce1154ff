#include "plifkit/config/device_spec.hpp"

#include "plifkit/core/setting_error.hpp"

namespace plifkit {

DeviceSpec parse_device(const std::string& text) {
  if (text == "cpu") return {};
  const std::string prefix = "cuda";
  auto refuse = [&]() -> DeviceSpec {
    throw SettingError("device", "must be cpu, cuda or cuda:N, got '" + text + "'");
  };
  if (text.compare(0, prefix.size(), prefix) != 0) return refuse();
  DeviceSpec spec;
  spec.cuda = true;
  if (text.size() == prefix.size()) return spec;
  const std::string number = text.substr(prefix.size() + 1);
  // Four digits at most: no machine has 10000 GPUs, and stoi cannot overflow.
  if (text[prefix.size()] != ':' || number.empty() || number.size() > 4 ||
      number.find_first_not_of("0123456789") != std::string::npos)
    return refuse();
  spec.index = std::stoi(number);
  return spec;
}

std::string name_of(const DeviceSpec& device) {
  if (!device.cuda) return "cpu";
  return device.index ? "cuda:" + std::to_string(*device.index) : "cuda";
}

}  // namespace plifkit
