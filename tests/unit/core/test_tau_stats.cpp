// tau-stats on checkpoint files whose w the test writes: every statistic
// against values worked out by hand (or read straight off the sorted
// sample), shared histogram edges, the statistics file by round trip, the
// /log evolution, and the refusals.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>

#include "plifkit/analysis/distribution.hpp"
#include "plifkit/analysis/tau_report.hpp"
#include "plifkit/analysis/tau_stats.hpp"
#include "plifkit/checkpoint/config_group.hpp"
#include "plifkit/core/error.hpp"
#include "plifkit/h5/h5.hpp"
#include "plifkit/h5/names.hpp"
#include "plifkit/h5/stage_file.hpp"

namespace plifkit::analysis {
namespace {

std::string temp_name(const char* tag) {
  return testing::TempDir() + "plifkit_tau_" + tag + "_" + std::to_string(::getpid()) + ".h5";
}

// w = -ln(tau - 1), the inverse of tau = 1/sigmoid(w), stored as float32 like plif-train.
std::vector<float> w_of(const std::vector<double>& taus) {
  std::vector<float> w;
  for (double t : taus) w.push_back(static_cast<float>(-std::log(t - 1.0)));
  return w;
}

// A checkpoint as far as tau-stats reads it: one conv block, so the neuron
// layers are conv.2, fc.3 and fc.6. `taus` per layer: one value and
// per_neuron false for a scalar w; empty when LIF.
struct FakeCheckpoint {
  bool use_plif = true;
  bool per_neuron = true;
  double init_tau = 2.0;
  std::vector<std::vector<double>> taus;
  std::vector<std::vector<double>> log_mean, log_std;  // [layer][epoch]
};

void write_checkpoint(const std::string& path, const FakeCheckpoint& c) {
  namespace n = names::checkpoint;
  h5::Handle f = h5::create_file(path);
  h5::write_format_stamp(f.id(), n::kFormatName, n::kVersion);
  {
    // The floor of /config (formats.md): a DVS128 Gesture network of one
    // conv block; the w's below need not have its sizes.
    TrainConfig config;
    config.dataset = Dataset::DVS128Gesture;
    config.T = 4;
    config.split_by = frames::SplitBy::number;
    config.normalization = frames::Normalization::none;
    config.net.number_layer = 1;
    config.net.use_plif = c.use_plif;
    config.net.tau_per_neuron = c.per_neuron;
    config.net.init_tau = c.init_tau;
    write_config_attributes(h5::create_group(f.id(), n::kConfig).id(), config);
  }
  {
    h5::Handle g = h5::create_group(f.id(), n::kModel);
    const char* keys[] = {"conv.2.w", "fc.3.w", "fc.6.w"};
    for (std::size_t i = 0; i < c.taus.size(); ++i) {
      const auto w = w_of(c.taus[i]);
      h5::Dims dims;
      if (c.per_neuron) dims = {1, w.size()};
      h5::write_dataset<float>(g.id(), keys[i], dims, w.data());
    }
  }
  {
    h5::Handle g = h5::create_group(f.id(), n::kLog);
    std::vector<std::int64_t> epochs;
    for (std::size_t e = 0; !c.log_mean.empty() && e < c.log_mean[0].size(); ++e)
      epochs.push_back(static_cast<std::int64_t>(e));
    h5::write_vector(g.id(), "epoch", epochs);
    for (std::size_t i = 0; i < c.log_mean.size(); ++i) {
      h5::write_vector(g.id(), "tau_mean_" + std::to_string(i), c.log_mean[i]);
      h5::write_vector(g.id(), "tau_std_" + std::to_string(i), c.log_std[i]);
    }
  }
  h5::close_file(f, path);
}

constexpr double kTol = 2e-6;  // tau from a float32 w

// Comma-separated fields of each line (the paths here hold no commas).
std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    std::vector<std::string> fields;
    std::size_t f = 0;
    for (std::size_t comma; (comma = line.find(',', f)) != std::string::npos; f = comma + 1)
      fields.push_back(line.substr(f, comma - f));
    fields.push_back(line.substr(f));
    rows.push_back(fields);
    start = end + 1;
  }
  return rows;
}

// The first line of `text` that starts, after blanks, with the word `word`
// (in the table: a statistic's row; its layer cell is blank after the first).
std::string line_of(const std::string& text, const std::string& word) {
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    const std::size_t first = line.find_first_not_of(' ');
    if (first != std::string::npos) {
      const std::string rest = line.substr(first);
      if (rest == word || rest.compare(0, word.size() + 1, word + " ") == 0) return line;
    }
    start = end + 1;
  }
  return "";
}

