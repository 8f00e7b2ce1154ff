#include "plifkit/nn/runtime/caching_allocator.hpp"

#include <c10/core/Allocator.h>
#include <c10/core/impl/alloc_cpu.h>

#include <mutex>
#include <unordered_map>
#include <vector>

#include "plifkit/core/system_memory.hpp"

// Torch 2.3 made Allocator::allocate non-const and added the pure virtual
// copy_data; an override must match the Torch it is built against.
#if defined(PLIFKIT_TORCH_VERSION_MAJOR) && \
    (PLIFKIT_TORCH_VERSION_MAJOR > 2 ||     \
     (PLIFKIT_TORCH_VERSION_MAJOR == 2 && PLIFKIT_TORCH_VERSION_MINOR >= 3))
#define PLIFKIT_ALLOCATE_CONST
#define PLIFKIT_ALLOCATOR_HAS_COPY_DATA 1
#else
#define PLIFKIT_ALLOCATE_CONST const
#define PLIFKIT_ALLOCATOR_HAS_COPY_DATA 0
#endif

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
  // Torch 2.x dropped the const of allocate; calling through this helper
  // keeps one body for both signatures.
  c10::DataPtr allocate(std::size_t n) PLIFKIT_ALLOCATE_CONST override { return allocate_block(n); }

#if PLIFKIT_ALLOCATOR_HAS_COPY_DATA
  // Torch 2.x asks each allocator how to copy its blocks (Tensor.clone of a
  // storage): they are plain host memory.
  void copy_data(void* dest, const void* src, std::size_t count) const override {
    default_copy_data(dest, src, count);
  }
#endif

  c10::DeleterFnPtr raw_deleter() const override { return &release; }

 private:
  static c10::DataPtr allocate_block(std::size_t n) {
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
