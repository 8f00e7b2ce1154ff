#include "plifkit/nir/nir_graph.hpp"

#include "plifkit/core/atomic_output.hpp"
#include "plifkit/h5/h5.hpp"

namespace plifkit::nir {

Field Field::of_text(std::string name, std::string text) {
  Field f;
  f.name = std::move(name);
  f.type = Type::text;
  f.texts = {std::move(text)};
  return f;
}

Field Field::of_texts(std::string name, std::vector<std::string> texts) {
  Field f;
  f.name = std::move(name);
  f.type = Type::text;
  f.shape = {static_cast<std::int64_t>(texts.size())};
  f.texts = std::move(texts);
  return f;
}

Field Field::of_int(std::string name, std::int64_t value) {
  return of_array(std::move(name), Type::int64, {}, {static_cast<double>(value)});
}

Field Field::of_real(std::string name, double value) {
  return of_array(std::move(name), Type::float64, {}, {value});
}

Field Field::of_ints(std::string name, std::vector<std::int64_t> values) {
  std::vector<double> v(values.begin(), values.end());
  return of_array(std::move(name), Type::int64, {static_cast<std::int64_t>(values.size())}, std::move(v));
}

Field Field::of_array(std::string name, Type type, std::vector<std::int64_t> shape,
                      std::vector<double> values) {
  Field f;
  f.name = std::move(name);
  f.type = type;
  f.shape = std::move(shape);
  f.values = std::move(values);
  return f;
}

std::string node_name(std::string prefix) {
  for (char& c : prefix)
    if (c == '.') c = '_';
  return prefix;
}

namespace {

void write_field(hid_t group, const Field& f) {
  const h5::Dims dims(f.shape.begin(), f.shape.end());
  switch (f.type) {
    case Field::Type::text:
      h5::write_strings(group, f.name, dims, f.texts);
      return;
    case Field::Type::float32: {
      const std::vector<float> v(f.values.begin(), f.values.end());
      h5::write_dataset<float>(group, f.name, dims, v.data());
      return;
    }
    case Field::Type::float64:
      h5::write_dataset<double>(group, f.name, dims, f.values.data());
      return;
    case Field::Type::int64: {
      const std::vector<std::int64_t> v(f.values.begin(), f.values.end());
      h5::write_dataset<std::int64_t>(group, f.name, dims, v.data());
      return;
    }
  }
}

}  // namespace

void write_graph(const std::string& path, const Graph& graph) {
  AtomicOutput out(path);
  h5::Handle file = h5::create_file(out.temp_path());
  h5::write_strings(file.id(), "version", h5::Dims{}, {kNirVersion});
  {
    h5::Handle root = h5::create_group(file.id(), "node");
    h5::write_strings(root.id(), "type", h5::Dims{}, {"NIRGraph"});
    h5::Handle nodes = h5::create_group(root.id(), "nodes");
    for (const Node& node : graph.nodes) {
      h5::Handle g = h5::create_group(nodes.id(), node.name);
      h5::write_strings(g.id(), "type", h5::Dims{}, {node.type});
      for (const Field& f : node.fields) write_field(g.id(), f);
    }
    std::vector<std::string> edges;
    for (const auto& [from, to] : graph.edges) {
      edges.push_back(from);
      edges.push_back(to);
    }
    h5::write_strings(root.id(), "edges", h5::Dims{graph.edges.size(), 2}, edges);
    if (!graph.metadata.empty()) {
      h5::Handle meta = h5::create_group(root.id(), "metadata");
      for (const Field& f : graph.metadata) write_field(meta.id(), f);
    }
  }
  h5::close_file(file, out.temp_path());
  out.commit();
}

}  // namespace plifkit::nir
