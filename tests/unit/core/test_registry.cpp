// The dataset registry: a row per dataset in enum order, each consistent
// with itself and with what the decoders know of the same dataset.
#include <gtest/gtest.h>

#include "plifkit/datasets/file_layout.hpp"
#include "plifkit/datasets/registry.hpp"
#include "plifkit/events/dvs_gesture.hpp"
#include "plifkit/events/event_datasets.hpp"

namespace plifkit {
namespace {

TEST(Registry, OneConsistentRowPerDataset) {
  ASSERT_EQ(all_datasets().size(), Choices<Dataset>::all.size());
  for (const auto& choice : Choices<Dataset>::all) {
    const DatasetRow& row = row_of(choice.value);
    SCOPED_TRACE(choice.name);
    EXPECT_EQ(row.id, choice.value);
    EXPECT_EQ(row.class_num, static_cast<int64_t>(row.class_names.size()));
    EXPECT_GE(row.class_num, 2);
    EXPECT_GT(row.height * row.width, 0);
    EXPECT_GT(row.reference_T, 0);
    EXPECT_STRNE(row.title, "");
    EXPECT_STRNE(row.description, "");
    const bool images = row.kind == InputKind::images;
    EXPECT_EQ(images, row.storage == Storage::idx_images || row.storage == Storage::cifar_batches);
    EXPECT_EQ(images, row.codec == EventCodec::none);
    EXPECT_EQ(images, row.network != NetworkFamily::neuromorphic);
    EXPECT_EQ(row.reference_number_layer == 0, images) << "the static networks have a fixed depth";
    if (images) {
      EXPECT_EQ(row.statistics.mean.size(), static_cast<size_t>(row.channels));
      EXPECT_EQ(row.statistics.std.size(), static_cast<size_t>(row.channels));
    } else {
      EXPECT_EQ(row.channels, 2);
      EXPECT_EQ(row.augmentation, Augmentation::none);
    }
    if (row.storage == Storage::file_per_sample) {
      const FileLayout& f = row.files;
      EXPECT_FALSE(f.suffix.empty());
      if (f.split_dirs.empty()) {
        EXPECT_LT(f.first_index, f.train_below);
        EXPECT_LT(f.train_below, f.first_index + f.files_per_class);
      } else {
        EXPECT_EQ(f.split_dirs.size(), 2u);
        EXPECT_EQ(f.train_per_class.size(), static_cast<size_t>(row.class_num));
        EXPECT_EQ(f.test_per_class.size(), static_cast<size_t>(row.class_num));
      }
    }
  }
}

TEST(Registry, RowsAgreeWithTheDecodersSensors) {
  namespace ed = event_datasets;
  EXPECT_EQ(row_of(Dataset::DVS128Gesture).width, dvs_gesture::kWidth);
  EXPECT_EQ(row_of(Dataset::DVS128Gesture).height, dvs_gesture::kHeight);
  EXPECT_EQ(row_of(Dataset::NMNIST).width, ed::nmnist::kWidth);
  EXPECT_EQ(row_of(Dataset::NMNIST).height, ed::nmnist::kHeight);
  EXPECT_EQ(row_of(Dataset::CIFAR10DVS).width, ed::cifar10dvs::kWidth);
  EXPECT_EQ(row_of(Dataset::CIFAR10DVS).height, ed::cifar10dvs::kHeight);
  EXPECT_EQ(row_of(Dataset::ASLDVS).width, ed::asldvs::kWidth);
  EXPECT_EQ(row_of(Dataset::ASLDVS).height, ed::asldvs::kHeight);
}

TEST(Registry, FileNamesAsDistributed) {
  EXPECT_EQ(sample_file_name(row_of(Dataset::NMNIST).files, "3", 12), "00012.bin");
  EXPECT_EQ(sample_file_name(row_of(Dataset::CIFAR10DVS).files, "bird", 17), "cifar10_bird_17.aedat");
  EXPECT_EQ(sample_file_name(row_of(Dataset::ASLDVS).files, "a", 42), "a_0042.mat");
  EXPECT_EQ(split_of_index(row_of(Dataset::CIFAR10DVS).files, 899), 0);
  EXPECT_EQ(split_of_index(row_of(Dataset::CIFAR10DVS).files, 900), 1);
  EXPECT_EQ(split_of_index(row_of(Dataset::ASLDVS).files, 3360), 0);
  EXPECT_EQ(split_of_index(row_of(Dataset::ASLDVS).files, 3361), 1);
  EXPECT_EQ(dataset_names(InputKind::events), "DVS128Gesture, NMNIST, CIFAR10DVS, ASLDVS");
  EXPECT_EQ(dataset_names(InputKind::images), "MNIST, FashionMNIST, CIFAR10");
}

}  // namespace
}  // namespace plifkit
