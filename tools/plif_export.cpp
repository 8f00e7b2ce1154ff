// plif-export CHECKPOINT -o NET.nir: a trained network as a graph of the
// Neuromorphic Intermediate Representation (NIR), for neuromorphic hardware
// stacks and other simulators (docs/nir.md). Reads the checkpoint directly
// (no LibTorch).
#include <cstdio>
#include <string>

#include "cli.hpp"
#include "plifkit/checkpoint/checkpoint_file.hpp"
#include "plifkit/nir/export.hpp"

using namespace plifkit;

int main(int argc, char** argv) {
  return cli::run("plif-export", [&] {
    cxxopts::Options options(
        "plif-export",
        "Writes a checkpoint's network (plif-train) as a NIR graph (HDF5, nir 1.0 on PyPI):\n"
        "each convolution with its BatchNorm folded in as Conv2d, each PLIF or LIF layer as\n"
        "LIF with its taus (per neuron or per layer) scaled by --dt, max pooling of spikes as\n"
        "SumPool2d then Threshold (or, with --pool-spike lif, a LIF node that does the same for\n"
        "importers without Threshold: snnTorch, Norse), average pooling as AvgPool2d, Flatten, Linear, and the\n"
        "vote as a Linear summing each class's ten neurons. One NIR step is one time step;\n"
        "the output summed over T steps is plif-eval's vote count. docs/nir.md has the\n"
        "mapping and the threshold convention.\n");
    options.positional_help("CHECKPOINT");
    options.add_options()
        ("checkpoint", "checkpoint file (plif-train)", cxxopts::value<std::string>())
        ("o,output", "the NIR file to write", cxxopts::value<std::string>())
        ("dt", "seconds per time step: NIR's tau = dt * tau in steps",
         cxxopts::value<double>()->default_value("0.001"))
        ("pool-spike", "after each max pooling's SumPool2d: threshold (a Threshold node) or lif (a LIF "
         "node with tau = dt and threshold 0.5: the same spikes, for snnTorch's and Norse's importers)",
         cxxopts::value<std::string>()->default_value("threshold"));
    options.parse_positional({"checkpoint"});
    cli::add_common_options(options, {false, false, false});

    cxxopts::ParseResult args;
    if (!cli::parse(options, argc, argv, args)) return cli::kExitOk;
    if (args.count("checkpoint") == 0) cli::usage_error("missing CHECKPOINT (see --help)");
    if (args.count("output") == 0) cli::usage_error("missing -o NET.nir (see --help)");
    nir::ExportOptions o;
    o.checkpoint = args["checkpoint"].as<std::string>();
    o.dt = args["dt"].as<double>();
    o.plifkit_version = cli::version();
    o.pool_spike = parse_choice<nir::PoolSpike>("pool-spike", args["pool-spike"].as<std::string>());
    const CheckpointFile checkpoint = read_checkpoint(o.checkpoint, kCheckpointModel);
    const nir::Graph graph = nir::export_network(checkpoint, o);
    const std::string output = args["output"].as<std::string>();
    nir::write_graph(output, graph);
    std::printf("plif-export: wrote '%s': %zu nodes, dt %g s, from '%s'\n", output.c_str(),
                graph.nodes.size(), o.dt, o.checkpoint.c_str());
    return cli::kExitOk;
  });
}
