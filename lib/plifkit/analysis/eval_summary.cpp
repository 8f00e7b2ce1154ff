#include "plifkit/analysis/eval_summary.hpp"

#include <limits>

#include "plifkit/core/error.hpp"

namespace plifkit::analysis {

std::uint8_t predict(const std::uint32_t* votes, int class_num) {
  int best = 0;
  // Strictly greater: a later class must beat the best so far, so ties keep
  // the lowest index.
  for (int c = 1; c < class_num; ++c)
    if (votes[c] > votes[best]) best = c;
  return static_cast<std::uint8_t>(best);
}

EvalSummary summarize(const EvalRun& run) {
  const std::size_t N = run.samples();
  const auto C = static_cast<std::size_t>(run.class_num);
  const auto T = static_cast<std::size_t>(run.T);
  if (N == 0) throw Error("no samples to evaluate");
  if (run.class_num < 1 || run.class_num > 256 || run.vote_group < 1 || run.T < 1 ||
      run.votes.size() != T * N * C || run.class_names.size() != C || run.source.size() != N ||
      run.segment.size() != N)
    throw Error("evaluation outputs have inconsistent sizes");

  EvalSummary s;
  s.confusion.assign(C * C, 0);
  s.classes.resize(C);
  for (std::size_t c = 0; c < C; ++c) s.classes[c].name = run.class_names[c];
  const std::uint32_t* final_votes = run.votes.data() + (T - 1) * N * C;
  for (std::size_t n = 0; n < N; ++n) {
    const std::uint32_t* v = final_votes + n * C;
    for (std::size_t c = 0; c < C; ++c)
      s.counts.push_back(static_cast<float>(static_cast<double>(v[c]) / run.vote_group));
    const std::uint8_t p = predict(v, run.class_num);
    const std::uint8_t label = run.labels[n];
    if (label >= C) throw Error("label " + std::to_string(label) + " is not below class_num");
    s.predicted.push_back(p);
    ++s.confusion[label * C + p];
    ++s.classes[label].samples;
    if (p == label) {
      ++s.classes[label].correct;
      ++s.correct;
    }
  }
  s.accuracy = static_cast<double>(s.correct) / static_cast<double>(N);
  for (auto& c : s.classes)
    c.accuracy = c.samples == 0 ? std::numeric_limits<double>::quiet_NaN()
                                : static_cast<double>(c.correct) / static_cast<double>(c.samples);

  for (std::size_t t = 0; t < T; ++t) {
    std::uint64_t correct = 0;
    for (std::size_t n = 0; n < N; ++n)
      correct += predict(run.votes.data() + (t * N + n) * C, run.class_num) == run.labels[n];
    s.accuracy_by_step.push_back(static_cast<double>(correct) / static_cast<double>(N));
  }

  for (const auto& layer : run.layers) {
    LayerResult r;
    r.name = layer.name;
    r.neurons = layer.neurons;
    r.fan_out = layer.fan_out;
    r.firing_rate = layer.spikes / (static_cast<double>(N) * static_cast<double>(T) *
                                    static_cast<double>(layer.neurons));
    r.synops = layer.spikes / static_cast<double>(N) * static_cast<double>(layer.fan_out);
    s.synops += r.synops;
    s.layers.push_back(r);
  }
  return s;
}

}  // namespace plifkit::analysis
