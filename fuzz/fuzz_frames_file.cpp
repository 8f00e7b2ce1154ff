// Frames file reader (FramesReader), structure-aware: each input first picks
// a valid small frames file (written by FramesWriter, counts or float32), then
// a sequence of mutations of its attributes, datasets and groups
// (h5_mutations.hpp); the reader must refuse the result with a plifkit::Error
// or accept it and keep its promises (consistent metadata, labels below
// class_num, samples readable into buffers of the advertised size).
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "h5_mutations.hpp"
#include "plifkit/frames/chunk_codec.hpp"
#include "plifkit/frames/frames_reader.hpp"
#include "plifkit/frames/frames_writer.hpp"
#include "plifkit/h5/names.hpp"

using namespace plifkit;
using namespace plifkit::frames;

namespace {

namespace n = names::frames;

// Samples are only read back when they fit in this many elements: the
// harness's buffer, not the reader's, is what a huge header would blow up.
constexpr std::size_t kMaxReadElements = 1 << 20;

struct Base {
  FramesHeader header;
  std::size_t train = 0, test = 0;
};

Base pick_base(FuzzedDataProvider& in) {
  Base b;
  FramesHeader& h = b.header;
  h.dataset = Dataset::DVS128Gesture;
  h.T = in.ConsumeIntegralInRange(1, 3);
  h.split_by = in.ConsumeBool() ? frames::SplitBy::number : frames::SplitBy::time;
  h.normalization = in.ConsumeBool() ? frames::Normalization::none : frames::Normalization::max;
  h.height = in.ConsumeIntegralInRange(1, 4);
  h.width = in.ConsumeIntegralInRange(1, 4);
  h.class_num = in.ConsumeIntegralInRange(1, 3);
  for (int c = 0; c < h.class_num; ++c) h.class_names.push_back("class_" + std::to_string(c));
  h.source_dir = "fuzz";
  b.train = in.ConsumeIntegralInRange<std::size_t>(1, 3);
  b.test = in.ConsumeIntegralInRange<std::size_t>(1, 2);
  return b;
}

SplitMeta meta_of(std::size_t samples, int class_num) {
  SplitMeta m;
  for (std::size_t i = 0; i < samples; ++i) {
    m.labels.push_back(static_cast<std::uint8_t>(i % static_cast<std::size_t>(class_num)));
    m.source.push_back("user0" + std::to_string(i / 2 + 1) + "_led");
    m.segment.push_back(static_cast<std::uint32_t>(i));
    m.t_start.push_back(1000 * i);
    m.t_end.push_back(1000 * i + 500);
    m.event_count.push_back(7 * i);
  }
  return m;
}

void write_base(const std::string& path, const Base& b) {
  FramesWriter w(path, b.header, b.train, b.test, "fuzz");
  const std::size_t elems = static_cast<std::size_t>(b.header.T) * 2 * b.header.height *
                            b.header.width;
  std::vector<std::uint8_t> scratch, chunk;
  const bool counts = b.header.normalization == frames::Normalization::none;
  std::vector<std::uint16_t> c(elems);
  std::vector<float> f(elems);
  for (std::size_t i = 0; i < elems; ++i) {
    c[i] = static_cast<std::uint16_t>(i % 5);
    f[i] = static_cast<float>(i % 5) / 4;
  }
  if (counts)
    encode_chunk(c.data(), elems, 2, scratch, chunk);
  else
    encode_chunk(f.data(), elems, 4, scratch, chunk);
  for (std::size_t i = 0; i < b.train; ++i) w.write_sample(n::kTrain, i, chunk);
  for (std::size_t i = 0; i < b.test; ++i) w.write_sample(n::kTest, i, chunk);
  w.write_meta(n::kTrain, meta_of(b.train, b.header.class_num));
  w.write_meta(n::kTest, meta_of(b.test, b.header.class_num));
  w.close();
}

fuzz::H5Shape shape_of(const Base& b) {
  fuzz::H5Shape s;
  s.objects = {"/train", "/test"};
  for (const char* split : {"/train/", "/test/"})
    for (const char* d : {n::kFrames, n::kLabels, n::kSource, n::kSegment, n::kTStart, n::kTEnd,
                          n::kEventCount})
      s.objects.push_back(split + std::string(d));
  for (const char* a : {names::kFormat, names::kFormatVersion, n::kDataset, n::kT, n::kSplitBy,
                        n::kNormalization, n::kHeight, n::kWidth, n::kClassNum, n::kClassNames,
                        n::kSourceDir})
    s.attributes.emplace_back("/", a);
  s.words = {n::kFormatName, "plif-checkpoint", "none", "max", "None", "frequency", "number",
             "time", "", "user01_led"};
  const FramesHeader& h = b.header;
  s.numbers = {static_cast<std::uint64_t>(h.T), static_cast<std::uint64_t>(h.height),
               static_cast<std::uint64_t>(h.width), static_cast<std::uint64_t>(h.class_num),
               b.train, b.test};
  return s;
}

// Reads samples [first, first + count) both ways into buffers of exactly the
// advertised size (ASan reports any write past them).
void read_back(const FramesReader& r, const std::string& split, std::size_t first,
               std::size_t count) {
  const std::size_t elems = r.sample_elements();
  if (count == 0 || elems > kMaxReadElements / count) return;
  std::vector<float> f(elems * count);
  fuzz::only_plifkit_errors([&] { r.read_float(split, first, count, f.data()); });
  if (r.stores_counts()) {
    std::vector<std::uint16_t> c(elems * count);
    fuzz::only_plifkit_errors([&] { r.read_counts(split, first, count, c.data()); });
  }
}

void check_accepted(const FramesReader& r) {
  const FramesHeader& h = r.header();
  fuzz::require(h.T >= 1 && h.height >= 1 && h.width >= 1 && h.class_num >= 1,
                "positive T, height, width, class_num");
  fuzz::require(h.class_names.size() == static_cast<std::size_t>(h.class_num),
                "class_num class names");
  fuzz::require(r.sample_elements() / static_cast<std::size_t>(h.T) / 2 /
                        static_cast<std::size_t>(h.height) ==
                    static_cast<std::size_t>(h.width),
                "sample_elements() is T * 2 * H * W without overflow");
  for (const char* split : {n::kTrain, n::kTest}) {
    const SplitMeta& m = r.meta(split);
    const std::size_t N = m.size();
    fuzz::require(m.source.size() == N && m.segment.size() == N && m.t_start.size() == N &&
                      m.t_end.size() == N && m.event_count.size() == N,
                  "metadata columns of equal length");
    for (std::uint8_t label : m.labels) fuzz::require(label < h.class_num, "labels below class_num");
    read_back(r, split, 0, 1);
    if (N > 0) read_back(r, split, N - 1, 1);
    read_back(r, split, 0, N);
    read_back(r, split, N, 1);  // past the end: a UsageError
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = fuzz::scratch_path("frames");
  FuzzedDataProvider in(data, size);
  const Base base = pick_base(in);
  if (!fuzz::only_plifkit_errors([&] { write_base(path, base); }))
    fuzz::bug("the harness cannot write its valid frames file");
  fuzz::mutate_file(path, shape_of(base), in);

  fuzz::only_plifkit_errors([&] {
    const FramesReader reader(path);
    check_accepted(reader);
  });
  if (fuzz::open_h5_objects() != 0) fuzz::bug("the reader left HDF5 objects open");
  std::remove(path.c_str());
  return 0;
}
