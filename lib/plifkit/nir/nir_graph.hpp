// A graph of the Neuromorphic Intermediate Representation (NIR, nir 1.0 on
// PyPI) in memory, and its HDF5 file: /version, then /node, a NIRGraph with
// /node/type, /node/nodes/<name>/<field> (one group per node, one dataset
// per field, `type` naming the node), /node/edges ([E, 2] strings, source
// and target) and /node/metadata (a dataset per entry). The layout is the
// one `nir.write` produces and `nir.read` takes.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace plifkit::nir {

// The NIR version the files say they follow.
inline constexpr const char* kNirVersion = "1.0.8";

// One dataset of a node: a string, or numbers of a shape (empty: a scalar)
// stored as float32, float64 or int64.
struct Field {
  enum class Type { text, float32, float64, int64 };
  std::string name;
  Type type = Type::float64;
  std::vector<std::string> texts;      // text: one (a scalar) or shape's product
  std::vector<std::int64_t> shape;
  std::vector<double> values;  // row-major; converted to the stored type when written

  static Field of_text(std::string name, std::string text);
  static Field of_texts(std::string name, std::vector<std::string> texts);
  static Field of_int(std::string name, std::int64_t value);
  static Field of_real(std::string name, double value);
  static Field of_ints(std::string name, std::vector<std::int64_t> values);
  static Field of_array(std::string name, Type type, std::vector<std::int64_t> shape,
                        std::vector<double> values);
};

struct Node {
  std::string name;
  std::string type;  // "Conv2d", "LIF", ...
  std::vector<Field> fields;
};

struct Graph {
  std::vector<Node> nodes;  // in network order
  std::vector<std::pair<std::string, std::string>> edges;
  std::vector<Field> metadata;
};

// A node's name from a state_dict prefix: '.' becomes '_' (NIR keeps '.'
// for nested graphs). "conv.2" -> "conv_2".
std::string node_name(std::string state_dict_prefix);

// Writes atomically (temporary file, then rename). Throws IoError.
void write_graph(const std::string& path, const Graph& graph);

}  // namespace plifkit::nir
