// The machine's physical memory, for decisions such as "do the frames fit".
#pragma once

#include <cstddef>

namespace plifkit {

// Bytes of physical memory; 0 when the system does not say.
std::size_t physical_memory_bytes();

}  // namespace plifkit
