// frames_forge IN.h5 OUT.h5 HEIGHT WIDTH CLASS_NUM: copies a frames file
// (normalization none) into one with another sensor size and class count,
// for the must-fail rows that give a checkpoint frames it does not fit.
// aedat2frames always writes 128x128 and 11 classes, so such files can only
// be made here. Each sample keeps the top-left HEIGHT x WIDTH corner of its
// frames (zeros beyond 128); classes past the input's get the names
// "extra_<i>"; labels are kept (they must stay < CLASS_NUM).
#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <exception>
#include <vector>

#include "plifkit/frames/chunk_codec.hpp"
#include "plifkit/frames/frames_reader.hpp"
#include "plifkit/frames/frames_writer.hpp"

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: frames_forge IN.h5 OUT.h5 HEIGHT WIDTH CLASS_NUM\n");
    return 2;
  }
  try {
    namespace f = plifkit::frames;
    const f::FramesReader in(argv[1]);
    if (!in.stores_counts()) {
      std::fprintf(stderr, "frames_forge: '%s' is not normalization none\n", argv[1]);
      return 1;
    }
    f::FramesHeader h = in.header();
    const int H = std::atoi(argv[3]), W = std::atoi(argv[4]), classes = std::atoi(argv[5]);
    if (H < 1 || W < 1 || classes < 1 || classes > 255) {
      std::fprintf(stderr, "frames_forge: bad HEIGHT, WIDTH or CLASS_NUM\n");
      return 2;
    }
    const std::size_t h0 = static_cast<std::size_t>(h.height), w0 = static_cast<std::size_t>(h.width);
    const std::size_t h1 = static_cast<std::size_t>(H), w1 = static_cast<std::size_t>(W);
    h.height = H;
    h.width = W;
    for (int c = h.class_num; c < classes; ++c) h.class_names.push_back("extra_" + std::to_string(c));
    h.class_names.resize(static_cast<std::size_t>(classes));
    h.class_num = classes;
    f::FramesWriter out(argv[2], h, in.meta("train").size(), in.meta("test").size(), "forged");
    std::vector<std::uint16_t> src(in.sample_elements());
    const std::size_t planes = static_cast<std::size_t>(h.T) * 2;
    std::vector<std::uint16_t> dst(planes * h1 * w1);
    std::vector<std::uint8_t> scratch, chunk;
    for (const char* split : {"train", "test"}) {
      for (std::size_t i = 0; i < in.meta(split).size(); ++i) {
        in.read_counts(split, i, 1, src.data());
        std::fill(dst.begin(), dst.end(), 0);
        for (std::size_t p = 0; p < planes; ++p)
          for (std::size_t y = 0; y < h1 && y < h0; ++y)
            for (std::size_t x = 0; x < w1 && x < w0; ++x)
              dst[(p * h1 + y) * w1 + x] = src[(p * h0 + y) * w0 + x];
        f::encode_chunk(dst.data(), dst.size(), sizeof(std::uint16_t), scratch, chunk);
        out.write_sample(split, i, chunk);
      }
      out.write_meta(split, in.meta(split));
    }
    out.close();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "frames_forge: %s\n", e.what());
    return 1;
  }
  return 0;
}
