// frames_check FRAMES.h5: prints a frames file's samples as text for the
// command-line tests, one line each:
//
//   <split> <source> <segment> <label> <t_start> <t_end> <event_count> <sum>
//
// where <sum> adds up all frame values of the sample (event counts when the
// normalization is none; "-" otherwise). Opening through FramesReader also
// checks the shapes and types of formats.md section 1.
#include <cinttypes>
#include <cstdio>
#include <exception>
#include <vector>

#include "plifkit/frames/frames_reader.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: frames_check FRAMES.h5\n");
    return 2;
  }
  try {
    const plifkit::frames::FramesReader reader(argv[1]);
    std::vector<std::uint16_t> counts(reader.sample_elements());
    for (const char* split : {"train", "test"}) {
      const auto& m = reader.meta(split);
      for (std::size_t i = 0; i < m.size(); ++i) {
        std::printf("%s %s %" PRIu32 " %u %" PRIu64 " %" PRIu64 " %" PRIu64, split,
                    m.source[i].c_str(), m.segment[i], static_cast<unsigned>(m.labels[i]),
                    m.t_start[i], m.t_end[i], m.event_count[i]);
        if (!reader.stores_counts()) {
          std::printf(" -\n");
          continue;
        }
        reader.read_counts(split, i, 1, counts.data());
        std::uint64_t sum = 0;
        for (const std::uint16_t v : counts) sum += v;
        std::printf(" %" PRIu64 "\n", sum);
      }
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "frames_check: %s\n", e.what());
    return 1;
  }
  return 0;
}