TEST(Distribution, QuantilesInterpolateLinearlyBetweenOrderStatistics) {
  // Sorted 2, 3, 4, 5, 6: h = 4 p.
  const std::vector<double> x = {2, 3, 4, 5, 6};
  EXPECT_DOUBLE_EQ(quantile_sorted(x, 0.0), 2.0);
  EXPECT_DOUBLE_EQ(quantile_sorted(x, 0.05), 2.2);  // h = 0.2
  EXPECT_DOUBLE_EQ(quantile_sorted(x, 0.25), 3.0);  // h = 1
  EXPECT_DOUBLE_EQ(quantile_sorted(x, 0.5), 4.0);
  EXPECT_DOUBLE_EQ(quantile_sorted(x, 0.95), 5.8);  // h = 3.8
  EXPECT_DOUBLE_EQ(quantile_sorted(x, 1.0), 6.0);
  EXPECT_DOUBLE_EQ(quantile_sorted({7.5}, 0.3), 7.5);
  EXPECT_DOUBLE_EQ(quantile_sorted({1, 2}, 0.5), 1.5);
}

TEST(Distribution, HistogramBinsAreDecidedByTheStoredEdges) {
  // Edges i * 0.1: 0.3 lies below the stored edge 3 * 0.1 = 0.30000000000000004,
  // so it counts in bin 2 (as in numpy.histogram); 1.0 is in the closed last bin.
  const Histogram h = histogram({0.0, 0.1, 0.2, 0.3, 0.95, 1.0, -0.1, 1.1}, 0.0, 1.0, 10);
  ASSERT_EQ(h.edges.size(), 11u);
  EXPECT_EQ(h.edges[3], 3 * 0.1);
  EXPECT_EQ(h.edges[10], 1.0);
  EXPECT_EQ(h.counts, (std::vector<std::uint64_t>{1, 1, 2, 0, 0, 0, 0, 0, 0, 2}));
  // One value: numpy's widened range [v - 0.5, v + 0.5].
  const Histogram one = histogram({2.0}, 2.0, 2.0, 4);
  EXPECT_EQ(one.edges, (std::vector<double>{1.5, 1.75, 2.0, 2.25, 2.5}));
  EXPECT_EQ(one.counts, (std::vector<std::uint64_t>{0, 0, 1, 0}));
  EXPECT_THROW(histogram({1.0}, 0.0, 1.0, 0), Error);
}

TEST(Distribution, DescribesARandomSampleAsTheDefinitionsSay) {
  // 101 values: every quantile asked for lands on an order statistic
  // (h = 100 p), so it can be read off the sorted sample.
  std::mt19937 rng(3);
  std::normal_distribution<double> normal(2.0, 0.3);
  std::vector<double> x(101);
  for (double& v : x) v = normal(rng);
  const Summary s = describe(x);
  std::vector<double> sorted = x;
  std::sort(sorted.begin(), sorted.end());
  long double sum = 0, squares = 0;
  for (double v : x) sum += v;
  const long double mean = sum / 101;
  for (double v : x) squares += (v - mean) * (v - mean);
  EXPECT_EQ(s.count, 101u);
  EXPECT_NEAR(s.mean, static_cast<double>(mean), 1e-13);
  EXPECT_NEAR(s.std, std::sqrt(static_cast<double>(squares / 100)), 1e-13);
  EXPECT_EQ(s.min, sorted[0]);
  EXPECT_NEAR(s.q05, sorted[5], 1e-15);
  EXPECT_NEAR(s.q25, sorted[25], 1e-15);
  EXPECT_NEAR(s.median, sorted[50], 1e-15);
  EXPECT_NEAR(s.q75, sorted[75], 1e-15);
  EXPECT_NEAR(s.q95, sorted[95], 1e-15);
  EXPECT_EQ(s.max, sorted[100]);
  EXPECT_THROW(describe({}), Error);
}

