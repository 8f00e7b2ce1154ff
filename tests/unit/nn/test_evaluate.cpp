// plif-eval's library call on a network whose weights the test sets so that
// every spike is known by hand: the conv and hidden layers fire at every
// step, the voting layer gives class 0 and class 2 four spikes a step and
// class 1 ten spikes every second step. So the votes after t steps are
// (0.4 t, floor(t / 2), 0.4 t): class 0 wins odd t (a tie with class 2, or at
// t = 5 with both), class 1 wins even t, and after all T = 6 steps every
// sample is predicted class 1.
#include <gtest/gtest.h>
#include <torch/torch.h>
#include <unistd.h>

#include <cstdio>

#include "support/tiny.hpp"
#include "plifkit/core/error.hpp"
#include "plifkit/frames/chunk_codec.hpp"
#include "plifkit/frames/frames_writer.hpp"
#include "plifkit/nn/checkpoint.hpp"
#include "plifkit/nn/evaluate.hpp"

namespace plifkit::nn {
namespace {

std::string temp_name(const std::string& tag) {
  return testing::TempDir() + "plifkit_evaluate_" + tag + "_" + std::to_string(::getpid()) + ".h5";
}

TrainConfig voting_config() {
  TrainConfig c = test::tiny_train_config();
  c.T = 6;  // conv.2 -> pool -> 32 features -> fc.3 (8) -> fc.6 (30)
  c.net.tau_per_neuron = false;  // one w per layer, 0: tau 2, decay 1/2
  c.net.tau_std_dev = 0;
  c.net.use_max_pool = true;
  return c;
}

// Neuron (threshold 1, decay 1/2, hard reset to 0) under a constant input x:
// x = 10 charges to 5 and fires at every step; x = 1.5 charges to 0.75, then
// to 1.125 and fires at every second step; x = 0 never fires.
void write_voting_checkpoint(const std::string& path, double val_ratio = 0.5) {
  TrainConfig c = voting_config();
  c.val_ratio = val_ratio;
  PlifNet net(c.net);
  {
    torch::NoGradGuard no_grad;
    for (auto& p : net->named_parameters()) {
      auto& t = p.value();
      if (p.key() == "conv.0.weight" || p.key() == "conv.1.weight") t.zero_();
      if (p.key() == "conv.1.bias") t.fill_(10.0);  // BatchNorm outputs 10 whatever the input
      if (p.key() == "fc.2.weight") t.fill_(10.0 / 32);  // 32 spikes in: 10
      if (p.key() == "fc.5.weight") {
        t.zero_();
        t.slice(0, 0, 4).fill_(10.0 / 8);     // class 0: 4 neurons at 10
        t.slice(0, 10, 20).fill_(1.5 / 8);    // class 1: 10 neurons at 1.5
        t.slice(0, 20, 24).fill_(10.0 / 8);   // class 2: 4 neurons at 10
      }
    }
  }
  MetricsLog log;  // one row: save_checkpoint cannot store a log without columns
  log.append({{"epoch", 0.0}});
  save_checkpoint(path, c, *net, nullptr, 0, TrainState{}, log);
}

frames::SplitMeta meta_of(const std::vector<std::uint8_t>& labels, const std::string& user) {
  frames::SplitMeta m;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    m.labels.push_back(labels[i]);
    m.source.push_back(user + "_led");
    m.segment.push_back(static_cast<std::uint32_t>(i));
    m.t_start.push_back(1000 * i);
    m.t_end.push_back(1000 * i + 900);
    m.event_count.push_back(7);
  }
  return m;
}

const std::vector<std::uint8_t> kTrainLabels = {0, 0, 1, 0, 2, 0, 1, 0, 0, 2, 1, 0};
const std::vector<std::uint8_t> kTestLabels = {0, 1, 1, 2, 1, 0};

void write_frames(const std::string& path, int T) {
  frames::FramesHeader h = test::tiny_frames_header(T, 8, 8, 3);
  h.class_names = {"x", "y", "z"};
  frames::FramesWriter w(path, h, kTrainLabels.size(), kTestLabels.size(), "fp");
  const std::size_t elems = static_cast<std::size_t>(T) * 2 * 8 * 8;
  std::vector<std::uint16_t> values(elems);
  std::vector<std::uint8_t> scratch, chunk;
  for (const auto& [split, n] : {std::make_pair("train", kTrainLabels.size()),
                                 std::make_pair("test", kTestLabels.size())})
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t e = 0; e < elems; ++e) values[e] = static_cast<std::uint16_t>((e * 7 + i) % 5);
      frames::encode_chunk(values.data(), elems, 2, scratch, chunk);
      w.write_sample(split, i, chunk);
    }
  w.write_meta("train", meta_of(kTrainLabels, "user01"));
  w.write_meta("test", meta_of(kTestLabels, "user02"));
  w.close();
}

