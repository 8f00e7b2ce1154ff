// ASL-DVS reader: the input is a whole .mat file, written to a scratch path
// and read through libmatio. Only plifkit::Error may come out; an accepted
// file gives events on the 240x180 sensor with non-decreasing times, the
// same in both orientations up to the flip of both axes.
#include <cstdint>
#include <cstdio>
#include <vector>

#include "fuzz_support.hpp"
#include "plifkit/events/asldvs_reader.hpp"

using namespace plifkit;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = fuzz::scratch_path("asldvs.mat");
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) fuzz::bug("cannot write the scratch file");
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  static EventBuffer reference, sensor;
  const bool ok = fuzz::only_plifkit_errors([&] { read_asldvs(path, Orientation::reference, reference); });
  const bool ok_sensor = fuzz::only_plifkit_errors([&] { read_asldvs(path, Orientation::sensor, sensor); });
  std::remove(path.c_str());
  fuzz::require(ok == ok_sensor, "the orientations disagree on acceptance");
  if (!ok) return 0;
  const SensorSize s{240, 180};
  fuzz::require(reference.size() == sensor.size(), "event count");
  for (std::size_t i = 0; i < reference.size(); ++i) {
    const std::uint32_t a = reference.addr()[i];
    fuzz::require(a < 2 * s.pixels(), "address outside the frame");
    fuzz::require(i == 0 || reference.t()[i] >= reference.t()[i - 1], "time order");
    const std::uint32_t p = a / s.pixels(), y = a % s.pixels() / 240, x = a % 240;
    fuzz::require(sensor.addr()[i] == s.address(239 - x, 179 - y, p), "sensor orientation");
    fuzz::require(sensor.t()[i] == reference.t()[i], "event time");
  }
  return 0;
}
