// Reader for ASL-DVS's .mat files (MATLAB 5 files, read with libmatio).
//
// Each file holds four vectors of equal length: `ts` (microseconds), `x`
// (column, 0..239), `y` (row, 0..179) and `pol` (0 or 1), of any numeric
// MATLAB class (double, single, integers, logical), as column or row
// vectors. Orientation (orientation.hpp): reference keeps x and y as stored;
// sensor flips both (x = 239 - x, y = 179 - y), as current SpikingJelly
// does. (Tonic flips y only.)
#pragma once

#include <string>

#include "plifkit/events/event_buffer.hpp"
#include "plifkit/events/orientation.hpp"

namespace plifkit {

// Reads the file into `out` (reset first), file order, addresses on the
// 240x180 sensor. Throws, naming `path` (and the variable and element):
//   FormatError  not a MATLAB file libmatio can read;
//   InputError   a missing variable, one that is not a real numeric vector,
//                vectors of different lengths, a value that is not a whole
//                number in range (x, y inside the sensor, pol 0 or 1,
//                ts >= 0), a time before the previous event's.
void read_asldvs(const std::string& path, Orientation orientation, EventBuffer& out);

}  // namespace plifkit
