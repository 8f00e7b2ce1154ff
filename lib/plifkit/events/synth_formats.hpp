// The writers behind synthesize_event_dataset (synth_event_datasets.hpp),
// one per file format, and what they share. Each expects validated options
// and an existing out_dir.
#pragma once

#include <cstdint>
#include <string>

#include "plifkit/core/folders.hpp"
#include "plifkit/datasets/registry.hpp"
#include "plifkit/events/synth_event_datasets.hpp"

namespace plifkit {

// Each writes the files of `row` (its class names, sensor and FileLayout).
EventSynthSummary synthesize_nmnist(const DatasetRow& row, const std::string& out_dir,
                                    const EventSynthOptions& options);
EventSynthSummary synthesize_cifar10dvs(const DatasetRow& row, const std::string& out_dir,
                                        const EventSynthOptions& options);
EventSynthSummary synthesize_asldvs(const DatasetRow& row, const std::string& out_dir,
                                    const EventSynthOptions& options);

// The seed of one file's Rng: a function of the options' seed and of which
// file it is (split 0 train, 1 test; sample i of the class in that split).
std::uint64_t file_seed(std::uint64_t seed, Dataset dataset, int split, int class_index, int i);

}  // namespace plifkit
