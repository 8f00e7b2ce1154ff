// One suite over every row of the registry: a synthetic copy of the dataset
// in its on-disk layout converts to a frames file that carries the row's
// facts, and a folder without the dataset's files is refused with nothing
// written. A new row is tested here without a new test.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "plifkit/core/error.hpp"
#include "plifkit/datasets/registry.hpp"
#include "plifkit/events/synth.hpp"
#include "plifkit/events/synth_event_datasets.hpp"
#include "plifkit/frames/convert.hpp"
#include "plifkit/frames/frames_reader.hpp"
#include "plifkit/images/synth_images.hpp"

namespace plifkit {
namespace {

namespace fs = std::filesystem;

class EveryDataset : public testing::TestWithParam<Dataset> {
 protected:
  void SetUp() override {
    root_ = testing::TempDir() + "plifkit_every_dataset_" + std::to_string(::getpid()) + "_" +
            name_of_choice(GetParam());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  // A few samples of every class, as dvs-synth writes them.
  void synthesize(const std::string& dir) const {
    const Dataset dataset = GetParam();
    switch (row_of(dataset).storage) {
      case Storage::recordings: {
        SynthOptions o;
        o.users = 2;
        o.lightings = 1;
        o.events_per_gesture = 200;
        synthesize_dataset(dir, o);
        return;
      }
      case Storage::file_per_sample: {
        EventSynthOptions o;
        o.samples_per_class = 2;
        o.events_per_sample = 200;
        synthesize_event_dataset(dataset, dir, o);
        return;
      }
      case Storage::idx_images:
      case Storage::cifar_batches: {
        ImageSynthOptions o;
        o.samples_per_class = 2;
        o.test_per_class = 1;
        synthesize_image_dataset(dataset, dir, o);
        return;
      }
    }
  }

  frames::ConvertOptions options(const std::string& dir, const std::string& output) const {
    frames::ConvertOptions o;
    o.dataset = GetParam();
    o.source_dir = dir;
    o.output = output;
    o.T = 2;
    return o;
  }

  std::string root_;
};

TEST_P(EveryDataset, SyntheticFolderConvertsToTheRowsFacts) {
  const DatasetRow& row = row_of(GetParam());
  synthesize(root_ + "/data");
  const frames::ConvertSummary summary = frames::convert(options(root_ + "/data", root_ + "/frames.h5"));
  EXPECT_EQ(summary.class_names, row.class_names);
  const frames::FramesReader reader(root_ + "/frames.h5");
  const frames::FramesHeader& h = reader.header();
  EXPECT_EQ(h.dataset, row.id);
  EXPECT_EQ(h.input_kind, row.kind);
  EXPECT_EQ(h.channels, row.channels);
  EXPECT_EQ(h.height, row.height);
  EXPECT_EQ(h.width, row.width);
  EXPECT_EQ(h.class_num, row.class_num);
  EXPECT_EQ(h.class_names, row.class_names);
  // Every class in both splits.
  for (const char* split : {"train", "test"}) {
    std::vector<bool> seen(static_cast<std::size_t>(row.class_num), false);
    for (std::uint8_t label : reader.meta(split).labels) seen.at(label) = true;
    for (std::size_t c = 0; c < seen.size(); ++c) EXPECT_TRUE(seen[c]) << split << " lacks class " << c;
  }
}

TEST_P(EveryDataset, FolderWithoutItsFilesIsRefusedWritingNothing) {
  fs::create_directories(root_ + "/empty");
  const frames::ConvertOptions o = options(root_ + "/empty", root_ + "/frames.h5");
  EXPECT_THROW(frames::convert(o), InputError);
  EXPECT_FALSE(fs::exists(o.output));
  for (const auto& e : fs::directory_iterator(root_))
    EXPECT_EQ(e.path().filename().string().find(".tmp-"), std::string::npos) << e.path();
}

std::vector<Dataset> every_dataset() {
  std::vector<Dataset> datasets;
  for (const DatasetRow& row : all_datasets()) datasets.push_back(row.id);
  return datasets;
}

INSTANTIATE_TEST_SUITE_P(Registry, EveryDataset, testing::ValuesIn(every_dataset()),
                         [](const testing::TestParamInfo<Dataset>& info) {
                           return std::string(name_of_choice(info.param));
                         });

}  // namespace
}  // namespace plifkit
