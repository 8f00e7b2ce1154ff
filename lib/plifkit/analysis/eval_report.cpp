#include "plifkit/analysis/eval_report.hpp"

#include <cmath>
#include <cstdio>

#include "plifkit/analysis/text_table.hpp"

namespace plifkit::analysis {

namespace {

constexpr const char* kAccuracy = "%.4f";
constexpr const char* kRate = "%.6f";
constexpr const char* kSynops = "%.6g";
constexpr const char* kJsonNumber = "%.17g";  // round-trips a double

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (u < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

std::string json_number(double v) { return std::isfinite(v) ? format(kJsonNumber, v) : "null"; }

template <typename Item>
std::string json_array(std::size_t n, const Item& item) {
  std::string out = "[";
  for (std::size_t i = 0; i < n; ++i) out += (i ? ", " : "") + item(i);
  return out + "]";
}

}  // namespace

std::string eval_table(const Evaluation& e, bool per_step) {
  const EvalRun& run = e.run;
  const EvalSummary& s = e.summary;
  const auto C = static_cast<std::size_t>(run.class_num);
  std::string out;
  {
    TextTable head({"checkpoint", e.checkpoint}, 2);
    head.add_row({"frames", e.frames + ", split " + e.split + ", " +
                                std::to_string(run.samples()) + " samples"});
    head.add_row({"accuracy", format(kAccuracy, s.accuracy) + " (" + std::to_string(s.correct) +
                                  " of " + std::to_string(run.samples()) + ")"});
    out += head.render();
  }
  {
    TextTable classes({"class", "name", "samples", "correct", "accuracy"}, 2);
    for (std::size_t c = 0; c < C; ++c) {
      const ClassResult& r = s.classes[c];
      classes.add_row({std::to_string(c), r.name, std::to_string(r.samples),
                       std::to_string(r.correct),
                       r.samples == 0 ? "-" : format(kAccuracy, r.accuracy)});
    }
    out += "\n" + classes.render();
  }
  {
    std::vector<std::string> header = {"true \\ predicted", ""};
    for (std::size_t c = 0; c < C; ++c) header.push_back(std::to_string(c));
    TextTable confusion(header, 2);
    for (std::size_t t = 0; t < C; ++t) {
      std::vector<std::string> row = {std::to_string(t), run.class_names[t]};
      for (std::size_t p = 0; p < C; ++p) row.push_back(std::to_string(s.confusion[t * C + p]));
      confusion.add_row(row);
    }
    out += "\nconfusion matrix: rows are the true class, columns the predicted class\n" +
           confusion.render();
  }
  if (per_step) {
    TextTable steps({"steps used", "accuracy"}, 0);
    for (std::size_t t = 0; t < s.accuracy_by_step.size(); ++t)
      steps.add_row({std::to_string(t + 1), format(kAccuracy, s.accuracy_by_step[t])});
    out += "\naccuracy when deciding on the votes of the first t of " + std::to_string(run.T) +
           " steps\n" + steps.render();
  }
  {
    TextTable layers({"neuron layer", "neurons", "firing rate", "fan-out", "synops/sample"}, 1);
    for (const auto& l : s.layers)
      layers.add_row({l.name, std::to_string(l.neurons), format(kRate, l.firing_rate),
                      std::to_string(l.fan_out), format(kSynops, l.synops)});
    layers.add_row({"all", "", "", "", format(kSynops, s.synops)});
    out += "\nfiring rate: spikes per neuron per step; synops: spikes per sample x fan-out\n" +
           layers.render();
  }
  return out;
}

std::string eval_json(const Evaluation& e, bool per_step) {
  const EvalRun& run = e.run;
  const EvalSummary& s = e.summary;
  const auto C = static_cast<std::size_t>(run.class_num);
  std::string out = "{\n";
  auto field = [&](const std::string& name, const std::string& value, bool last = false) {
    out += "  " + json_string(name) + ": " + value + (last ? "\n" : ",\n");
  };
  field("checkpoint", json_string(e.checkpoint));
  field("frames", json_string(e.frames));
  field("split", json_string(e.split));
  field("samples", std::to_string(run.samples()));
  field("T", std::to_string(run.T));
  field("correct", std::to_string(s.correct));
  field("accuracy", json_number(s.accuracy));
  field("classes", json_array(C, [&](std::size_t c) {
          const ClassResult& r = s.classes[c];
          return "{\"index\": " + std::to_string(c) + ", \"name\": " + json_string(r.name) +
                 ", \"samples\": " + std::to_string(r.samples) +
                 ", \"correct\": " + std::to_string(r.correct) +
                 ", \"accuracy\": " + json_number(r.accuracy) + "}";
        }));
  field("confusion", json_array(C, [&](std::size_t t) {
          return json_array(C, [&](std::size_t p) { return std::to_string(s.confusion[t * C + p]); });
        }));
  if (per_step)
    field("accuracy_by_step", json_array(s.accuracy_by_step.size(), [&](std::size_t t) {
            return json_number(s.accuracy_by_step[t]);
          }));
  field("layers", json_array(s.layers.size(), [&](std::size_t i) {
          const LayerResult& l = s.layers[i];
          return "{\"name\": " + json_string(l.name) + ", \"neurons\": " + std::to_string(l.neurons) +
                 ", \"fan_out\": " + std::to_string(l.fan_out) +
                 ", \"firing_rate\": " + json_number(l.firing_rate) +
                 ", \"synops\": " + json_number(l.synops) + "}";
        }));
  field("synops", json_number(s.synops), true);
  return out + "}\n";
}

}  // namespace plifkit::analysis
