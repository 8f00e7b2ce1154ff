#include "plifkit/nn/runtime/caching_allocator.hpp"

#include <c10/core/Allocator.h>
#include <c10/core/impl/alloc_cpu.h>

#include <algorithm>
#include <map>
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
  std::map<std::size_t, std::vector<void*>> idle;               // size -> blocks, ascending
  std::size_t idle_bytes = 0;
  std::size_t max_idle_bytes = 0;
  std::size_t live_bytes = 0;  // in live large blocks
  std::size_t live_peak = 0;   // the most live_bytes has been
};

// Before a new block of n bytes is taken from the system: idle blocks, the
// smallest first, are taken out of the cache until live + idle bytes stay
// within the highest live total seen. So the idle blocks never raise the
// process's peak above what its live tensors needed at their peak (a step
// that reuses every block still reuses those that fit under it). Returns the
// blocks to free (outside the lock).
std::vector<void*> make_room(Cache& c, std::size_t n) {
  std::vector<void*> evicted;
  const std::size_t bound = std::max(c.live_peak, c.live_bytes + n);
  for (auto it = c.idle.begin(); it != c.idle.end() && c.live_bytes + n + c.idle_bytes > bound;) {
    while (!it->second.empty() && c.live_bytes + n + c.idle_bytes > bound) {
      evicted.push_back(it->second.back());
      it->second.pop_back();
      c.idle_bytes -= it->first;
    }
    it = it->second.empty() ? c.idle.erase(it) : std::next(it);
  }
  return evicted;
}

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
      c.live_bytes -= size;
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
    std::vector<void*> evicted;
    {
      std::lock_guard<std::mutex> lock(c.mutex);
      const auto it = c.idle.find(n);
      if (it != c.idle.end() && !it->second.empty()) {
        p = it->second.back();
        it->second.pop_back();
        c.idle_bytes -= n;
      } else {
        evicted = make_room(c, n);
      }
    }
    for (void* block : evicted) c10::free_cpu(block);
    if (p == nullptr) p = c10::alloc_cpu(n);
    {
      std::lock_guard<std::mutex> lock(c.mutex);
      c.live_large[p] = n;
      c.live_bytes += n;
      c.live_peak = std::max(c.live_peak, c.live_bytes);
    }
    return {p, p, &release, cpu};
  }
};

}  // namespace

void install_caching_allocator(std::size_t max_cached_bytes) {
  std::vector<void*> released;
  {
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    c.max_idle_bytes = max_cached_bytes;
    c.live_peak = c.live_bytes;
    for (auto& [size, blocks] : c.idle) {
      while (!blocks.empty() && c.idle_bytes > max_cached_bytes) {
        released.push_back(blocks.back());
        blocks.pop_back();
        c.idle_bytes -= size;
      }
    }
  }
  for (void* block : released) c10::free_cpu(block);
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
