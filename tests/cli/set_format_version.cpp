// set_format_version FILE N: rewrites the root attribute format_version of a
// stage file, as another tool writing to formats.md could have set it.
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "plifkit/h5/h5.hpp"
#include "plifkit/h5/names.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: set_format_version FILE N\n");
    return 2;
  }
  try {
    plifkit::h5::Handle file = plifkit::h5::open_file(argv[1], true);
    plifkit::h5::write_attr<std::int32_t>(file.id(), plifkit::names::kFormatVersion,
                                          std::atoi(argv[2]));
    plifkit::h5::close_file(file, argv[1]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "set_format_version: %s\n", e.what());
    return 1;
  }
  return 0;
}
