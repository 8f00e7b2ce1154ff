// Statistics against closed forms: Student's t with 1 and 2 degrees of
// freedom has an elementary CDF, which pins down the incomplete beta and the
// Welch test; the study table on hand-made metrics.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <fstream>

#include "plifkit/core/math_constants.hpp"
#include "plifkit/analysis/metrics_csv.hpp"
#include "plifkit/analysis/statistics.hpp"
#include "plifkit/analysis/study_table.hpp"
#include "plifkit/core/error.hpp"

namespace plifkit::analysis {
namespace {


TEST(Statistics, MeanAndSampleStd) {
  EXPECT_DOUBLE_EQ(mean({1, 2, 3, 4}), 2.5);
  EXPECT_DOUBLE_EQ(sample_std({1, 2, 3, 4}), std::sqrt(5.0 / 3.0));
  EXPECT_EQ(sample_std({7}), 0.0);
}

TEST(Statistics, IncompleteBetaMatchesClosedForms) {
  // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 - (1 - x)^b.
  EXPECT_NEAR(incomplete_beta(1, 1, 0.3), 0.3, 1e-13);
  EXPECT_NEAR(incomplete_beta(2.5, 1, 0.6), std::pow(0.6, 2.5), 1e-13);
  EXPECT_NEAR(incomplete_beta(1, 3.5, 0.2), 1 - std::pow(0.8, 3.5), 1e-13);
  // Symmetry I_x(a, b) = 1 - I_{1-x}(b, a), across the branch point.
  EXPECT_NEAR(incomplete_beta(3, 7, 0.45), 1 - incomplete_beta(7, 3, 0.55), 1e-13);
  // Two-sided t tail with df = 1 (Cauchy): 1 - 2 atan(t) / pi.
  for (double t : {0.3, 1.0, 4.0}) {
    EXPECT_NEAR(incomplete_beta(0.5, 0.5, 1 / (1 + t * t)), 1 - 2 * std::atan(t) / kPi, 1e-12);
    // df = 2: 1 - t / sqrt(2 + t^2).
    EXPECT_NEAR(incomplete_beta(1, 0.5, 2 / (2 + t * t)), 1 - t / std::sqrt(2 + t * t), 1e-12);
  }
}

TEST(Statistics, WelchTestByHand) {
  // a = {0, 2}, b = {4, 6}: means 1 and 5, variances 2, standard error
  // sqrt(2/2 + 2/2) = sqrt 2, t = -4 / sqrt 2, df = 2^2 / (1 + 1) = 2,
  // p = 1 - |t| / sqrt(2 + t^2).
  const auto r = welch_t_test({0, 2}, {4, 6});
  const double t = -4 / std::sqrt(2.0);
  EXPECT_NEAR(r.t, t, 1e-12);
  EXPECT_NEAR(r.df, 2.0, 1e-12);
  EXPECT_NEAR(r.p, 1 - std::abs(t) / std::sqrt(2 + t * t), 1e-12);
  // Unequal variances: a = {1, 2, 3} (var 1), b = {0, 10} (var 50):
  // se^2 = 1/3 + 25, df = se^4 / ((1/3)^2 / 2 + 25^2 / 1).
  const auto u = welch_t_test({1, 2, 3}, {0, 10});
  const double se2 = 1.0 / 3 + 25;
  EXPECT_NEAR(u.t, (2.0 - 5.0) / std::sqrt(se2), 1e-12);
  EXPECT_NEAR(u.df, se2 * se2 / ((1.0 / 9) / 2 + 625), 1e-12);
  EXPECT_GT(u.p, 0.5);
  EXPECT_EQ(welch_t_test({1, 1}, {1, 1}).p, 1.0);
  EXPECT_EQ(welch_t_test({1, 1}, {2, 2}).p, 0.0);
}

std::string write_metrics(const std::string& name, const std::string& text) {
  const std::string path = testing::TempDir() + "plifkit_metrics_" + name + "_" + std::to_string(::getpid());
  std::ofstream(path) << text;
  return path;
}

TEST(StudyTable, MeansStdsAndPValuesFromHandMadeRuns) {
  const std::string header = "epoch,train_loss,val_accuracy,test_accuracy\n";
  // baseline: max test 0.90 / 0.94, val maxima 1.0 (last at epoch 2) / 0.8.
  const auto b1 = write_metrics("b1", header + "0,1,0.5,0.80\n1,1,1.0,0.90\n2,1,1.0,0.85\n");
  const auto b2 = write_metrics("b2", header + "0,1,0.8,0.94\n1,1,0.7,0.93\n");
  const auto m1 = write_metrics("m1", header + "0,1,0.9,0.96\n");
  const auto m2 = write_metrics("m2", header + "0,1,0.9,0.98\n");
  std::vector<RunSummary> runs = {
      summarize_run("baseline", read_metrics_csv(b1)), summarize_run("baseline", read_metrics_csv(b2)),
      summarize_run("lambda01", read_metrics_csv(m1)), summarize_run("lambda01", read_metrics_csv(m2))};
  EXPECT_DOUBLE_EQ(runs[0].test_at_best_val, 0.85);  // the later of the tied epochs
  EXPECT_DOUBLE_EQ(runs[1].test_at_best_val, 0.94);
  const std::string table = study_table_markdown(runs, {"baseline", "lambda01"}, "baseline");
  // baseline max test {0.90, 0.94}: 92.00 ± 2.83; lambda01 {0.96, 0.98}: 97.00 ± 1.41.
  EXPECT_NE(table.find("| baseline | 2 | 92.00 ± 2.83 | 90.00 ± 14.14 | 89.50 ± 6.36 | – | – |"),
            std::string::npos)
      << table;
  // p for max test: t = -5 / sqrt(0.0004 + 0.0001) ... computed by the same closed form check:
  const double p = welch_t_test({0.96, 0.98}, {0.90, 0.94}).p;
  char expected[160];
  std::snprintf(expected, sizeof expected, "| lambda01 | 2 | 97.00 ± 1.41 | 90.00 ± 0.00 | 97.00 ± 1.41 | %.3g |", p);
  EXPECT_NE(table.find(expected), std::string::npos) << table << "\nexpected " << expected;
  for (const auto& f : {b1, b2, m1, m2}) std::remove(f.c_str());
}

TEST(StudyTable, BadMetricsAreInputErrorsWithFileAndLine) {
  const auto bad = write_metrics("bad", "epoch,test_accuracy\n0,0.5\n1,abc\n");
  try {
    read_metrics_csv(bad);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find(bad + "':3"), std::string::npos) << e.what();
  }
  std::remove(bad.c_str());
  EXPECT_THROW(read_metrics_csv("/nonexistent/metrics.csv"), IoError);
  // Not a metrics.csv at all (here: HDF5's signature): refused without echoing its bytes.
  const auto binary = write_metrics("binary", "\x89HDF\r\n\x1a\n\0\0\0");
  try {
    read_metrics_csv(binary);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              "'" + binary + "': not a metrics.csv (its first line does not start with 'epoch,')");
  }
  std::remove(binary.c_str());
}

}  // namespace
}  // namespace plifkit::analysis
