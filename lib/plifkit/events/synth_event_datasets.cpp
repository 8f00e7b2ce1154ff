#include "plifkit/events/synth_event_datasets.hpp"

#include <algorithm>

#include "plifkit/core/folders.hpp"
#include "plifkit/core/setting_error.hpp"
#include "plifkit/core/rng.hpp"
#include "plifkit/events/synth_formats.hpp"

namespace plifkit {

int test_files_per_class(int samples_per_class) { return std::max(1, (samples_per_class + 2) / 4); }

int max_samples_per_class(Dataset dataset) {
  // test_files_per_class(n) <= m exactly when n <= 4 * m + 1.
  auto fit = [](long train, long test) { return static_cast<int>(std::min(train, 4 * test + 1)); };
  const FileLayout& f = row_of(dataset).files;
  if (!f.split_dirs.empty())
    return fit(*std::min_element(f.train_per_class.begin(), f.train_per_class.end()),
               *std::min_element(f.test_per_class.begin(), f.test_per_class.end()));
  return fit(f.train_below - f.first_index, f.first_index + f.files_per_class - f.train_below);
}

void validate(Dataset dataset, const EventSynthOptions& o) {
  switch (row_of(dataset).storage) {
    case Storage::file_per_sample:
      break;
    case Storage::recordings:
      throw SettingError("dataset", std::string(name_of_choice(dataset)) +
                                        " is written by synthesize_dataset (synth.hpp)");
    case Storage::idx_images:
    case Storage::cifar_batches:
      throw SettingError("dataset", std::string(name_of_choice(dataset)) +
                                        " holds images, not event data (synth_images.hpp "
                                        "writes the image datasets)");
  }
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
  const DatasetRow& row = row_of(dataset);
  switch (row.codec) {
    case EventCodec::nmnist_bin:
      return synthesize_nmnist(row, out_dir, options);
    case EventCodec::aedat20:
      return synthesize_cifar10dvs(row, out_dir, options);
    case EventCodec::asl_mat:
      return synthesize_asldvs(row, out_dir, options);
    case EventCodec::aedat31:
    case EventCodec::none:
      break;
  }
  throw SettingError("dataset", std::string(name_of_choice(dataset)) + " has no file synthesizer");
}

std::uint64_t file_seed(std::uint64_t seed, Dataset dataset, int split, int class_index, int i) {
  std::uint64_t state = seed ^ (static_cast<std::uint64_t>(dataset) << 56) ^
                        (static_cast<std::uint64_t>(split) << 48) ^
                        (static_cast<std::uint64_t>(class_index) << 32) ^ static_cast<std::uint32_t>(i);
  return splitmix64(state);
}

}  // namespace plifkit