class Evaluate : public testing::Test {
 protected:
  void SetUp() override {
    write_voting_checkpoint(checkpoint_);
    write_frames(frames_, 6);
  }
  void TearDown() override {
    std::remove(checkpoint_.c_str());
    std::remove(frames_.c_str());
  }
  EvalOptions options(const std::string& split) const {
    EvalOptions o;
    o.checkpoint = checkpoint_;
    o.frames = frames_;
    o.split = parse_choice<EvalSplit>("split", split);
    return o;
  }
  std::string checkpoint_ = temp_name("checkpoint");
  std::string frames_ = temp_name("frames");
};

TEST_F(Evaluate, VotesCountsAndAccuracyKnownByHand) {
  const auto e = evaluate(options("test"));
  const auto& s = e.summary;
  ASSERT_EQ(e.run.samples(), 6u);
  EXPECT_EQ(e.run.vote_group, 10);
  EXPECT_EQ(e.run.class_names, (std::vector<std::string>{"x", "y", "z"}));
  // Counts after 6 steps: 0.4 * 6, 6 / 2, 0.4 * 6.
  for (std::size_t n = 0; n < 6; ++n) {
    EXPECT_EQ(s.counts[n * 3 + 0], 2.4f);
    EXPECT_EQ(s.counts[n * 3 + 1], 3.0f);
    EXPECT_EQ(s.counts[n * 3 + 2], 2.4f);
    EXPECT_EQ(s.predicted[n], 1);
  }
  // Accuracy: the share of class 1, 3 of 6; everything in the class-1 column.
  EXPECT_EQ(s.accuracy, 0.5);
  EXPECT_EQ(s.confusion, (std::vector<std::uint32_t>{0, 2, 0, 0, 3, 0, 0, 1, 0}));
  // Odd t: class 0 by the lowest-index rule (share 2/6; class 2 would give
  // 1/6); even t: class 1 (3/6). The last equals the accuracy.
  const double odd = 2.0 / 6;
  EXPECT_EQ(s.accuracy_by_step, (std::vector<double>{odd, 0.5, odd, 0.5, odd, 0.5}));
  EXPECT_EQ(e.run.labels, kTestLabels);
  EXPECT_EQ(e.run.source[0], "user02_led");
}