TEST(TauStats, EveryStatisticOfHandChosenTaus) {
  const std::string path = temp_name("hand");
  FakeCheckpoint c;
  // Stored out of order: the statistics must not depend on it.
  c.taus = {{4, 6, 2, 5, 3}, {1.5, 2.5}, {3.0}};
  write_checkpoint(path, c);
  const auto stats = tau_statistics({path}, 5);
  ASSERT_EQ(stats.size(), 1u);
  ASSERT_EQ(stats[0].layers.size(), 3u);
  const LayerStats& conv = stats[0].layers[0];
  EXPECT_EQ(conv.layer, "conv.2");
  EXPECT_EQ(conv.key, "conv.2.w");
  EXPECT_EQ(conv.kind, NeuronKind::plif_per_neuron);
  const Summary& s = conv.summary;
  EXPECT_EQ(s.count, 5u);
  EXPECT_NEAR(s.mean, 4.0, kTol);
  EXPECT_NEAR(s.std, std::sqrt(2.5), kTol);  // (4 + 1 + 0 + 1 + 4) / 4
  EXPECT_NEAR(s.min, 2.0, kTol);
  EXPECT_NEAR(s.q05, 2.2, kTol);
  EXPECT_NEAR(s.q25, 3.0, kTol);
  EXPECT_NEAR(s.median, 4.0, kTol);
  EXPECT_NEAR(s.q75, 5.0, kTol);
  EXPECT_NEAR(s.q95, 5.8, kTol);
  EXPECT_NEAR(s.max, 6.0, kTol);
  // 5 bins over [2, 6], width 0.8: 2 | 3 | 4 | 5 | 6 (6 in the closed last bin).
  EXPECT_EQ(conv.histogram.counts, (std::vector<std::uint64_t>{1, 1, 1, 1, 1}));
  EXPECT_NEAR(conv.histogram.edges[1], 2.8, kTol);
  const Summary& fc = stats[0].layers[1].summary;
  EXPECT_EQ(fc.count, 2u);
  EXPECT_NEAR(fc.mean, 2.0, kTol);
  EXPECT_NEAR(fc.std, std::sqrt(0.5), kTol);
  EXPECT_NEAR(fc.q25, 1.75, kTol);
  EXPECT_NEAR(fc.q95, 2.45, kTol);
  const Summary& last = stats[0].layers[2].summary;
  EXPECT_EQ(last.count, 1u);
  EXPECT_NEAR(last.mean, 3.0, kTol);
  EXPECT_EQ(last.std, 0.0);
  EXPECT_EQ(last.min, last.max);
  std::remove(path.c_str());
}

TEST(TauStats, HistogramsOfALayerShareEdgesAcrossCheckpoints) {
  const std::string a = temp_name("share_a"), b = temp_name("share_b");
  FakeCheckpoint ca;
  ca.taus = {{2, 3, 4, 5, 6}, {2.0}, {2.0}};
  FakeCheckpoint cb;
  cb.taus = {{1.5, 6.5}, {2.0}, {2.0}};
  write_checkpoint(a, ca);
  write_checkpoint(b, cb);
  const auto stats = tau_statistics({a, b}, 5);
  // Range [1.5, 6.5] from both, width 1: a's taus sit in the middle of each bin.
  const Histogram& ha = stats[0].layers[0].histogram;
  const Histogram& hb = stats[1].layers[0].histogram;
  EXPECT_EQ(ha.edges, hb.edges);
  for (std::size_t i = 0; i <= 5; ++i) EXPECT_NEAR(ha.edges[i], 1.5 + static_cast<double>(i), kTol);
  EXPECT_EQ(ha.counts, (std::vector<std::uint64_t>{1, 1, 1, 1, 1}));
  EXPECT_EQ(hb.counts, (std::vector<std::uint64_t>{1, 0, 0, 0, 1}));
  std::remove(a.c_str());
  std::remove(b.c_str());
}

TEST(TauStats, ScalarAndFixedTaus) {
  const std::string plif = temp_name("scalar"), lif = temp_name("lif");
  FakeCheckpoint scalar;
  scalar.per_neuron = false;
  scalar.taus = {{2.5}, {1.8}, {3.0}};
  write_checkpoint(plif, scalar);
  FakeCheckpoint fixed;
  fixed.use_plif = false;
  fixed.per_neuron = false;
  fixed.init_tau = 4.0;
  write_checkpoint(lif, fixed);
  const auto stats = tau_statistics({plif, lif}, 3);
  EXPECT_EQ(stats[0].layers[1].kind, NeuronKind::plif_per_layer);
  EXPECT_EQ(stats[0].layers[1].summary.count, 1u);
  EXPECT_NEAR(stats[0].layers[1].summary.median, 1.8, kTol);
  ASSERT_EQ(stats[1].layers.size(), 3u);
  for (const auto& l : stats[1].layers) {
    EXPECT_EQ(l.kind, NeuronKind::lif);
    EXPECT_EQ(l.key, "");
    EXPECT_EQ(l.summary.mean, 4.0);
    EXPECT_EQ(l.summary.count, 1u);
  }
  // The table shows a single value once, in the mean row (the first is conv.2's).
  const std::string table = tau_stats_table(stats);
  EXPECT_NE(table.find("[1] " + lif + ": LIF, fixed tau (init_tau)"), std::string::npos) << table;
  const std::string mean = line_of(table, "mean");
  EXPECT_EQ(mean.substr(mean.size() - 14), "2.5000  4.0000") << table;
  const std::string std_row = line_of(table, "std");
  EXPECT_EQ(std_row.substr(std_row.find_first_not_of(' ')), "std") << table;
  std::remove(plif.c_str());
  std::remove(lif.c_str());
}

