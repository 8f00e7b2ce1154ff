#include "plifkit/analysis/tau_report.hpp"

#include <algorithm>

#include "plifkit/analysis/csv.hpp"
#include "plifkit/analysis/text_table.hpp"

namespace plifkit::analysis {

namespace {

constexpr const char* kTau = "%.4f";       // table cells
constexpr const char* kExact = "%.9g";     // CSV: round-trips a float32-derived tau closely
constexpr const char* kCount = "%.0f";

std::string column_label(std::size_t c) { return "[" + std::to_string(c) + "]"; }

std::string describe_kind(NeuronKind kind) {
  switch (kind) {
    case NeuronKind::plif_per_neuron: return "PLIF, one tau per neuron";
    case NeuronKind::plif_per_layer: return "PLIF, one tau per layer";
    case NeuronKind::lif: return "LIF, fixed tau (init_tau)";
  }
  return "";
}

// Network order of state_dict prefixes: conv blocks by index, then fc.3, fc.6.
bool network_order(const std::string& a, const std::string& b) {
  auto rank = [](const std::string& s) {
    const bool fc = s.rfind("fc.", 0) == 0;
    return std::make_pair(fc, std::stoi(s.substr(s.find('.') + 1)));
  };
  return rank(a) < rank(b);
}

// The rows: every layer any checkpoint has (networks of different depth differ).
std::vector<std::string> all_layers(const std::vector<CheckpointStats>& stats) {
  std::vector<std::string> layers;
  for (const auto& c : stats)
    for (const auto& l : c.layers)
      if (std::find(layers.begin(), layers.end(), l.layer) == layers.end()) layers.push_back(l.layer);
  std::sort(layers.begin(), layers.end(), network_order);
  return layers;
}

const LayerStats* find_layer(const CheckpointStats& c, const std::string& layer) {
  for (const auto& l : c.layers)
    if (l.layer == layer) return &l;
  return nullptr;
}

std::string legend(const std::vector<std::string>& paths, const std::vector<std::string>& notes) {
  std::string out;
  for (std::size_t c = 0; c < paths.size(); ++c)
    out += column_label(c) + " " + paths[c] + (notes[c].empty() ? "" : ": " + notes[c]) + "\n";
  return out;
}

}  // namespace

std::string tau_stats_table(const std::vector<CheckpointStats>& stats) {
  std::vector<std::string> paths, notes;
  for (const auto& c : stats) {
    paths.push_back(c.path);
    notes.push_back(c.layers.empty() ? "" : describe_kind(c.layers.front().kind));
  }
  std::vector<std::string> header = {"layer", "statistic"};
  for (std::size_t c = 0; c < stats.size(); ++c) header.push_back(column_label(c));
  TextTable table(header, 2);

  using Field = double Summary::*;
  const std::pair<const char*, Field> rows[] = {
      {"mean", &Summary::mean}, {"std", &Summary::std},       {"min", &Summary::min},
      {"q05", &Summary::q05},   {"q25", &Summary::q25},       {"median", &Summary::median},
      {"q75", &Summary::q75},   {"q95", &Summary::q95},       {"max", &Summary::max}};
  for (const auto& layer : all_layers(stats)) {
    std::vector<std::string> count_row = {layer, "count"};
    for (const auto& c : stats) {
      const LayerStats* l = find_layer(c, layer);
      count_row.push_back(l ? format(kCount, static_cast<double>(l->summary.count)) : "-");
    }
    table.add_row(count_row);
    for (const auto& [name, field] : rows) {
      std::vector<std::string> row = {"", name};
      for (const auto& c : stats) {
        const LayerStats* l = find_layer(c, layer);
        const bool single = l != nullptr && l->kind != NeuronKind::plif_per_neuron;
        const bool shown = l != nullptr && (!single || field == &Summary::mean);
        row.push_back(shown ? format(kTau, l->summary.*field) : "");
      }
      table.add_row(row);
    }
  }
  return "tau = 1/sigmoid(w) per neuron layer; std with divisor n - 1, quantiles by linear "
         "interpolation\n" +
         legend(paths, notes) + "\n" + table.render();
}

std::string tau_stats_csv(const std::vector<CheckpointStats>& stats) {
  std::string out = csv_line({"checkpoint_index", "checkpoint", "layer", "key", "kind", "count",
                              "mean", "std", "min", "q05", "q25", "median", "q75", "q95", "max"});
  for (std::size_t c = 0; c < stats.size(); ++c)
    for (const auto& l : stats[c].layers) {
      const Summary& s = l.summary;
      out += csv_line({std::to_string(c), stats[c].path, l.layer, l.key, name_of(l.kind),
                       std::to_string(s.count), format(kExact, s.mean), format(kExact, s.std),
                       format(kExact, s.min), format(kExact, s.q05), format(kExact, s.q25),
                       format(kExact, s.median), format(kExact, s.q75), format(kExact, s.q95),
                       format(kExact, s.max)});
    }
  return out;
}

std::string tau_histogram_csv(const std::vector<CheckpointStats>& stats) {
  std::string out = csv_line(
      {"checkpoint_index", "checkpoint", "layer", "kind", "bin", "low", "high", "count", "fraction"});
  for (std::size_t c = 0; c < stats.size(); ++c)
    for (const auto& l : stats[c].layers) {
      const auto& h = l.histogram;
      for (std::size_t b = 0; b < h.counts.size(); ++b)
        out += csv_line({std::to_string(c), stats[c].path, l.layer, name_of(l.kind),
                         std::to_string(b), format(kExact, h.edges[b]),
                         format(kExact, h.edges[b + 1]), std::to_string(h.counts[b]),
                         format(kExact, static_cast<double>(h.counts[b]) /
                                            static_cast<double>(l.summary.count))});
    }
  return out;
}

std::string tau_evolution_table(const std::vector<std::string>& paths,
                                const std::vector<TauLog>& logs) {
  std::string out = "tau per epoch, mean (std) over each layer's neurons, from the checkpoint's /log\n";
  for (std::size_t c = 0; c < logs.size(); ++c) {
    const TauLog& log = logs[c];
    std::vector<std::string> header = {"epoch"};
    header.insert(header.end(), log.layers.begin(), log.layers.end());
    TextTable table(header, 0);
    for (std::size_t r = 0; r < log.epochs.size(); ++r) {
      std::vector<std::string> row = {format(kCount, log.epochs[r])};
      for (std::size_t i = 0; i < log.layers.size(); ++i)
        row.push_back(format(kTau, log.tau_mean[i][r]) + " (" + format(kTau, log.tau_std[i][r]) + ")");
      table.add_row(row);
    }
    out += "\n" + column_label(c) + " " + paths[c] + "\n" + table.render();
  }
  return out;
}

std::string tau_evolution_csv(const std::vector<std::string>& paths,
                              const std::vector<TauLog>& logs) {
  std::string out =
      csv_line({"checkpoint_index", "checkpoint", "epoch", "layer", "tau_mean", "tau_std"});
  for (std::size_t c = 0; c < logs.size(); ++c)
    for (std::size_t r = 0; r < logs[c].epochs.size(); ++r)
      for (std::size_t i = 0; i < logs[c].layers.size(); ++i)
        out += csv_line({std::to_string(c), paths[c], format(kCount, logs[c].epochs[r]),
                         logs[c].layers[i], format(kExact, logs[c].tau_mean[i][r]),
                         format(kExact, logs[c].tau_std[i][r])});
  return out;
}

}  // namespace plifkit::analysis
