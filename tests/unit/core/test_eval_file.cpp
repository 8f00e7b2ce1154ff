// read_eval_file by round trip through write_eval_file, and its refusals of
// files whose parts disagree.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <functional>

#include "plifkit/analysis/eval_file.hpp"
#include "plifkit/core/error.hpp"
#include "plifkit/h5/h5.hpp"
#include "plifkit/h5/names.hpp"

namespace plifkit::analysis {
namespace {

namespace n = names::eval;

// Three samples of three classes over two steps; sample 2 is misclassified.
Evaluation small_evaluation() {
  Evaluation e;
  e.checkpoint = "runs/a/checkpoint_max.h5";
  e.frames = "frames.h5";
  e.split = "test";
  EvalRun& r = e.run;
  r.T = 2;
  r.class_num = 3;
  r.vote_group = 2;
  r.class_names = {"a", "b", "c"};
  r.labels = {0, 2, 1};
  r.source = {"user01_led", "user01_led", "user02_lab"};
  r.segment = {0, 1, 0};
  // votes[(t * N + n) * C + c]
  r.votes = {4, 0, 0, 0, 1, 3, 2, 2, 0,    // t = 0
             6, 1, 0, 0, 2, 5, 4, 2, 0};   // t = 1
  r.layers = {{"conv.2", 10, 72, 4.0}, {"fc.6", 3, 0, 6.0}};
  e.summary = summarize(r);
  return e;
}

std::string temp_name(const char* tag) {
  return testing::TempDir() + "plifkit_evalfile_" + tag + "_" + std::to_string(::getpid()) + ".h5";
}

TEST(EvalFileRead, RoundTrip) {
  const std::string path = temp_name("rt");
  const Evaluation e = small_evaluation();
  for (bool per_step : {false, true}) {
    {
      AtomicOutput out(path);
      write_eval_file(out, e, per_step);
    }
    const EvalFileContent got = read_eval_file(path);
    EXPECT_EQ(got.checkpoint, e.checkpoint);
    EXPECT_EQ(got.frames, e.frames);
    EXPECT_EQ(got.split, e.split);
    EXPECT_EQ(got.accuracy, 2.0 / 3.0);
    EXPECT_EQ(got.class_num, 3u);
    EXPECT_EQ(got.class_names, e.run.class_names);
    EXPECT_EQ(got.counts, e.summary.counts);
    EXPECT_EQ(got.predicted, (std::vector<std::uint8_t>{0, 2, 0}));
    EXPECT_EQ(got.labels, e.run.labels);
    EXPECT_EQ(got.source, e.run.source);
    EXPECT_EQ(got.segment, e.run.segment);
    EXPECT_EQ(got.confusion, e.summary.confusion);
    EXPECT_EQ(got.samples(), 3u);
    EXPECT_EQ(got.accuracy_by_step, per_step ? e.summary.accuracy_by_step : std::vector<double>{});
    EXPECT_EQ(got.neuron_layers, (std::vector<std::string>{"conv.2", "fc.6"}));
    EXPECT_EQ(got.fan_out, (std::vector<std::uint64_t>{72, 0}));
    EXPECT_EQ(got.firing_rate.size(), 2u);
    EXPECT_EQ(got.synops.size(), 2u);
  }
  std::remove(path.c_str());
}

// The valid file, one change, and the part of the message expected.
void expect_refused(const std::function<void(hid_t)>& damage, const std::string& reason) {
  const std::string path = temp_name("bad");
  {
    AtomicOutput out(path);
    write_eval_file(out, small_evaluation(), true);
  }
  {
    h5::Handle f = h5::open_file(path, true);
    damage(f.id());
    h5::close_file(f, path);
  }
  try {
    read_eval_file(path);
    ADD_FAILURE() << "no error, expected: " << reason;
  } catch (const FormatError& err) {
    const std::string msg = err.what();
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
    EXPECT_NE(msg.find(reason), std::string::npos) << msg;
  }
  std::remove(path.c_str());
}

void replace(hid_t f, const char* name, const std::vector<std::uint8_t>& values) {
  H5Ldelete(f, name, H5P_DEFAULT);
  h5::write_vector(f, name, values);
}

TEST(EvalFileRead, RefusesInconsistentFiles) {
  expect_refused([](hid_t f) { h5::write_attr_string(f, names::kFormat, "plif-frames"); },
                 "expected plif-eval");
  expect_refused([](hid_t f) { h5::write_attr<double>(f, n::kAccuracy, 1.5); },
                 "attribute 'accuracy' is 1.500000, not in [0, 1]");
  expect_refused([](hid_t f) { replace(f, n::kLabels, {0, 2}); },
                 "/labels has 2 entries, expected 3");
  expect_refused([](hid_t f) { replace(f, n::kPredicted, {0, 3, 0}); },
                 "sample 1: label 2 or prediction 3 is not below class_num 3");
  expect_refused([](hid_t f) { replace(f, n::kPredicted, {0, 2, 1}); },
                 "/confusion does not match /labels and /predicted");
  expect_refused(
      [](hid_t f) {
        H5Ldelete(f, n::kConfusion, H5P_DEFAULT);
        const std::vector<std::uint32_t> c(6, 0);
        h5::write_dataset<std::uint32_t>(f, n::kConfusion, {3, 2}, c.data());
      },
      "/confusion is not shaped [3, 3]");
  expect_refused([](hid_t f) { h5::write_attr_strings(f, n::kClassNames, {"a"}); },
                 "attribute 'class_names' has 1 entries, class_num is 3");
  expect_refused(
      [](hid_t f) {
        H5Ldelete(f, n::kSynops, H5P_DEFAULT);
        h5::write_vector<double>(f, n::kSynops, {1, 2, 3});
      },
      "/synops has 3 entries, expected 2");
  expect_refused([](hid_t f) { H5Ldelete(f, n::kSource, H5P_DEFAULT); },
                 "missing dataset 'source'");
}

}  // namespace
}  // namespace plifkit::analysis