TEST(TauStats, CsvHasOneLinePerCheckpointAndLayer) {
  const std::string path = temp_name("csv");
  FakeCheckpoint c;
  c.taus = {{4, 6, 2, 5, 3}, {1.5, 2.5}, {3.0}};
  write_checkpoint(path, c);
  const auto stats_3_bins = tau_statistics({path}, 3);
  const auto csv = csv_rows(tau_stats_csv(stats_3_bins));
  ASSERT_EQ(csv.size(), 4u);
  EXPECT_EQ(csv[0], (std::vector<std::string>{"checkpoint_index", "checkpoint", "layer", "key",
                                              "kind", "count", "mean", "std", "min", "q05", "q25",
                                              "median", "q75", "q95", "max"}));
  const auto& fc = csv[2];
  ASSERT_EQ(fc.size(), 15u);
  EXPECT_EQ((std::vector<std::string>(fc.begin(), fc.begin() + 6)),
            (std::vector<std::string>{"0", path, "fc.3", "fc.3.w", "per_neuron", "2"}));
  const double expected[] = {2.0, std::sqrt(0.5), 1.5, 1.55, 1.75, 2.0, 2.25, 2.45, 2.5};
  for (std::size_t i = 0; i < 9; ++i) EXPECT_NEAR(std::stod(fc[6 + i]), expected[i], kTol) << i;

  // conv.2 over [2, 6] in 3 bins of 4/3: {2, 3}, {4}, {5, 6}.
  const auto hist = csv_rows(tau_histogram_csv(stats_3_bins));
  EXPECT_EQ(hist[0], (std::vector<std::string>{"checkpoint_index", "checkpoint", "layer", "kind",
                                               "bin", "low", "high", "count", "fraction"}));
  ASSERT_EQ(hist.size(), 1u + 3 * 3);
  const std::vector<std::vector<std::string>> conv_bins = {
      {"0", "2", "0.4"}, {"1", "1", "0.2"}, {"2", "2", "0.4"}};
  for (std::size_t b = 0; b < 3; ++b) {
    const auto& row = hist[1 + b];
    EXPECT_EQ(row[2], "conv.2");
    EXPECT_EQ(row[4], conv_bins[b][0]);
    EXPECT_NEAR(std::stod(row[5]), 2.0 + 4.0 / 3 * static_cast<double>(b), kTol);
    EXPECT_NEAR(std::stod(row[6]), 2.0 + 4.0 / 3 * static_cast<double>(b + 1), kTol);
    EXPECT_EQ(row[7], conv_bins[b][1]);
    EXPECT_EQ(row[8], conv_bins[b][2]);
  }
  std::remove(path.c_str());
}

