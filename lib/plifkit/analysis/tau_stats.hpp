// tau-stats: the distribution of tau per neuron layer for one or more
// checkpoints, and the statistics file of formats.md section 4.
#pragma once

#include <string>
#include <vector>

#include "plifkit/analysis/checkpoint_taus.hpp"
#include "plifkit/analysis/distribution.hpp"

namespace plifkit::analysis {

struct LayerStats {
  std::string layer;  // "conv.2"
  std::string key;    // "conv.2.w"; empty for LIF
  NeuronKind kind = NeuronKind::lif;
  Summary summary;
  Histogram histogram;
};

struct CheckpointStats {
  std::string path;  // as given
  std::vector<LayerStats> layers;  // network order
};

inline constexpr int kDefaultBins = 20;

// Reads every checkpoint and describes each neuron layer. The histograms of
// one layer (same state_dict prefix) share their edges across the
// checkpoints: `bins` equal bins from the smallest to the largest tau that
// layer has in any of them, so counts compare bin by bin. Throws what
// read_checkpoint_taus throws, UsageError for bins < 1.
std::vector<CheckpointStats> tau_statistics(const std::vector<std::string>& paths, int bins);

// Writes the statistics file (all or nothing). Throws IoError.
void write_tau_stats_file(const std::string& path, const std::vector<CheckpointStats>& stats);

}  // namespace plifkit::analysis
