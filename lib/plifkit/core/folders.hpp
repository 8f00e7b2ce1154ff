// Folders the writers create.
#pragma once

#include <string>

namespace plifkit {

// Creates the folder unless it exists. Throws IoError naming it.
void make_folder(const std::string& path);

}  // namespace plifkit
