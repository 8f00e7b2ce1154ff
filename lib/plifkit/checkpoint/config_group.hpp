// A TrainConfig as the attributes of a checkpoint's /config group
// (formats.md section 2), written and read by walking the settings table.
#pragma once

#include <hdf5.h>

#include <string>

#include "plifkit/config/train_config.hpp"

namespace plifkit {

// Every stored setting as an attribute: integers int64, reals float64, flags
// uint8 0/1, choices by name. The frames settings must be set.
void write_config_attributes(hid_t group, const TrainConfig& config);

// The floor's attributes must be present; the others take their default when
// absent (a checkpoint written by another program or an earlier plifkit).
// The network's settings are validated. Throws FormatError naming `path`.
TrainConfig read_config_attributes(hid_t group, const std::string& path);

}  // namespace plifkit
