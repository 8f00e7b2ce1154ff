#include "plifkit/nn/cpu/caching_allocator.hpp"

#include <c10/core/Allocator.h>
#include <c10/core/impl/alloc_cpu.h>

#include <mutex>
#include <unordered_map>
#include <vector>

#include "plifkit/core/system_memory.hpp"

namespace plifkit::nn::cpu {

namespace {

constexpr std::size_t kSmallestCached = std::size_t{1} << 20;

// Shared by the allocator and its deleter (a plain function pointer, as
// LibTorch's DataPtr requires).
struct Cache {
  std::mutex mutex;
  std::unordered_map<void*, std::size_t> live_large;            // block -> size
  std::unordered_map<std::size_t, std::vector<void*>> idle;     // size -> blocks
  std::size_t idle_bytes = 0;
  std::size_t max_idle_bytes = 0;
};

Cache& cache() {
  static Cache* c = new Cache();  // never destroyed: tensors may outlive main
  return *c;
}

void release(void* data) {
  if (data == nullptr) return;
  Cache& c = cache();
  {
    std::lock_guard<std::mutex> lock(c.mutex);
    const auto it = c.live_large.find(data);
    if (it != c.live_large.end()) {
      const std::size_t size = it->second;
      c.live_large.erase(it);
      if (c.idle_bytes + size <= c.max_idle_bytes) {
        c.idle[size].push_back(data);
        c.idle_bytes += size;
        return;
      }
    }
  }
  c10::free_cpu(data);
}

class CachingCpuAllocator final : public c10::Allocator {
 public:
  c10::DataPtr allocate(std::size_t n) const override {
    const c10::Device cpu(c10::DeviceType::CPU);
    if (n < kSmallestCached) {
      void* p = c10::alloc_cpu(n);
      return {p, p, &release, cpu};
    }
    Cache& c = cache();
    void* p = nullptr;
    {
      std::lock_guard<std::mutex> lock(c.mutex);
      const auto it = c.idle.find(n);
      if (it != c.idle.end() && !it->second.empty()) {
        p = it->second.back();
        it->second.pop_back();
        c.idle_bytes -= n;
      }
    }
    if (p == nullptr) p = c10::alloc_cpu(n);
    {
      std::lock_guard<std::mutex> lock(c.mutex);
      c.live_large[p] = n;
    }
    return {p, p, &release, cpu};
  }

  c10::DeleterFnPtr raw_deleter() const override { return &release; }
};

}  // namespace

void install_caching_allocator(std::size_t max_cached_bytes) {
  {
    std::lock_guard<std::mutex> lock(cache().mutex);
    cache().max_idle_bytes = max_cached_bytes;
  }
  static CachingCpuAllocator* allocator = [] {
    auto* a = new CachingCpuAllocator();  // lives as long as the process
    c10::SetAllocator(c10::DeviceType::CPU, a);
    return a;
  }();
  (void)allocator;
}

std::size_t default_cache_limit() {
  const std::size_t physical = physical_memory_bytes();
  return physical > 0 ? physical / 8 : std::size_t{1} << 30;
}

std::size_t cached_bytes() {
  std::lock_guard<std::mutex> lock(cache().mutex);
  return cache().idle_bytes;
}

}  // namespace plifkit::nn::cpu
