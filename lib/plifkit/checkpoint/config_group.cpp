#include "plifkit/checkpoint/config_group.hpp"

#include <cstdint>

#include "plifkit/config/run_settings.hpp"
#include "plifkit/h5/h5.hpp"

namespace plifkit {

void write_config_attributes(hid_t group, const TrainConfig& config) {
  for (const Setting& s : run_settings()) {
    if (s.attribute == nullptr) continue;
    const SettingValue v = s.get(config);
    if (std::holds_alternative<std::monostate>(v)) continue;  // split_by of a run on images
    switch (s.type) {
      case SettingType::integer: h5::write_attr<std::int64_t>(group, s.attribute, std::get<int64_t>(v)); break;
      case SettingType::real: h5::write_attr<double>(group, s.attribute, std::get<double>(v)); break;
      case SettingType::flag: h5::write_attr<std::uint8_t>(group, s.attribute, std::get<bool>(v) ? 1 : 0); break;
      case SettingType::choice:
      case SettingType::text: h5::write_attr_string(group, s.attribute, std::get<std::string>(v)); break;
    }
  }
}

TrainConfig read_config_attributes(hid_t group, const std::string& path) {
  TrainConfig config;
  const std::string where = quoted(path) + ": /config ";
  for (const Setting& s : run_settings()) {
    if (s.attribute == nullptr) continue;
    if (!h5::has_attr(group, s.attribute)) {
      // dataset_name comes before the events-only settings in the table.
      const bool images = row_of(config.net.dataset).kind == InputKind::images;
      if (s.floor && !(s.events_only && images))
        throw FormatError(where + "has no attribute '" + s.attribute + "'");
      continue;  // the default
    }
    try {
      switch (s.type) {
        case SettingType::integer: s.set(config, h5::read_attr<std::int64_t>(group, s.attribute)); break;
        case SettingType::real: s.set(config, h5::read_attr<double>(group, s.attribute)); break;
        case SettingType::flag: s.set(config, h5::read_attr<std::uint8_t>(group, s.attribute) != 0); break;
        case SettingType::choice:
        case SettingType::text: s.set(config, h5::read_attr_string(group, s.attribute)); break;
      }
    } catch (const SettingError& e) {
      throw FormatError(where + e.what());
    }
  }
  try {
    validate(config.net);
  } catch (const SettingError& e) {
    throw FormatError(where + e.what());
  }
  return config;
}

}  // namespace plifkit
