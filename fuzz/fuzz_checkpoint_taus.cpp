// Checkpoint tau reader (read_checkpoint_taus, read_tau_log), structure-aware:
// each input first picks a valid small checkpoint as far as these readers
// look (format stamp, /config, /model w's, /log tau columns; written through
// the h5 wrapper, the way plif-train lays them out), then a sequence of
// mutations (h5_mutations.hpp). The readers must refuse with a plifkit::Error
// or return what their header promises.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "h5_mutations.hpp"
#include "plifkit/analysis/checkpoint_taus.hpp"
#include "plifkit/checkpoint/config_group.hpp"
#include "plifkit/h5/h5.hpp"
#include "plifkit/h5/names.hpp"
#include "plifkit/h5/stage_file.hpp"

using namespace plifkit;
using namespace plifkit::analysis;

namespace {

namespace n = names::checkpoint;

struct Base {
  int number_layer = 1;
  bool use_plif = true;
  bool per_neuron = true;
  std::size_t neurons = 3;  // per layer, when per_neuron
  std::size_t epochs = 2;   // rows of /log
};

Base pick_base(FuzzedDataProvider& in) {
  Base b;
  b.number_layer = in.ConsumeIntegralInRange(1, 2);
  b.use_plif = in.ConsumeIntegralInRange(0, 3) != 0;
  b.per_neuron = in.ConsumeBool();
  b.neurons = in.ConsumeIntegralInRange<std::size_t>(1, 4);
  b.epochs = in.ConsumeIntegralInRange<std::size_t>(0, 3);
  return b;
}

// A 128x128 DVS128 Gesture network of 4 channels.
TrainConfig config_of(int number_layer, bool use_plif, bool per_neuron) {
  TrainConfig c;
  c.dataset = Dataset::DVS128Gesture;
  c.T = 4;
  c.split_by = frames::SplitBy::number;
  c.normalization = frames::Normalization::none;
  c.net.channels = 4;
  c.net.number_layer = number_layer;
  c.net.use_plif = use_plif;
  c.net.tau_per_neuron = use_plif && per_neuron;
  return c;
}

void write_base(const std::string& path, const Base& b) {
  h5::Handle f = h5::create_file(path);
  h5::write_format_stamp(f.id(), n::kFormatName, n::kVersion);
  const TrainConfig config = config_of(b.number_layer, b.use_plif, b.per_neuron);
  const std::vector<std::string> layers = neuron_layer_names(config.net);
  write_config_attributes(h5::create_group(f.id(), n::kConfig).id(), config);
  {
    h5::Handle g = h5::create_group(f.id(), n::kModel);
    const float bias[] = {0.25f, -0.5f, 1.0f, 3.0f};
    h5::write_dataset<float>(g.id(), "conv.1.bias", h5::Dims{4}, bias);
    if (b.use_plif) {
      for (std::size_t i = 0; i < layers.size(); ++i) {
        std::vector<float> w(b.per_neuron ? b.neurons : 1);
        for (std::size_t k = 0; k < w.size(); ++k) w[k] = 0.1f * static_cast<float>(i + k);
        h5::write_dataset<float>(g.id(), layers[i] + ".w",
                                 b.per_neuron ? h5::Dims{1, w.size()} : h5::Dims{}, w.data());
      }
    }
  }
  {
    h5::Handle g = h5::create_group(f.id(), n::kLog);
    std::vector<std::int64_t> epoch;
    std::vector<double> mean, sd;
    for (std::size_t e = 0; e < b.epochs; ++e) {
      epoch.push_back(static_cast<std::int64_t>(e));
      mean.push_back(2.0 + 0.1 * static_cast<double>(e));
      sd.push_back(0.01 * static_cast<double>(e));
    }
    h5::write_vector(g.id(), n::kLogEpoch, epoch);
    for (std::size_t i = 0; i < layers.size(); ++i) {
      h5::write_vector(g.id(), n::kLogTauMeanPrefix + std::to_string(i), mean);
      h5::write_vector(g.id(), n::kLogTauStdPrefix + std::to_string(i), sd);
    }
  }
  h5::close_file(f, path);
}

fuzz::H5Shape shape_of(const Base& b) {
  fuzz::H5Shape s;
  s.objects = {"/config", "/model", "/log", "/model/conv.1.bias", "/log/epoch"};
  for (const auto& layer : neuron_layer_names(config_of(b.number_layer + 1, true, true).net))
    s.objects.push_back("/model/" + layer + ".w");
  for (int i = 0; i < b.number_layer + 3; ++i) {
    s.objects.push_back("/log/" + std::string(n::kLogTauMeanPrefix) + std::to_string(i));
    s.objects.push_back("/log/" + std::string(n::kLogTauStdPrefix) + std::to_string(i));
  }
  for (const char* a : {names::kFormat, names::kFormatVersion})
    s.attributes.emplace_back("/", a);
  for (const char* a : {n::config::kDataset, n::config::kNumberLayer, n::config::kUsePlif,
                        n::config::kTauPerNeuron, n::config::kInitTau, n::config::kHeight})
    s.attributes.emplace_back("/config", a);
  s.words = {n::kFormatName, "plif-frames", "plif-eval", "", "conv.2.w"};
  s.numbers = {static_cast<std::uint64_t>(b.number_layer), b.neurons, b.epochs,
               static_cast<std::uint64_t>(b.number_layer) + 2};
  return s;
}

void check_taus(const std::vector<LayerTaus>& layers) {
  fuzz::require(layers.size() >= 3, "at least one conv block plus fc.3 and fc.6");
  for (const LayerTaus& l : layers) {
    fuzz::require(!l.taus.empty(), "every layer has a tau");
    fuzz::require(l.kind == NeuronKind::plif_per_neuron || l.taus.size() == 1,
                  "one tau for a per-layer or fixed layer");
    fuzz::require(l.kind == NeuronKind::lif ? l.key.empty() : l.key == l.layer + ".w",
                  "key names the layer's w");
  }
}

void check_log(const TauLog& log) {
  fuzz::require(log.layers.size() >= 3, "at least one conv block plus fc.3 and fc.6");
  fuzz::require(log.tau_mean.size() == log.layers.size() &&
                    log.tau_std.size() == log.layers.size(),
                "one mean and one std column per layer");
  for (std::size_t i = 0; i < log.layers.size(); ++i)
    fuzz::require(log.tau_mean[i].size() == log.epochs.size() &&
                      log.tau_std[i].size() == log.epochs.size(),
                  "columns as long as /log/epoch");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = fuzz::scratch_path("checkpoint");
  FuzzedDataProvider in(data, size);
  const Base base = pick_base(in);
  if (!fuzz::only_plifkit_errors([&] { write_base(path, base); }))
    fuzz::bug("the harness cannot write its valid checkpoint");
  fuzz::mutate_file(path, shape_of(base), in);

  fuzz::only_plifkit_errors([&] { check_taus(read_checkpoint_taus(path)); });
  if (fuzz::open_h5_objects() != 0) fuzz::bug("read_checkpoint_taus left HDF5 objects open");
  fuzz::only_plifkit_errors([&] { check_log(read_tau_log(path)); });
  if (fuzz::open_h5_objects() != 0) fuzz::bug("read_tau_log left HDF5 objects open");
  std::remove(path.c_str());
  return 0;
}
