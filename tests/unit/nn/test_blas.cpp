// The BLAS LibTorch's matrix products run on: found among the process's
// mappings, and the user told only when it is the netlib reference BLAS.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <filesystem>
#include <string>

#include "plifkit/nn/runtime.hpp"

namespace plifkit::nn {
namespace {

TEST(Blas, AdviceOnlyForTheReferenceImplementation) {
  const std::string reference = "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0";
  const std::string advice = blas_advice(reference);
  EXPECT_NE(advice.find(reference), std::string::npos) << advice;
  EXPECT_NE(advice.find("libopenblas0-openmp"), std::string::npos) << advice;
  for (const std::string optimised :
       {"/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3",
        "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3",
        "/usr/lib/x86_64-linux-gnu/blis-openmp/libblas.so.3",
        "/usr/lib/x86_64-linux-gnu/atlas/libblas.so.3.10.3", "/opt/myblas/libblas.so.3",
        "libblas.so.3", ""})
    EXPECT_EQ(blas_advice(optimised), "") << optimised;
}

TEST(Blas, TheMappedLibraryIsAFileNamedLibblas) {
  // A product large enough to go to the BLAS where LibTorch has one.
  const torch::Tensor a = torch::ones({64, 64});
  EXPECT_EQ(torch::mm(a, a)[0][0].item<float>(), 64.0f);
  const std::string path = blas_library();
  if (path.empty()) GTEST_SKIP() << "no libblas.so mapped: this LibTorch brings its own BLAS";
  EXPECT_TRUE(std::filesystem::is_regular_file(path)) << path;
  EXPECT_EQ(std::filesystem::path(path).filename().string().rfind("libblas.so.", 0), 0u) << path;
}

}  // namespace
}  // namespace plifkit::nn