TEST(TauStats, FileRoundTrip) {
  const std::string in = temp_name("in"), out = temp_name("out");
  FakeCheckpoint c;
  c.taus = {{4, 6, 2, 5, 3}, {1.5, 2.5}, {3.0}};
  write_checkpoint(in, c);
  write_tau_stats_file(out, tau_statistics({in, in}, 5));
  namespace n = names::tau_stats;
  h5::Handle f = h5::open_file(out);
  h5::require_format(f.id(), out, n::kFormatName, n::kVersion);
  for (const char* group : {"0", "1"}) {
    h5::Handle g = h5::open_group(f.id(), group);
    EXPECT_EQ(h5::read_attr_string(g.id(), n::kCheckpoint), in);
    h5::Handle l = h5::open_group(g.id(), "layer_0");
    EXPECT_EQ(h5::read_attr_string(l.id(), n::kKey), "conv.2.w");
    EXPECT_EQ(h5::read_attr_string(l.id(), n::kKind), "per_neuron");
    EXPECT_EQ(h5::read_attr<std::uint64_t>(l.id(), n::kCount), 5u);
    EXPECT_NEAR(h5::read_attr<double>(l.id(), n::kMean), 4.0, kTol);
    EXPECT_NEAR(h5::read_attr<double>(l.id(), n::kStd), std::sqrt(2.5), kTol);
    EXPECT_NEAR(h5::read_attr<double>(l.id(), n::kMin), 2.0, kTol);
    EXPECT_NEAR(h5::read_attr<double>(l.id(), n::kQ05), 2.2, kTol);
    EXPECT_NEAR(h5::read_attr<double>(l.id(), n::kQ25), 3.0, kTol);
    EXPECT_NEAR(h5::read_attr<double>(l.id(), n::kMedian), 4.0, kTol);
    EXPECT_NEAR(h5::read_attr<double>(l.id(), n::kQ75), 5.0, kTol);
    EXPECT_NEAR(h5::read_attr<double>(l.id(), n::kQ95), 5.8, kTol);
    EXPECT_NEAR(h5::read_attr<double>(l.id(), n::kMax), 6.0, kTol);
    h5::Dims dims;
    EXPECT_EQ(h5::read_dataset<std::uint64_t>(l.id(), n::kHistogram, &dims),
              (std::vector<std::uint64_t>{1, 1, 1, 1, 1}));
    EXPECT_EQ(dims, (h5::Dims{5}));
    EXPECT_EQ(h5::read_dataset<double>(l.id(), n::kBinEdges).size(), 6u);
    EXPECT_TRUE(h5::exists(g.id(), "layer_2"));
    EXPECT_FALSE(h5::exists(g.id(), "layer_3"));
  }
  std::remove(in.c_str());
  std::remove(out.c_str());
}

TEST(TauStats, EvolutionFromTheLog) {
  const std::string path = temp_name("log");
  FakeCheckpoint c;
  c.taus = {{2.0}, {2.0}, {2.0}};
  c.log_mean = {{2.0, 2.1}, {2.0, 1.9}, {2.0, 2.05}};
  c.log_std = {{0.1, 0.2}, {0.1, 0.05}, {0.1, 0.15}};
  write_checkpoint(path, c);
  const TauLog log = read_tau_log(path);
  EXPECT_EQ(log.layers, (std::vector<std::string>{"conv.2", "fc.3", "fc.6"}));
  EXPECT_EQ(log.epochs, (std::vector<double>{0, 1}));
  EXPECT_EQ(log.tau_mean[1], (std::vector<double>{2.0, 1.9}));
  EXPECT_EQ(log.tau_std[2], (std::vector<double>{0.1, 0.15}));
  const std::string csv = tau_evolution_csv({path}, {log});
  EXPECT_NE(csv.find("\n0," + path + ",1,fc.3,1.9,0.05\n"), std::string::npos) << csv;
  const std::string table = tau_evolution_table({path}, {log});
  EXPECT_NE(table.find("    1  2.1000 (0.2000)  1.9000 (0.0500)  2.0500 (0.1500)"), std::string::npos)
      << table;
  c.log_mean.pop_back();
  c.log_std.pop_back();
  write_checkpoint(path, c);
  try {
    read_tau_log(path);
    FAIL() << "a missing column was accepted";
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()), "'" + path + "': /log has no column 'tau_mean_2'");
  }
  std::remove(path.c_str());
}

TEST(TauStats, RefusesWhatIsNotACheckpointOrDoesNotMatchItsConfig) {
  const std::string path = temp_name("bad");
  {
    h5::Handle f = h5::create_file(path);
    h5::write_format_stamp(f.id(), names::frames::kFormatName, names::frames::kVersion);
    h5::close_file(f, path);
  }
  try {
    tau_statistics({path}, 4);
    FAIL() << "a frames file was accepted";
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()), "'" + path + "': is a plif-frames file, expected plif-checkpoint");
  }
  FakeCheckpoint c;
  c.per_neuron = false;
  c.taus = {{2.0}, {2.0}};  // no fc.6.w
  write_checkpoint(path, c);
  try {
    tau_statistics({path}, 4);
    FAIL() << "a missing w was accepted";
  } catch (const FormatError& e) {
    EXPECT_EQ(std::string(e.what()), "'" + path + "': /model has no 'fc.6.w' (use_plif is set)");
  }
  EXPECT_THROW(tau_statistics({path}, 0), UsageError);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace plifkit::analysis
