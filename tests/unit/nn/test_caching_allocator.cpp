// The caching CPU allocator: a freed large block comes back for a request of
// the same size, other sizes get other blocks, the cap is respected, and
// tensors computed with it equal those computed without.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include "plifkit/nn/runtime/caching_allocator.hpp"

namespace plifkit::nn::cpu {
namespace {

TEST(CachingAllocator, ReusesBlocksOfTheSameSizeOnlyAndRespectsTheCap) {
  const auto reference = torch::arange(1 << 20, torch::kFloat32).sin();
  install_caching_allocator(size_t{64} << 20);
  void* first = nullptr;
  {
    auto t = torch::empty({1 << 20}, torch::kFloat32);  // 4 MiB
    first = t.data_ptr();
  }
  EXPECT_GE(cached_bytes(), size_t{4} << 20);
  {
    auto other = torch::empty({(1 << 20) + 16}, torch::kFloat32);  // another size
    EXPECT_NE(other.data_ptr(), first);
    auto same = torch::empty({1 << 20}, torch::kFloat32);
    EXPECT_EQ(same.data_ptr(), first);
  }
  // Results do not depend on where the memory came from.
  EXPECT_TRUE(torch::equal(torch::arange(1 << 20, torch::kFloat32).sin(), reference));
  // Above the cap, freed blocks go back to the system.
  install_caching_allocator(0);
  const size_t before = cached_bytes();
  { auto big = torch::empty({1 << 22}, torch::kFloat32); }
  EXPECT_EQ(cached_bytes(), before);
}

}  // namespace
}  // namespace plifkit::nn::cpu
