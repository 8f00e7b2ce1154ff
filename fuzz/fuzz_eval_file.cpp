// Evaluation file reader (read_eval_file), structure-aware: each input first
// picks a valid small evaluation (written by write_eval_file from a
// summarised EvalRun, with or without per-step accuracy), then a sequence of
// mutations (h5_mutations.hpp). The reader must refuse with a plifkit::Error
// or return what its header promises.
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "h5_mutations.hpp"
#include "plifkit/analysis/eval_file.hpp"
#include "plifkit/h5/names.hpp"

using namespace plifkit;
using namespace plifkit::analysis;

namespace {

namespace n = names::eval;

struct Base {
  Evaluation e;
  bool per_step = false;
};

Base pick_base(FuzzedDataProvider& in) {
  Base b;
  EvalRun& r = b.e.run;
  r.T = in.ConsumeIntegralInRange(1, 3);
  r.class_num = in.ConsumeIntegralInRange(1, 4);
  r.vote_group = in.ConsumeIntegralInRange(1, 2);
  for (int c = 0; c < r.class_num; ++c) r.class_names.push_back("class_" + std::to_string(c));
  const std::size_t N = in.ConsumeIntegralInRange<std::size_t>(1, 4);
  for (std::size_t i = 0; i < N; ++i) {
    r.labels.push_back(static_cast<std::uint8_t>(i % static_cast<std::size_t>(r.class_num)));
    r.source.push_back("user0" + std::to_string(i + 1) + "_led");
    r.segment.push_back(static_cast<std::uint32_t>(i));
  }
  const std::size_t C = static_cast<std::size_t>(r.class_num);
  r.votes.assign(static_cast<std::size_t>(r.T) * N * C, 0);
  for (std::size_t t = 0; t < static_cast<std::size_t>(r.T); ++t)
    for (std::size_t v = 0; v < N * C; ++v)
      r.votes[t * N * C + v] = static_cast<std::uint32_t>((t + 1) * ((v * 7) % 5));
  r.layers = {{"conv.2", 16, 36, 5.0}, {"fc.3", 8, 4, 2.0}, {"fc.6", 4, 0, 1.0}};
  b.e.checkpoint = "runs/a/checkpoint.h5";
  b.e.frames = "frames.h5";
  b.e.split = "test";
  b.e.summary = summarize(r);
  b.per_step = in.ConsumeBool();
  return b;
}

fuzz::H5Shape shape_of(const Base& b) {
  fuzz::H5Shape s;
  for (const char* d : {n::kCounts, n::kPredicted, n::kLabels, n::kSource, n::kSegment,
                        n::kConfusion, n::kAccuracyByStep, n::kFiringRate, n::kSynops,
                        n::kNeuronLayers, n::kFanOut})
    s.objects.push_back("/" + std::string(d));
  for (const char* a : {names::kFormat, names::kFormatVersion, n::kCheckpoint, n::kFrames,
                        n::kSplit, n::kAccuracy, n::kClassNames})
    s.attributes.emplace_back("/", a);
  s.words = {n::kFormatName, "plif-frames", "test", "", "conv.2"};
  s.numbers = {b.e.run.samples(), static_cast<std::uint64_t>(b.e.run.class_num),
               static_cast<std::uint64_t>(b.e.run.T), b.e.run.layers.size()};
  return s;
}

void check(const EvalFileContent& e) {
  const std::size_t N = e.samples(), C = e.class_num;
  fuzz::require(C >= 1, "class_num >= 1");
  fuzz::require(e.counts.size() / C == N && e.counts.size() % C == 0, "counts [N, C]");
  fuzz::require(e.predicted.size() == N && e.source.size() == N && e.segment.size() == N,
                "per-sample datasets of N entries");
  fuzz::require(e.confusion.size() / C == C && e.confusion.size() % C == 0, "confusion [C, C]");
  fuzz::require(e.class_names.empty() || e.class_names.size() == C, "class_names C entries");
  fuzz::require(e.accuracy >= 0 && e.accuracy <= 1, "accuracy in [0, 1]");
  for (std::size_t i = 0; i < N; ++i)
    fuzz::require(e.labels[i] < C && e.predicted[i] < C, "class indices below C");
  std::uint64_t total = 0;
  for (std::uint32_t v : e.confusion) total += v;
  fuzz::require(total == N, "confusion counts every sample once");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = fuzz::scratch_path("eval");
  FuzzedDataProvider in(data, size);
  const Base base = pick_base(in);
  if (!fuzz::only_plifkit_errors([&] {
        AtomicOutput out(path);
        write_eval_file(out, base.e, base.per_step);
      }))
    fuzz::bug("the harness cannot write its valid evaluation file");
  fuzz::mutate_file(path, shape_of(base), in);

  fuzz::only_plifkit_errors([&] { check(read_eval_file(path)); });
  if (fuzz::open_h5_objects() != 0) fuzz::bug("read_eval_file left HDF5 objects open");
  std::remove(path.c_str());
  return 0;
}
