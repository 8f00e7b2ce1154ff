// Text renderings of tau-stats results for stdout: an aligned table for
// people, CSV for programs (gnuplot, spreadsheets). Pure formatting.
#pragma once

#include <string>
#include <vector>

#include "plifkit/analysis/checkpoint_taus.hpp"
#include "plifkit/analysis/tau_stats.hpp"

namespace plifkit::analysis {

// Layers as rows (one line per statistic), checkpoints side by side as
// columns [0], [1], ... explained above the table. A per-layer or fixed tau
// is one value, shown once in the mean row.
std::string tau_stats_table(const std::vector<CheckpointStats>& stats);

// One line per (checkpoint, layer):
// checkpoint_index,checkpoint,layer,key,kind,count,mean,std,min,q05,q25,median,q75,q95,max
std::string tau_stats_csv(const std::vector<CheckpointStats>& stats);

// One line per (checkpoint, layer, bin):
// checkpoint_index,checkpoint,layer,kind,bin,low,high,count,fraction
// where fraction = count / the layer's tau count.
std::string tau_histogram_csv(const std::vector<CheckpointStats>& stats);

// Per checkpoint, epochs as rows and layers as columns, each cell
// "mean (std)" of tau over the layer's neurons as logged after that epoch.
std::string tau_evolution_table(const std::vector<std::string>& paths,
                                const std::vector<TauLog>& logs);

// One line per (checkpoint, epoch, layer):
// checkpoint_index,checkpoint,epoch,layer,tau_mean,tau_std
std::string tau_evolution_csv(const std::vector<std::string>& paths,
                              const std::vector<TauLog>& logs);

}  // namespace plifkit::analysis
