// A trained network as a NIR graph (docs/nir.md): inference semantics, one
// NIR step per time step of dt seconds.
//   conv + BatchNorm (running statistics) -> Conv2d with the BN folded into
//     its weight and bias
//   PLIF / LIF neurons -> LIF with tau = dt * tau_steps (per neuron, or the
//     layer's broadcast), r = 1, v_leak = v_reset = 0, v_threshold just
//     below 1 (plifkit fires at h >= 1, NIR at v > v_threshold)
//   2x2 max pooling of spikes -> SumPool2d then Threshold 0.5 (the window
//     holds a spike), or then a stateless LIF that thresholds at 0.5 for
//     importers without a Threshold node; average pooling -> AvgPool2d
//   flatten -> Flatten; linear -> Linear; dropout -> nothing
//   the vote -> Linear summing each class's group of 10 neurons: the output
//     summed over the steps is plif-eval's vote count
#pragma once

#include <string>

#include "plifkit/checkpoint/checkpoint_file.hpp"
#include "plifkit/core/choice.hpp"
#include "plifkit/nir/nir_graph.hpp"

namespace plifkit::nir {

// The LIF nodes' v_threshold: plifkit's neurons fire at h >= 1 (float32),
// and for float32 values NIR's v > v_threshold is the same test with the
// largest float32 below 1.
inline constexpr double kLifThreshold = 1.0 - 0x1p-24;  // std::nextafter(1.0f, 0.0f)

// How the spike of a max-pooling window (its sum of 0/1 spikes is >= 1) is
// written after the SumPool2d.
enum class PoolSpike {
  threshold,  // a Threshold node at 0.5
  lif,        // a LIF node with tau = dt, r = 1, v_leak = v_reset = 0 and
              // v_threshold 0.5: one Euler step replaces its membrane by the
              // input, so it fires where the Threshold would and keeps no
              // state (snnTorch's and Norse's importers take no Threshold)
};

}  // namespace plifkit::nir

namespace plifkit {
template <>
struct Choices<nir::PoolSpike> {
  static constexpr std::array<Choice<nir::PoolSpike>, 2> all{
      {{nir::PoolSpike::threshold, "threshold"}, {nir::PoolSpike::lif, "lif"}}};
};
}  // namespace plifkit

namespace plifkit::nir {

// A LIF node of the PoolSpike::lif kind, as export writes it and import
// recognises it (tau equal to dt within this relative error).
inline constexpr double kPoolSpikeThreshold = 0.5;
inline constexpr double kPoolSpikeTauTolerance = 1e-6;

struct ExportOptions {
  double dt = 1e-3;             // seconds per time step
  std::string checkpoint;       // the file the checkpoint came from (metadata)
  std::string plifkit_version;  // (metadata)
  PoolSpike pool_spike = PoolSpike::threshold;
};

// A checkpoint of the network of `config`: every /model entry the export
// reads, of its shape, all zero (one scalar w per layer unless
// tau_per_neuron). What import compares a graph against; tests fill it.
CheckpointFile checkpoint_of_shapes(const TrainConfig& config);

// Throws FormatError naming options.checkpoint when a /model entry the
// network needs is missing or shaped otherwise; UsageError for dt <= 0.
Graph export_network(const CheckpointFile& checkpoint, const ExportOptions& options);

}  // namespace plifkit::nir
