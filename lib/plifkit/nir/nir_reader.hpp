// Reads a NIR graph file (the layout of nir_graph.hpp, as `nir.write` and
// plif-export write it) into a Graph: every node's fields as numbers (with
// their stored type and shape) or strings, the edges and the metadata.
#pragma once

#include <string>

#include "plifkit/nir/nir_graph.hpp"

namespace plifkit::nir {

// Throws IoError, or FormatError naming the file and the node and field at
// fault: not a NIR file (no /node NIRGraph), a node without its type, a
// field that is neither numbers nor strings, edges that are not [E, 2]
// strings or name a node the graph lacks.
Graph read_graph(const std::string& path);

}  // namespace plifkit::nir
