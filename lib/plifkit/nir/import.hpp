// A NIR graph of one of plifkit's network shapes back into a checkpoint
// (docs/nir.md): the inverse of export.hpp. A conv's bias becomes its
// BatchNorm's shift with unit scale (running mean 0, running variance
// 1 - eps), each LIF's tau / dt its neurons' tau (w = -ln(tau_steps - 1)),
// and the settings the graph cannot hold (T, split_by, normalization) come
// from the graph's metadata or the options.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "plifkit/checkpoint/checkpoint_file.hpp"
#include "plifkit/nir/nir_graph.hpp"

namespace plifkit::nir {

struct ImportOptions {
  std::string path;                // the NIR file, for messages
  // Else the graph's metadata `dataset`, else the one registry row whose
  // input and classes fit.
  std::optional<Dataset> dataset;
  std::optional<std::int64_t> T;   // else the metadata's T
  std::optional<double> dt;        // else the metadata's dt, else 0.001
  frames::SplitBy split_by = frames::SplitBy::number;
  frames::Normalization normalization = frames::Normalization::none;
};

// Throws FormatError with one line naming the file and the first node that
// does not fit plifkit's network (or what is missing), UsageError for
// options that contradict the graph.
CheckpointFile import_network(const Graph& graph, const ImportOptions& options);

}  // namespace plifkit::nir
