#include "plifkit/analysis/tau_stats.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "plifkit/core/atomic_output.hpp"
#include "plifkit/core/setting_error.hpp"
#include "plifkit/h5/h5.hpp"
#include "plifkit/h5/names.hpp"
#include "plifkit/h5/stage_file.hpp"

namespace plifkit::analysis {

namespace n = names::tau_stats;

std::vector<CheckpointStats> tau_statistics(const std::vector<std::string>& paths, int bins) {
  if (bins < 1) throw SettingError("bins", "must be >= 1, got " + std::to_string(bins));
  std::vector<std::vector<LayerTaus>> taus;
  std::map<std::string, std::pair<double, double>> range;  // layer -> (lo, hi) over all inputs
  for (const auto& path : paths) {
    taus.push_back(read_checkpoint_taus(path));
    for (const auto& layer : taus.back()) {
      const auto [lo, hi] = std::minmax_element(layer.taus.begin(), layer.taus.end());
      auto it = range.emplace(layer.layer, std::make_pair(*lo, *hi)).first;
      it->second.first = std::min(it->second.first, *lo);
      it->second.second = std::max(it->second.second, *hi);
    }
  }
  std::vector<CheckpointStats> out;
  for (std::size_t c = 0; c < paths.size(); ++c) {
    CheckpointStats stats;
    stats.path = paths[c];
    for (const auto& layer : taus[c]) {
      LayerStats s;
      s.layer = layer.layer;
      s.key = layer.key;
      s.kind = layer.kind;
      s.summary = describe(layer.taus);
      const auto& [lo, hi] = range.at(layer.layer);
      s.histogram = histogram(layer.taus, lo, hi, bins);
      stats.layers.push_back(std::move(s));
    }
    out.push_back(std::move(stats));
  }
  return out;
}

void write_tau_stats_file(const std::string& path, const std::vector<CheckpointStats>& stats) {
  AtomicOutput out(path);
  h5::Handle file = h5::create_file(out.temp_path());
  h5::write_format_stamp(file.id(), n::kFormatName, n::kVersion);
  for (std::size_t c = 0; c < stats.size(); ++c) {
    h5::Handle group = h5::create_group(file.id(), std::to_string(c));
    h5::write_attr_string(group.id(), n::kCheckpoint, stats[c].path);
    for (std::size_t i = 0; i < stats[c].layers.size(); ++i) {
      const LayerStats& l = stats[c].layers[i];
      h5::Handle g = h5::create_group(group.id(), n::kLayerPrefix + std::to_string(i));
      h5::write_attr_string(g.id(), n::kKey, l.key);
      h5::write_attr_string(g.id(), n::kLayer, l.layer);
      h5::write_attr_string(g.id(), n::kKind, name_of(l.kind));
      h5::write_attr<std::uint64_t>(g.id(), n::kCount, l.summary.count);
      const std::pair<const char*, double> values[] = {
          {n::kMean, l.summary.mean}, {n::kStd, l.summary.std},       {n::kMin, l.summary.min},
          {n::kMax, l.summary.max},   {n::kMedian, l.summary.median}, {n::kQ05, l.summary.q05},
          {n::kQ25, l.summary.q25},   {n::kQ75, l.summary.q75},       {n::kQ95, l.summary.q95}};
      for (const auto& [name, value] : values) h5::write_attr<double>(g.id(), name, value);
      h5::write_vector(g.id(), n::kHistogram, l.histogram.counts);
      h5::write_vector(g.id(), n::kBinEdges, l.histogram.edges);
    }
  }
  h5::close_file(file, out.temp_path());
  out.commit();
}

}  // namespace plifkit::analysis
