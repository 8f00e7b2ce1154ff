// What plif-eval derives from the network's votes, on outputs written by
// hand: lowest-index ties, accuracy, per-class accuracy, confusion matrix,
// the per-step curve, firing rates and synops; the evaluation file by round
// trip; the JSON and table renderings.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "plifkit/analysis/eval_file.hpp"
#include "plifkit/analysis/eval_report.hpp"
#include "plifkit/analysis/eval_summary.hpp"
#include "plifkit/model/layout.hpp"
#include "plifkit/core/error.hpp"
#include "plifkit/h5/h5.hpp"
#include "plifkit/h5/names.hpp"
#include "plifkit/h5/stage_file.hpp"

namespace plifkit::analysis {
namespace {

// 4 samples, 4 classes (the last without samples), 2 steps, groups of 10.
EvalRun hand_run() {
  EvalRun r;
  r.T = 2;
  r.class_num = 4;
  r.vote_group = 10;
  r.class_names = {"a", "b", "c", "d"};
  r.labels = {0, 1, 2, 1};
  r.source = {"user01_led", "user01_led", "user02_led", "user02_led"};
  r.segment = {0, 1, 0, 1};
  r.votes = {
      // step 0: predicted 0 (3 > 1), 0 (all tie), 2, 1
      3, 1, 0, 0,  //
      0, 0, 0, 0,  //
      0, 0, 4, 0,  //
      1, 2, 0, 0,  //
      // steps 0..1: predicted 0 (tie 0/1), 1 (tie 1/2), 0, 0
      5, 5, 2, 0,  //
      2, 7, 7, 0,  //
      9, 0, 8, 0,  //
      4, 3, 0, 0};
  r.layers = {{"conv.2", 100, 72, 400.0}, {"fc.6", 30, 0, 24.0}};
  return r;
}

TEST(EvalSummary, PredictTakesTheLowestIndexOnTies) {
  const std::uint32_t tie[] = {3, 5, 5};
  const std::uint32_t zeros[] = {0, 0, 0};
  const std::uint32_t last[] = {1, 0, 2};
  EXPECT_EQ(predict(tie, 3), 1);
  EXPECT_EQ(predict(zeros, 3), 0);
  EXPECT_EQ(predict(last, 3), 2);
}

TEST(EvalSummary, EverythingFollowsFromTheVotes) {
  const EvalSummary s = summarize(hand_run());
  EXPECT_EQ(s.predicted, (std::vector<std::uint8_t>{0, 1, 0, 0}));
  EXPECT_EQ(s.counts, (std::vector<float>{0.5f, 0.5f, 0.2f, 0.0f, 0.2f, 0.7f, 0.7f, 0.0f,
                                          0.9f, 0.0f, 0.8f, 0.0f, 0.4f, 0.3f, 0.0f, 0.0f}));
  // Correct: samples 0 and 1.
  EXPECT_EQ(s.correct, 2u);
  EXPECT_EQ(s.accuracy, 0.5);
  EXPECT_EQ(s.confusion, (std::vector<std::uint32_t>{1, 0, 0, 0,  //
                                                     1, 1, 0, 0,  //
                                                     1, 0, 0, 0,  //
                                                     0, 0, 0, 0}));
  ASSERT_EQ(s.classes.size(), 4u);
  EXPECT_EQ(s.classes[1].name, "b");
  EXPECT_EQ(s.classes[1].samples, 2u);
  EXPECT_EQ(s.classes[1].correct, 1u);
  EXPECT_EQ(s.classes[0].accuracy, 1.0);
  EXPECT_EQ(s.classes[1].accuracy, 0.5);
  EXPECT_EQ(s.classes[2].accuracy, 0.0);
  EXPECT_TRUE(std::isnan(s.classes[3].accuracy));
  // Step 0 alone gets samples 0, 2 and 3 right.
  EXPECT_EQ(s.accuracy_by_step, (std::vector<double>{0.75, 0.5}));
  EXPECT_EQ(s.accuracy_by_step.back(), s.accuracy);
  ASSERT_EQ(s.layers.size(), 2u);
  // 400 spikes / (4 samples * 2 steps * 100 neurons); 100 spikes a sample * 72.
  EXPECT_DOUBLE_EQ(s.layers[0].firing_rate, 0.5);
  EXPECT_DOUBLE_EQ(s.layers[0].synops, 7200.0);
  EXPECT_DOUBLE_EQ(s.layers[1].firing_rate, 0.1);
  EXPECT_DOUBLE_EQ(s.layers[1].synops, 0.0);
  EXPECT_DOUBLE_EQ(s.synops, 7200.0);
}

TEST(EvalSummary, RefusesEmptyOrInconsistentOutputs) {
  EvalRun r = hand_run();
  r.votes.pop_back();
  EXPECT_THROW(summarize(r), Error);
  EvalRun empty = hand_run();
  empty.labels.clear();
  EXPECT_THROW(summarize(empty), Error);
}

// The fan-out rule of model/layout.hpp on the networks it was derived for.
std::vector<std::int64_t> synaptic_fan_out(std::int64_t channels, std::int64_t number_layer,
                                           std::int64_t size, std::int64_t class_num) {
  NetworkConfig c;
  c.channels = channels;
  c.number_layer = number_layer;
  c.height = c.width = size;
  c.class_num = class_num;
  std::vector<std::int64_t> fan_out;
  for (const auto& layer : model::neuromorphic_layout(c).neuron_layers()) fan_out.push_back(layer.fan_out);
  return fan_out;
}

TEST(EvalSummary, FanOutPerSpikeOfEachNeuronLayer) {
  // The default network: 5 conv blocks of 128 channels, fc 2048 -> 512 -> 110.
  EXPECT_EQ(synaptic_fan_out(128, 5, 128, 11),
            (std::vector<std::int64_t>{128 * 9, 128 * 9, 128 * 9, 128 * 9, 512, 110, 0}));
  // One block of 8 channels on 8x8: fc 128 -> 32 -> 30.
  EXPECT_EQ(synaptic_fan_out(8, 1, 8, 3), (std::vector<std::int64_t>{32, 30, 0}));
}

Evaluation hand_evaluation() {
  Evaluation e;
  e.checkpoint = "runs/a/checkpoint.h5";
  e.frames = "frames \"x\".h5";
  e.split = "val";
  e.run = hand_run();
  e.summary = summarize(e.run);
  return e;
}

TEST(EvalFile, RoundTrip) {
  namespace n = names::eval;
  const std::string path = testing::TempDir() + "plifkit_eval_" + std::to_string(::getpid()) + ".h5";
  const Evaluation e = hand_evaluation();
  for (bool per_step : {false, true}) {
    {
      AtomicOutput out(path);
      write_eval_file(out, e, per_step);
    }
    h5::Handle f = h5::open_file(path);
    const hid_t id = f.id();
    h5::require_format(id, path, n::kFormatName, n::kVersion);
    EXPECT_EQ(h5::read_attr_string(id, n::kCheckpoint), "runs/a/checkpoint.h5");
    EXPECT_EQ(h5::read_attr_string(id, n::kFrames), "frames \"x\".h5");
    EXPECT_EQ(h5::read_attr_string(id, n::kSplit), "val");
    EXPECT_EQ(h5::read_attr<double>(id, n::kAccuracy), 0.5);
    h5::Dims dims;
    EXPECT_EQ(h5::read_dataset<float>(id, n::kCounts, &dims), e.summary.counts);
    EXPECT_EQ(dims, (h5::Dims{4, 4}));
    EXPECT_EQ(h5::read_dataset<std::uint8_t>(id, n::kPredicted), (std::vector<std::uint8_t>{0, 1, 0, 0}));
    EXPECT_EQ(h5::read_dataset<std::uint8_t>(id, n::kLabels), e.run.labels);
    EXPECT_EQ(h5::read_strings(id, n::kSource), e.run.source);
    EXPECT_EQ(h5::read_dataset<std::uint32_t>(id, n::kSegment), e.run.segment);
    EXPECT_EQ(h5::read_dataset<std::uint32_t>(id, n::kConfusion, &dims), e.summary.confusion);
    EXPECT_EQ(dims, (h5::Dims{4, 4}));
    EXPECT_EQ(h5::read_dataset<double>(id, n::kFiringRate), (std::vector<double>{0.5, 0.1}));
    EXPECT_EQ(h5::read_dataset<double>(id, n::kSynops), (std::vector<double>{7200, 0}));
    EXPECT_EQ(h5::read_strings(id, n::kNeuronLayers), (std::vector<std::string>{"conv.2", "fc.6"}));
    EXPECT_EQ(h5::exists(id, n::kAccuracyByStep), per_step);
    if (per_step) {
      EXPECT_EQ(h5::read_dataset<double>(id, n::kAccuracyByStep), (std::vector<double>{0.75, 0.5}));
    }
  }
  std::remove(path.c_str());
}

TEST(EvalReport, JsonCarriesTheSummary) {
  const std::string json = eval_json(hand_evaluation(), true);
  for (const char* part :
       {"\"frames\": \"frames \\\"x\\\".h5\"", "\"split\": \"val\"", "\"samples\": 4",
        "\"accuracy\": 0.5,", "\"correct\": 2,",
        "{\"index\": 3, \"name\": \"d\", \"samples\": 0, \"correct\": 0, \"accuracy\": null}",
        "\"confusion\": [[1, 0, 0, 0], [1, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 0]]",
        "\"accuracy_by_step\": [0.75, 0.5]",
        "{\"name\": \"conv.2\", \"neurons\": 100, \"fan_out\": 72, \"firing_rate\": 0.5, \"synops\": 7200}",
        "\"synops\": 7200\n}\n"})
    EXPECT_NE(json.find(part), std::string::npos) << part << "\n" << json;
  EXPECT_EQ(eval_json(hand_evaluation(), false).find("accuracy_by_step"), std::string::npos);
}

TEST(EvalReport, TableShowsClassesConfusionStepsAndLayers) {
  const std::string table = eval_table(hand_evaluation(), true);
  for (const char* part : {"accuracy    0.5000 (2 of 4)\n", "1      b           2        1    0.5000\n",
                           "3      d           0        0         -\n",
                           "true \\ predicted     0  1  2  3\n", "1                 b  1  1  0  0\n",
                           "         2    0.5000\n", "conv.2            100     0.500000       72           7200\n"})
    EXPECT_NE(table.find(part), std::string::npos) << part << "\n" << table;
  EXPECT_EQ(eval_table(hand_evaluation(), false).find("first t of"), std::string::npos);
}

}  // namespace
}  // namespace plifkit::analysis
