// floor_config CHECKPOINT: removes from the checkpoint's /config every
// attribute beyond formats.md's floor (the settings table's non-floor
// entries), making the checkpoint another program, or an earlier plifkit,
// could have written. Prints the names removed.
#include <hdf5.h>

#include <cstdio>

#include "plifkit/config/run_settings.hpp"
#include "plifkit/h5/h5.hpp"
#include "plifkit/h5/names.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: floor_config CHECKPOINT\n");
    return 2;
  }
  const hid_t file = H5Fopen(argv[1], H5F_ACC_RDWR, H5P_DEFAULT);
  if (file < 0) return 1;
  const hid_t config = H5Gopen2(file, plifkit::names::checkpoint::kConfig, H5P_DEFAULT);
  if (config < 0) return 1;
  int removed = 0;
  for (const plifkit::Setting& s : plifkit::run_settings()) {
    if (s.attribute == nullptr || s.floor || H5Aexists(config, s.attribute) <= 0) continue;
    if (H5Adelete(config, s.attribute) < 0) return 1;
    std::printf("%s\n", s.attribute);
    ++removed;
  }
  H5Gclose(config);
  return H5Fclose(file) < 0 || removed == 0 ? 1 : 0;
}
