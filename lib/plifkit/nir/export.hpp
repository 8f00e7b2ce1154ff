// A trained network as a NIR graph (docs/nir.md): inference semantics, one
// NIR step per time step of dt seconds.
//   conv + BatchNorm (running statistics) -> Conv2d with the BN folded into
//     its weight and bias
//   PLIF / LIF neurons -> LIF with tau = dt * tau_steps (per neuron, or the
//     layer's broadcast), r = 1, v_leak = v_reset = 0, v_threshold just
//     below 1 (plifkit fires at h >= 1, NIR at v > v_threshold)
//   2x2 max pooling of spikes -> SumPool2d then Threshold 0.5 (the window
//     holds a spike); average pooling -> AvgPool2d
//   flatten -> Flatten; linear -> Linear; dropout -> nothing
//   the vote -> Linear summing each class's group of 10 neurons: the output
//     summed over the steps is plif-eval's vote count
#pragma once

#include <string>

#include "plifkit/checkpoint/checkpoint_file.hpp"
#include "plifkit/nir/nir_graph.hpp"

namespace plifkit::nir {

// The LIF nodes' v_threshold: plifkit's neurons fire at h >= 1 (float32),
// and for float32 values NIR's v > v_threshold is the same test with the
// largest float32 below 1.
inline constexpr double kLifThreshold = 1.0 - 0x1p-24;  // std::nextafter(1.0f, 0.0f)

struct ExportOptions {
  double dt = 1e-3;             // seconds per time step
  std::string checkpoint;       // the file the checkpoint came from (metadata)
  std::string plifkit_version;  // (metadata)
};

// A checkpoint of the network of `config`: every /model entry the export
// reads, of its shape, all zero (one scalar w per layer unless
// tau_per_neuron). What import compares a graph against; tests fill it.
CheckpointFile checkpoint_of_shapes(const TrainConfig& config);

// Throws FormatError naming options.checkpoint when a /model entry the
// network needs is missing or shaped otherwise; UsageError for dt <= 0.
Graph export_network(const CheckpointFile& checkpoint, const ExportOptions& options);

}  // namespace plifkit::nir
