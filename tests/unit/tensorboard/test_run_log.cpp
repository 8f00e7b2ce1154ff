// plif-train's tags and steps, and how a resumed run's folder is made to
// agree with its checkpoint.
#include <gtest/gtest.h>

#include <unistd.h>

#include <map>
#include <string>

#include "plifkit/tensorboard/event_file.hpp"
#include "plifkit/tensorboard/run_log.hpp"
#include "scratch.hpp"

namespace plifkit::tensorboard {
namespace {

// A /log row of a two-layer run: values that tell the columns apart.
LogRow row(int epoch) {
  const double e = epoch;
  return {{"epoch", e},          {"train_loss", 0.5 + e},      {"train_accuracy", 0.25 + e},
          {"val_accuracy", 0.75 + e}, {"test_accuracy", 0.625 + e}, {"learning_rate", 1e-3},
          {"seconds", 12 + e},   {"w_mean_0", -1 - e},         {"w_std_0", 0.125},
          {"tau_mean_0", 2 + e}, {"tau_std_0", 0.0625},        {"w_mean_1", -2 - e},
          {"w_std_1", 0.25},     {"tau_mean_1", 3 + e},        {"tau_std_1", 0.5}};
}

std::string listing(const std::vector<Scalar>& scalars) {
  std::string out;
  for (const auto& s : scalars) out += s.tag + "@" + std::to_string(s.step) + "=" + std::to_string(s.value) + " ";
  return out;
}

TEST(RunLog, StepCadenceIsTheReferences) {
  EXPECT_TRUE(logs_step(0));
  EXPECT_FALSE(logs_step(1));
  EXPECT_FALSE(logs_step(255));
  EXPECT_TRUE(logs_step(256));
  EXPECT_TRUE(logs_step(512));
  EXPECT_EQ(listing(step_scalars(512, 0.5, 0.25)),
            "train_accuracy@512=0.250000 train_loss@512=0.500000 ");
}

TEST(RunLog, EpochScalarsPerNeuron) {
  EXPECT_EQ(listing(epoch_scalars(row(2), 300, {true, true})),
            "test_accuracy@2=2.625000 val_accuracy@2=2.750000 "
            "w0@300=-3.000000 w_std0@300=0.125000 w1@300=-4.000000 w_std1@300=0.250000 "
            "plifkit/learning_rate@2=0.001000 plifkit/epoch_seconds@2=14.000000 "
            "plifkit/epoch_train_loss@2=2.500000 plifkit/epoch_train_accuracy@2=2.250000 "
            "plifkit/tau_mean0@2=4.000000 plifkit/tau_std0@2=0.062500 "
            "plifkit/tau_mean1@2=5.000000 plifkit/tau_std1@2=0.500000 ");
}

TEST(RunLog, EpochScalarsPerLayerAndLif) {
  const std::string per_layer = listing(epoch_scalars(row(0), 10, {true, false}));
  EXPECT_NE(per_layer.find("w0@10=-1.000000 w1@10=-2.000000 plifkit/"), std::string::npos) << per_layer;
  EXPECT_EQ(per_layer.find("w_std"), std::string::npos);
  const std::string lif = listing(epoch_scalars(row(0), 10, {false, false}));
  EXPECT_EQ(lif.find(" w"), std::string::npos) << lif;
  EXPECT_NE(lif.find("plifkit/tau_mean1@0=3.000000"), std::string::npos);
}

TEST(RunLog, WhatBelongsBeforeAPosition) {
  // Epoch 1 finished after 20 steps; 3 steps of epoch 2 done.
  const LogPosition at{1, 23, 20};
  EXPECT_TRUE(logged_by("train_loss", 22, at));
  EXPECT_FALSE(logged_by("train_loss", 23, at));  // the first step after the checkpoint
  EXPECT_TRUE(logged_by("w3", 20, at));
  EXPECT_FALSE(logged_by("w3", 21, at));
  EXPECT_FALSE(logged_by("w_std0", 30, at));
  EXPECT_TRUE(logged_by("val_accuracy", 1, at));
  EXPECT_FALSE(logged_by("val_accuracy", 2, at));
  EXPECT_FALSE(logged_by("plifkit/tau3", 2, at));
  EXPECT_TRUE(logged_by("eval/test/accuracy", 99, at));  // not plif-train's
  EXPECT_TRUE(logged_by("weights", 99, at));              // nor is this
  // A new run: nothing of plif-train's belongs.
  EXPECT_FALSE(logged_by("train_accuracy", 0, LogPosition{}));
  EXPECT_FALSE(logged_by("test_accuracy", 0, LogPosition{}));
}

std::map<std::pair<std::string, int64_t>, int> counts(const std::string& dir) {
  std::map<std::pair<std::string, int64_t>, int> n;
  for (const auto& path : list_event_files(dir))
    for (const auto& s : read_event_file(path).scalars) ++n[{s.tag, s.step}];
  return n;
}

TEST(RunLog, ReconcileTakesOutWhatCameAfterTheCheckpoint) {
  ScratchFolder dir;
  const RunLayout layout{true, true};
  const int64_t spe = 200;
  {
    // A killed run: epochs 0 and 1 finished (steps 200, 400) and logged,
    // then 100 steps of epoch 2 logged; its checkpoint holds epoch 0 only
    // (epoch 1's was being written).
    EventFileWriter writer(dir.path());
    for (const auto& s : step_scalars(0, 1, 0.5)) writer.add_scalar(s.tag, s.step, s.value);
    for (const auto& s : epoch_scalars(row(0), 200, layout)) writer.add_scalar(s.tag, s.step, s.value);
    for (const auto& s : step_scalars(256, 1, 0.5)) writer.add_scalar(s.tag, s.step, s.value);
    for (const auto& s : epoch_scalars(row(1), 400, layout)) writer.add_scalar(s.tag, s.step, s.value);
    writer.add_scalar("eval/test/accuracy", 1, 0.5);
    writer.flush();
  }
  const auto missing = reconcile_run_folder(dir.path(), LogPosition{0, 200, 200}, {row(0)}, spe, layout);
  EXPECT_TRUE(missing.empty()) << listing(missing);
  const auto n = counts(dir.path());
  EXPECT_EQ(n.count({"train_loss", 0}), 1u);
  EXPECT_EQ(n.count({"train_loss", 256}), 0u);
  EXPECT_EQ(n.count({"w0", 200}), 1u);
  EXPECT_EQ(n.count({"w0", 400}), 0u);
  EXPECT_EQ(n.count({"val_accuracy", 0}), 1u);
  EXPECT_EQ(n.count({"val_accuracy", 1}), 0u);
  EXPECT_EQ(n.count({"eval/test/accuracy", 1}), 1u);
}

TEST(RunLog, ReconcileReturnsEpochsNoFileHolds) {
  ScratchFolder dir;
  const RunLayout layout{true, false};
  {
    // Epoch 0 logged; epochs 1 and 2 ran with TensorBoard off.
    EventFileWriter writer(dir.path());
    for (const auto& s : epoch_scalars(row(0), 100, layout)) writer.add_scalar(s.tag, s.step, s.value);
    writer.flush();
  }
  // The checkpoint: epoch 2 finished at step 300, 7 steps into epoch 3.
  const auto missing =
      reconcile_run_folder(dir.path(), LogPosition{2, 307, 300}, {row(0), row(1), row(2)}, 100, layout);
  const auto expected_1 = epoch_scalars(row(1), 200, layout);
  const auto expected_2 = epoch_scalars(row(2), 300, layout);
  EXPECT_EQ(listing(missing), listing(expected_1) + listing(expected_2));
}

TEST(RunLog, ReconcileOfANewRunEmptiesTheFolder) {
  ScratchFolder dir;
  {
    EventFileWriter writer(dir.path());
    for (const auto& s : step_scalars(0, 1, 0.5)) writer.add_scalar(s.tag, s.step, s.value);
    writer.flush();
  }
  write_bytes(dir.path() + "/events.out.tfevents.1.h.2.0.tmp-3", "partial");
  EXPECT_TRUE(reconcile_run_folder(dir.path(), LogPosition{}, {}, 10, {}).empty());
  EXPECT_TRUE(list_event_files(dir.path()).empty());
  EXPECT_EQ(::access((dir.path() + "/events.out.tfevents.1.h.2.0.tmp-3").c_str(), F_OK), -1);
}

}  // namespace
}  // namespace plifkit::tensorboard
