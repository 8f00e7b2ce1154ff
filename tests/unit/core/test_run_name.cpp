// The default run folder name is the PLIF authors' train_val.py's, with
// numbers as Python prints them, and the study's own settings appended.
#include <gtest/gtest.h>

#include "plifkit/config/train_config.hpp"

namespace plifkit {
namespace {

TrainConfig study_run() {
  TrainConfig c;
  c.dataset = Dataset::DVS128Gesture;
  c.T = 20;
  c.split_by = frames::SplitBy::number;
  c.normalization = frames::Normalization::none;
  c.net.init_tau = 2.0;
  c.net.use_plif = true;
  c.net.use_max_pool = true;
  c.net.detach_reset = true;
  c.net.channels = 128;
  c.net.number_layer = 5;
  c.val_ratio = 0.15;
  c.seed = 2020;
  return c;
}

TEST(RunName, IsTheReferencesTrainValNameForTheBaseline) {
  // The PLIF authors' logs: val_0.15_CIFAR10DVS_init_tau_2.0_use_plif_True_use_max_pool_True_T_20_c_128_n_4_split_by_number_normalization_None_detach_reset_True
  EXPECT_EQ(default_run_name(study_run()),
            "val_0.15_DVS128Gesture_init_tau_2.0_use_plif_True_use_max_pool_True_T_20_c_128_n_5"
            "_split_by_number_normalization_None_detach_reset_True_seed_2020");
}

TEST(RunName, AppendsTheStudysSettingsAndPrintsNumbersAsPython) {
  TrainConfig c = study_run();
  c.net.tau_per_neuron = true;
  c.net.tau_std_dev = 0.1;
  c.reg_lambda = 0.01;
  c.net.init_tau = 16;
  c.normalization = frames::Normalization::max;
  c.split_by = frames::SplitBy::time;
  EXPECT_EQ(default_run_name(c),
            "val_0.15_DVS128Gesture_init_tau_16.0_use_plif_True_use_max_pool_True_T_20_c_128_n_5"
            "_split_by_time_normalization_max_detach_reset_True_tau_per_neuron_std_0.1_reg_0.01"
            "_seed_2020");
}

TEST(RunName, ImageDatasetsHaveNoFramePart) {
  TrainConfig c = study_run();
  c.dataset = Dataset::CIFAR10;
  c.T = 8;
  c.split_by.reset();
  c.normalization.reset();
  // The PLIF authors' logs: val_0.15_CIFAR10_init_tau_2.0_use_plif_True_use_max_pool_True_T_8_detach_reset_True
  EXPECT_EQ(default_run_name(c),
            "val_0.15_CIFAR10_init_tau_2.0_use_plif_True_use_max_pool_True_T_8_detach_reset_True"
            "_seed_2020");
}

}  // namespace
}  // namespace plifkit
