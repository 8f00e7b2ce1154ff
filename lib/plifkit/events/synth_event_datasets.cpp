#include "plifkit/events/synth_event_datasets.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "plifkit/config/setting_error.hpp"
#include "plifkit/events/event_datasets.hpp"
#include "plifkit/events/rng.hpp"
#include "plifkit/events/synth_formats.hpp"

namespace plifkit {

namespace ed = event_datasets;

int test_files_per_class(int samples_per_class) { return std::max(1, (samples_per_class + 2) / 4); }

int max_samples_per_class(Dataset dataset) {
  // test_files_per_class(n) <= m exactly when n <= 4 * m + 1.
  auto fit = [](int train, int test) { return std::min(train, 4 * test + 1); };
  switch (dataset) {
    case Dataset::NMNIST:
      return fit(*std::min_element(ed::nmnist::kTrainPerClass.begin(), ed::nmnist::kTrainPerClass.end()),
                 *std::min_element(ed::nmnist::kTestPerClass.begin(), ed::nmnist::kTestPerClass.end()));
    case Dataset::CIFAR10DVS:
      return fit(ed::cifar10dvs::kTrainBelow - ed::cifar10dvs::kFirstIndex,
                 ed::cifar10dvs::kFilesPerClass - ed::cifar10dvs::kTrainBelow);
    case Dataset::ASLDVS:
      return fit(ed::asldvs::kTrainUpTo - ed::asldvs::kFirstIndex + 1,
                 ed::asldvs::kFilesPerClass - ed::asldvs::kTrainUpTo);
    default:
      return 0;
  }
}

void validate(Dataset dataset, const EventSynthOptions& o) {
  if (facts_of(dataset).kind == InputKind::images)
    throw SettingError("dataset", std::string(name_of_choice(dataset)) +
                                      " holds images, not event data (synth_images.hpp "
                                      "writes the image datasets)");
  if (dataset == Dataset::DVS128Gesture)
    throw SettingError("dataset", "DVS128Gesture is written by synthesize_dataset (synth.hpp)");
  const int most = max_samples_per_class(dataset);
  if (o.samples_per_class < 1 || o.samples_per_class > most)
    throw SettingError("samples_per_class", "must be in 1.." + std::to_string(most) + " for " +
                                                name_of_choice(dataset) + ", got " +
                                                std::to_string(o.samples_per_class));
  if (o.events_per_sample < 1 || o.events_per_sample > 10'000'000)
    throw SettingError("events_per_sample",
                       "must be in 1..10000000, got " + std::to_string(o.events_per_sample));
}

EventSynthSummary synthesize_event_dataset(Dataset dataset, const std::string& out_dir,
                                           const EventSynthOptions& options) {
  validate(dataset, options);
  make_folder(out_dir);
  switch (dataset) {
    case Dataset::NMNIST:
      return synthesize_nmnist(out_dir, options);
    case Dataset::CIFAR10DVS:
      return synthesize_cifar10dvs(out_dir, options);
    default:
      return synthesize_asldvs(out_dir, options);
  }
}

std::uint64_t file_seed(std::uint64_t seed, Dataset dataset, int split, int class_index, int i) {
  std::uint64_t state = seed ^ (static_cast<std::uint64_t>(dataset) << 56) ^
                        (static_cast<std::uint64_t>(split) << 48) ^
                        (static_cast<std::uint64_t>(class_index) << 32) ^ static_cast<std::uint32_t>(i);
  return splitmix64(state);
}

void make_folder(const std::string& path) {
  if (::mkdir(path.c_str(), 0777) != 0 && errno != EEXIST)
    throw IoError("cannot create folder " + quoted(path) + ": " + std::strerror(errno));
}

}  // namespace plifkit
