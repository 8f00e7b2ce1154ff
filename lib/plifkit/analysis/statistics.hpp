// Small-sample statistics for comparing runs over seeds.
#pragma once

#include <vector>

namespace plifkit::analysis {

double mean(const std::vector<double>& x);
// Sample standard deviation (n - 1 in the denominator); 0 for n < 2.
double sample_std(const std::vector<double>& x);

// Regularised incomplete beta function I_x(a, b), x in [0, 1], a, b > 0.
double incomplete_beta(double a, double b, double x);

struct WelchResult {
  double t = 0;   // (mean(a) - mean(b)) / standard error
  double df = 0;  // Welch-Satterthwaite degrees of freedom
  double p = 1;   // two-sided
};

// Welch's unequal-variance t-test of mean(a) == mean(b). Needs at least two
// values in each sample; when both variances are 0 the test is undefined and
// p is 1 for equal means, 0 otherwise.
WelchResult welch_t_test(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace plifkit::analysis
