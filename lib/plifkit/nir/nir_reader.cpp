#include "plifkit/nir/nir_reader.hpp"

#include <set>

#include "plifkit/core/error.hpp"
#include "plifkit/h5/h5.hpp"

namespace plifkit::nir {

namespace {

Field read_field(hid_t group, const std::string& name, const std::string& where) {
  Field f;
  f.name = name;
  h5::Dims dims;
  std::size_t element_size = 0;
  H5T_class_t kind;
  {
    h5::Handle dataset = h5::open_dataset(group, name);
    kind = h5::dataset_class(dataset.id());
    element_size = h5::dataset_type_size(dataset.id());
  }
  switch (kind) {
    case H5T_STRING:
      f.type = Field::Type::text;
      f.texts = h5::read_strings(group, name, &dims);
      break;
    case H5T_INTEGER:
      f.type = Field::Type::int64;
      f.values = h5::read_dataset<double>(group, name, &dims);
      break;
    case H5T_FLOAT:
      f.type = element_size == 4 ? Field::Type::float32 : Field::Type::float64;
      f.values = h5::read_dataset<double>(group, name, &dims);
      break;
    default:
      throw FormatError(where + " field '" + name + "' is neither numbers nor strings");
  }
  f.shape.assign(dims.begin(), dims.end());
  return f;
}

std::vector<Field> read_fields(hid_t group, const std::string& where) {
  std::vector<Field> fields;
  for (const auto& name : h5::member_names(group)) fields.push_back(read_field(group, name, where));
  return fields;
}

}  // namespace

Graph read_graph(const std::string& path) {
  h5::Handle file = h5::open_file(path);
  const std::string file_name = quoted(path);
  if (!h5::exists(file.id(), "node")) throw FormatError(file_name + ": not a NIR file (no /node)");
  h5::Handle root = h5::open_group(file.id(), "node");
  const std::vector<Field> root_fields = {read_field(root.id(), "type", file_name + ": /node")};
  if (root_fields[0].type != Field::Type::text || root_fields[0].texts != std::vector<std::string>{"NIRGraph"})
    throw FormatError(file_name + ": /node is not a NIRGraph");
  Graph g;
  std::set<std::string> names;
  if (!h5::exists(root.id(), "nodes")) throw FormatError(file_name + ": /node has no nodes");
  h5::Handle nodes = h5::open_group(root.id(), "nodes");
  for (const auto& name : h5::member_names(nodes.id())) {
    const std::string where = file_name + ": node '" + name + "'";
    h5::Handle group = h5::open_group(nodes.id(), name);
    Node node;
    node.name = name;
    for (Field& f : read_fields(group.id(), where)) {
      if (f.name == "type") {
        if (f.type != Field::Type::text || f.texts.size() != 1)
          throw FormatError(where + " field 'type' is not one string");
        node.type = f.texts[0];
      } else {
        node.fields.push_back(std::move(f));
      }
    }
    if (node.type.empty()) throw FormatError(where + " has no type");
    names.insert(name);
    g.nodes.push_back(std::move(node));
  }
  if (!h5::exists(root.id(), "edges")) throw FormatError(file_name + ": /node has no edges");
  const Field edges = read_field(root.id(), "edges", file_name + ": /node");
  if (edges.type != Field::Type::text || (edges.shape.size() != 2 && !edges.texts.empty()) ||
      (edges.shape.size() == 2 && edges.shape[1] != 2))
    throw FormatError(file_name + ": /node/edges is not an [E, 2] array of node names");
  for (std::size_t i = 0; i + 1 < edges.texts.size(); i += 2) {
    for (const std::string* end : {&edges.texts[i], &edges.texts[i + 1]})
      if (names.count(*end) == 0)
        throw FormatError(file_name + ": an edge names node '" + *end + "', which the graph lacks");
    g.edges.emplace_back(edges.texts[i], edges.texts[i + 1]);
  }
  if (h5::exists(root.id(), "metadata")) {
    h5::Handle meta = h5::open_group(root.id(), "metadata");
    g.metadata = read_fields(meta.id(), file_name + ": /node/metadata");
  }
  return g;
}

}  // namespace plifkit::nir