TEST_F(Evaluate, FiringRatesAndSynopsKnownByHand) {
  const auto s = evaluate(options("test")).summary;
  ASSERT_EQ(s.layers.size(), 3u);
  EXPECT_EQ(s.layers[0].name, "conv.2");
  EXPECT_EQ(s.layers[0].neurons, 2 * 8 * 8);
  EXPECT_EQ(s.layers[1].neurons, 8);
  EXPECT_EQ(s.layers[2].neurons, 30);
  EXPECT_DOUBLE_EQ(s.layers[0].firing_rate, 1.0);
  EXPECT_DOUBLE_EQ(s.layers[1].firing_rate, 1.0);
  // Voting layer per sample: 4 * 6 + 10 * 3 + 4 * 6 = 78 spikes of 30 * 6.
  EXPECT_DOUBLE_EQ(s.layers[2].firing_rate, 78.0 / 180.0);
  // The only conv layer feeds fc.2 (8 outputs): 128 * 6 spikes * 8; fc.3
  // feeds fc.5 (30): 8 * 6 * 30; the voting layer feeds nothing.
  EXPECT_EQ(s.layers[0].fan_out, 8);
  EXPECT_DOUBLE_EQ(s.layers[0].synops, 128.0 * 6 * 8);
  EXPECT_DOUBLE_EQ(s.layers[1].synops, 8.0 * 6 * 30);
  EXPECT_DOUBLE_EQ(s.layers[2].synops, 0.0);
  EXPECT_DOUBLE_EQ(s.synops, 6144.0 + 1440.0);
}

TEST_F(Evaluate, ValIsTheTrainingDivisionAndAllIsTrainThenTest) {
  // val_ratio 0.5: per class the first ceil(n / 2) train. Class 0 (rows 0 1 3
  // 5 7 8 11): 4 train, rows 7 8 11 validate; class 1 (2 6 10): row 10;
  // class 2 (4 9): row 9. In file order: 7 8 9 10 11.
  const auto val = evaluate(options("val"));
  EXPECT_EQ(val.run.segment, (std::vector<std::uint32_t>{7, 8, 9, 10, 11}));
  EXPECT_EQ(val.run.labels, (std::vector<std::uint8_t>{0, 0, 2, 1, 0}));
  EXPECT_EQ(val.summary.accuracy, 0.2);
  const auto train = evaluate(options("train"));
  EXPECT_EQ(train.run.segment, (std::vector<std::uint32_t>{0, 1, 2, 3, 4, 5, 6}));
  const auto all = evaluate(options("all"));
  ASSERT_EQ(all.run.samples(), 18u);
  EXPECT_EQ(all.run.source[11], "user01_led");
  EXPECT_EQ(all.run.source[12], "user02_led");
  EXPECT_EQ(all.summary.accuracy, 6.0 / 18);  // 3 class-1 train samples + 3 test
}

TEST_F(Evaluate, BatchSizeDoesNotChangeTheResult) {
  EvalOptions small = options("all");
  small.batch_size = 3;
  const auto a = evaluate(small).summary;
  const auto b = evaluate(options("all")).summary;
  EXPECT_EQ(a.counts, b.counts);
  EXPECT_EQ(a.accuracy_by_step, b.accuracy_by_step);
  EXPECT_EQ(a.layers[2].firing_rate, b.layers[2].firing_rate);
}

TEST_F(Evaluate, RefusesFramesTheNetworkDoesNotFit) {
  const std::string other = temp_name("t4");
  write_frames(other, 4);
  EvalOptions o = options("test");
  o.frames = other;
  try {
    evaluate(o);
    FAIL() << "T 6 network accepted T 4 frames";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "checkpoint '" + checkpoint_ + "' does not fit frames '" +
                                         other + "': T 6 vs 4 (checkpoint vs frames)");
  }
  std::remove(other.c_str());
  o = options("test");
  o.checkpoint = frames_;
  EXPECT_THROW(evaluate(o), FormatError);
  EXPECT_THROW(evaluate(options("validation")), UsageError);
}

TEST_F(Evaluate, RefusesAnEmptySplit) {
  const std::string no_val = temp_name("no_val");
  write_voting_checkpoint(no_val, 0.0);
  EvalOptions o = options("val");
  o.checkpoint = no_val;
  try {
    evaluate(o);
    FAIL() << "an empty val split was evaluated";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "frames '" + frames_ + "' have no samples in split 'val' (val_ratio of '" +
                                         no_val + "' is 0)");
  }
  std::remove(no_val.c_str());
}

}  // namespace
}  // namespace plifkit::nn
