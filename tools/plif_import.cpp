// plif-import NET.nir -o CHECKPOINT: a NIR graph of one of plifkit's network
// shapes (as plif-export writes them, or another tool of the same shape) as
// a checkpoint that plif-eval, tau-stats and plif-train --init_checkpoint
// take (docs/nir.md). No LibTorch.
#include <cstdio>
#include <optional>
#include <string>

#include "cli.hpp"
#include "plifkit/nir/import.hpp"
#include "plifkit/nir/nir_reader.hpp"

using namespace plifkit;

int main(int argc, char** argv) {
  return cli::run("plif-import", [&] {
    cxxopts::Options options(
        "plif-import",
        "Reads a NIR graph (HDF5, nir 1.0) whose shape is one of plifkit's networks (Input,\n"
        "Conv2d + LIF blocks with SumPool2d + Threshold (or + a LIF of tau dt) or AvgPool2d,\n"
        "Flatten, Linear + LIF blocks, the vote as a Linear, Output) and writes it as a plifkit\n"
        "checkpoint: a conv's bias becomes its BatchNorm's shift with unit scale, each LIF's\n"
        "tau / dt the neurons' tau and its r a factor on the weights before it (snnTorch's\n"
        "export writes r = tau / dt). A graph of another shape is refused naming the first\n"
        "node that does not fit.\n");
    options.positional_help("NET.nir");
    options.add_options()
        ("nir", "the NIR file", cxxopts::value<std::string>())
        ("o,output", "the checkpoint to write", cxxopts::value<std::string>())
        ("dataset", "the dataset of the network (default: the graph's metadata dataset, else the "
                    "one registry row whose input and classes fit the graph)", cxxopts::value<std::string>())
        ("T", "time steps per sample (default: the graph's metadata T)", cxxopts::value<std::int64_t>())
        ("dt", "seconds per time step (default: the graph's metadata dt, else 0.001)",
         cxxopts::value<double>())
        ("split_by", "of the frames the network takes (event datasets)",
         cxxopts::value<std::string>()->default_value("number"))
        ("normalization", "of the frames the network takes (event datasets)",
         cxxopts::value<std::string>()->default_value("None"));
    options.parse_positional({"nir"});
    cli::add_common_options(options, {false, false, false});

    cxxopts::ParseResult args;
    if (!cli::parse(options, argc, argv, args)) return cli::kExitOk;
    if (args.count("nir") == 0) cli::usage_error("missing NET.nir (see --help)");
    if (args.count("output") == 0) cli::usage_error("missing -o CHECKPOINT (see --help)");
    nir::ImportOptions o;
    o.path = args["nir"].as<std::string>();
    if (args.count("dataset") != 0) o.dataset = parse_choice<Dataset>("dataset", args["dataset"].as<std::string>());
    if (args.count("T") != 0) o.T = args["T"].as<std::int64_t>();
    if (args.count("dt") != 0) o.dt = args["dt"].as<double>();
    o.split_by = frames::parse_split_by(args["split_by"].as<std::string>());
    o.normalization = frames::parse_normalization(args["normalization"].as<std::string>());
    const CheckpointFile checkpoint = nir::import_network(nir::read_graph(o.path), o);
    const std::string output = args["output"].as<std::string>();
    write_checkpoint(output, checkpoint);
    std::printf("plif-import: wrote '%s': %s network, %s neurons, from '%s'\n", output.c_str(),
                name_of_choice(checkpoint.config.net.dataset), name_of(neuron_kind_of(checkpoint.config.net)),
                o.path.c_str());
    return cli::kExitOk;
  });
}
