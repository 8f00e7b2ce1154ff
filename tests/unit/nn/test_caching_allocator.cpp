// The caching CPU allocator: a freed large block comes back for a request of
// the same size, other sizes get other blocks, the cap is respected, idle
// blocks never lift live + idle bytes above the live peak (past it, a new
// mapped block is made of idle blocks' pages rather than of fresh ones),
// huge pages are asked for only once wanted, and tensors computed with it
// equal those computed without.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

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
    auto same = torch::empty({1 << 20}, torch::kFloat32);
    EXPECT_EQ(same.data_ptr(), first);
    auto other = torch::empty({(1 << 20) + 16}, torch::kFloat32);  // another size
    EXPECT_NE(other.data_ptr(), first);
  }
  // Results do not depend on where the memory came from.
  EXPECT_TRUE(torch::equal(torch::arange(1 << 20, torch::kFloat32).sin(), reference));
  // Above the cap, freed blocks go back to the system.
  install_caching_allocator(0);
  const size_t before = cached_bytes();
  { auto big = torch::empty({1 << 22}, torch::kFloat32); }
  EXPECT_EQ(cached_bytes(), before);
}

TEST(CachingAllocator, IdleBlocksNeverRaiseThePeakAboveTheLivePeak) {
  constexpr size_t kMiB = size_t{1} << 20;
  auto mib = [](int64_t n) { return torch::empty({n << 18}, torch::kFloat32); };
  install_caching_allocator(0);          // drops the idle blocks of earlier tests
  install_caching_allocator(64 * kMiB);  // the high-water mark starts here
  std::vector<void*> blocks;
  {
    auto a = mib(4), b = mib(4), c = mib(4);  // live peak: 12 MiB above the start
    blocks = {a.data_ptr(), b.data_ptr(), c.data_ptr()};
  }
  EXPECT_EQ(cached_bytes(), 12 * kMiB);
  // A new 2 MiB block would make live + idle 14 MiB: one 4 MiB block goes.
  auto d = mib(2);
  EXPECT_EQ(cached_bytes(), 8 * kMiB);
  // Same size: served from the cache.
  auto e = mib(4);
  EXPECT_NE(std::find(blocks.begin(), blocks.end(), e.data_ptr()), blocks.end());
  EXPECT_EQ(cached_bytes(), 4 * kMiB);
  // 6 MiB live and a new 8 MiB block: a new peak of 14 MiB, no room for idle ones.
  auto f = mib(8);
  EXPECT_EQ(cached_bytes(), 0u);
}

TEST(CachingAllocator, PastTheBoundNewBlocksAreMadeOfIdlePages) {
  constexpr size_t kMiB = size_t{1} << 20;
  auto mib = [](int64_t n) { return torch::empty({n << 18}, torch::kFloat32); };
  install_caching_allocator(0);
  install_caching_allocator(256 * kMiB);
  char* first = nullptr;
  { auto a = mib(12); first = static_cast<char*>(a.data_ptr()); }  // live peak 12 MiB, then idle
  EXPECT_EQ(cached_bytes(), 12 * kMiB);
  {
    // 6 MiB more would lift live + idle to 18 MiB: the new block is the idle
    // one's head, its tail stays idle as a block of its own.
    auto b = mib(6);
    EXPECT_EQ(b.data_ptr(), first);
    EXPECT_EQ(cached_bytes(), 6 * kMiB);
    auto c = mib(6);  // the tail, served as a block of that size
    EXPECT_EQ(c.data_ptr(), first + 6 * kMiB);
    EXPECT_EQ(cached_bytes(), 0u);
    b.fill_(3.0f);
    c.fill_(5.0f);
  }
  EXPECT_EQ(cached_bytes(), 12 * kMiB);
  // A 10 MiB block: no idle block holds it alone, so the pages of both 6 MiB
  // ones are moved into it (6 MiB and the head 4 MiB of the other; the 2 MiB
  // left over go back to the system). Moved, not fresh: they keep what was
  // written into them (fresh pages would read as zeros).
  auto d = mib(10);
  EXPECT_EQ(cached_bytes(), 0u);
  const auto head = d.slice(0, 0, 6 << 18), rest = d.slice(0, 6 << 18);
  const float head_value = head[0].item<float>();
  EXPECT_TRUE(head_value == 3.0f || head_value == 5.0f) << head_value;
  EXPECT_TRUE(torch::all(head == head_value).item<bool>());
  EXPECT_TRUE(torch::all(rest == 8.0f - head_value).item<bool>());
  d.fill_(2.0f);
  EXPECT_EQ(d.sum().item<double>(), 2.0 * static_cast<double>(d.numel()));
}

// The VmFlags of the mapping that holds `address` in /proc/self/smaps ("hg":
// transparent huge pages asked for with madvise).
std::string mapping_flags(const void* address) {
  const auto at = reinterpret_cast<std::uintptr_t>(address);
  std::ifstream smaps("/proc/self/smaps");
  std::string line;
  bool inside = false;
  while (std::getline(smaps, line)) {
    std::uintptr_t start = 0, end = 0;
    char dash = 0;
    std::istringstream range(line);
    if (range >> std::hex >> start >> dash >> end && dash == '-') {
      inside = start <= at && at < end;
    } else if (inside && line.rfind("VmFlags:", 0) == 0) {
      return line;
    }
  }
  ADD_FAILURE() << "no mapping holds " << address;
  return "";
}

bool asks_for_huge_pages(const void* address) { return mapping_flags(address).find(" hg") != std::string::npos; }

TEST(CachingAllocator, HugePagesOnlyOnceWanted) {
  auto mib = [](int64_t n) { return torch::empty({n << 18}, torch::kFloat32); };
  install_caching_allocator(0);
  const auto before = mib(8);
  EXPECT_FALSE(asks_for_huge_pages(before.data_ptr())) << mapping_flags(before.data_ptr());
  use_huge_pages();
  const auto after = mib(10);
  EXPECT_TRUE(asks_for_huge_pages(after.data_ptr())) << mapping_flags(after.data_ptr());
  EXPECT_FALSE(asks_for_huge_pages(before.data_ptr()));
}

}  // namespace
}  // namespace plifkit::nn::cpu
