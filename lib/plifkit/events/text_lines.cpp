#include "plifkit/events/text_lines.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "plifkit/core/error.hpp"

namespace plifkit {

std::string read_text_file(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) throw IoError("cannot open " + quoted(path) + ": " + std::strerror(errno));
  std::string text;
  char buf[65536];
  std::size_t got;
  while ((got = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, got);
  const bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) throw IoError("cannot read " + quoted(path));
  return text;
}

}  // namespace plifkit
