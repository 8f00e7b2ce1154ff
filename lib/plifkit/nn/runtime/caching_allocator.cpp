#include "plifkit/nn/runtime/caching_allocator.hpp"

#include <c10/core/Allocator.h>
#include <c10/core/impl/alloc_cpu.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <mutex>
#include <unordered_map>
#include <utility>
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

// Blocks from this size on are mapped on their own, 2 MiB-aligned and
// rounded up to 2 MiB, and marked for transparent huge pages: faulting in a
// 300 MB activation then costs ~150 page faults instead of ~75,000, and the
// TLB holds the whole working set. Below it the rounding would waste up to
// half a block.
constexpr std::size_t kHugePage = std::size_t{2} << 20;
constexpr std::size_t kHugeFrom = 2 * kHugePage;

std::size_t mapped_length(std::size_t n) { return (n + kHugePage - 1) / kHugePage * kHugePage; }

// A 2 MiB-aligned range of `length` bytes of address space (nullptr when the
// system refuses): mapped readable and writable, or reserved only (PROT_NONE)
// as the target of a move.
void* map_aligned(std::size_t length, int protection) {
  void* raw = mmap(nullptr, length + kHugePage, protection, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  const auto start = reinterpret_cast<std::uintptr_t>(raw);
  const std::uintptr_t aligned = (start + kHugePage - 1) / kHugePage * kHugePage;
  if (aligned > start) munmap(raw, aligned - start);
  const std::uintptr_t end = start + length + kHugePage;
  if (end > aligned + length) munmap(reinterpret_cast<void*>(aligned + length), end - aligned - length);
  return reinterpret_cast<void*>(aligned);
}

// A 2 MiB-aligned anonymous mapping of mapped_length(n) bytes, with huge
// pages requested; where the kernel has them off, the advice is ignored and
// the block is ordinary memory.
void* map_huge(std::size_t n) {
  void* p = map_aligned(mapped_length(n), PROT_READ | PROT_WRITE);
  if (p != nullptr) madvise(p, mapped_length(n), MADV_HUGEPAGE);
  return p;
}

// An idle mapped block of m bytes made into one of n bytes, keeping the pages
// both share: shrinking gives the tail back, growing adds only the missing
// pages (in place, or by moving the mapping's page tables to a new aligned
// range: no copy, no clearing of the pages kept). Where a cache would free a
// 300 MB block and fault in a fresh 250 MB one, the kernel clears only what
// the process did not already hold. nullptr when the system refuses.
void* reshape_huge(void* p, std::size_t m, std::size_t n) {
  const std::size_t have = mapped_length(m), want = mapped_length(n);
  char* base = static_cast<char*>(p);
  if (want <= have) {
    if (want < have) munmap(base + want, have - want);
    return p;
  }
  if (mremap(p, have, want, 0) != MAP_FAILED) return p;
  void* target = map_aligned(want, PROT_NONE);
  if (target == nullptr) return nullptr;
  void* moved = mremap(p, have, want, MREMAP_MAYMOVE | MREMAP_FIXED, target);
  if (moved == MAP_FAILED) {
    munmap(target, want);
    return nullptr;
  }
  return moved;
}

// A large block from the system: huge-page mapped when big enough.
void* system_alloc(std::size_t n) {
  if (n >= kHugeFrom) {
    if (void* p = map_huge(n)) return p;
    TORCH_CHECK(false, "cannot allocate ", n, " bytes of CPU memory");
  }
  return c10::alloc_cpu(n);
}

void system_free(void* p, std::size_t n) {
  if (n >= kHugeFrom) {
    munmap(p, mapped_length(n));
  } else {
    c10::free_cpu(p);
  }
}

// Shared by the allocator and its deleter (a plain function pointer, as
// LibTorch's DataPtr requires).
struct Cache {
  std::mutex mutex;
  std::unordered_map<void*, std::size_t> live_large;            // block -> size
  std::map<std::size_t, std::vector<void*>> idle;  // size -> blocks (never empty), ascending
  std::size_t idle_bytes = 0;
  std::size_t max_idle_bytes = 0;
  std::size_t live_bytes = 0;  // in live large blocks
  std::size_t live_peak = 0;   // the most live_bytes has been
};

// Before a new block of n bytes is taken from the system, when live + idle + n
// bytes would pass the highest live total seen: the idle mapped block to
// reshape into it (reshape_huge) instead of freeing one block and mapping
// another: the smallest at least n bytes long, else the largest shorter one.
// Taken out of the cache; {nullptr, 0} when there is none or no need.
std::pair<void*, std::size_t> take_for_reshape(Cache& c, std::size_t n) {
  if (n < kHugeFrom || c.live_bytes + n + c.idle_bytes <= std::max(c.live_peak, c.live_bytes + n))
    return {nullptr, 0};
  auto it = c.idle.lower_bound(n);
  if (it == c.idle.end()) {
    if (it == c.idle.begin()) return {nullptr, 0};
    --it;
  }
  if (it->first < kHugeFrom) return {nullptr, 0};
  const std::pair<void*, std::size_t> block{it->second.back(), it->first};
  it->second.pop_back();
  if (it->second.empty()) c.idle.erase(it);
  c.idle_bytes -= block.second;
  return block;
}

// Before a new block of n bytes is taken from the system: idle blocks, the
// smallest first, are taken out of the cache until live + idle bytes stay
// within the highest live total seen. So the idle blocks never raise the
// process's peak above what its live tensors needed at their peak (a step
// that reuses every block still reuses those that fit under it). Returns the
// blocks to free (outside the lock).
using Blocks = std::vector<std::pair<void*, std::size_t>>;

Blocks make_room(Cache& c, std::size_t n) {
  Blocks evicted;
  const std::size_t bound = std::max(c.live_peak, c.live_bytes + n);
  for (auto it = c.idle.begin(); it != c.idle.end() && c.live_bytes + n + c.idle_bytes > bound;) {
    while (!it->second.empty() && c.live_bytes + n + c.idle_bytes > bound) {
      evicted.emplace_back(it->second.back(), it->first);
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
  std::size_t size = 0;
  {
    std::lock_guard<std::mutex> lock(c.mutex);
    const auto it = c.live_large.find(data);
    if (it != c.live_large.end()) {
      size = it->second;
      c.live_large.erase(it);
      c.live_bytes -= size;
      if (c.idle_bytes + size <= c.max_idle_bytes) {
        c.idle[size].push_back(data);
        c.idle_bytes += size;
        return;
      }
    }
  }
  if (size > 0) {
    system_free(data, size);
  } else {
    c10::free_cpu(data);
  }
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
    Blocks evicted;
    std::pair<void*, std::size_t> reshaped{nullptr, 0};
    {
      std::lock_guard<std::mutex> lock(c.mutex);
      const auto it = c.idle.find(n);
      if (it != c.idle.end() && !it->second.empty()) {
        p = it->second.back();
        it->second.pop_back();
        if (it->second.empty()) c.idle.erase(it);  // no empty lists in idle
        c.idle_bytes -= n;
      } else {
        reshaped = take_for_reshape(c, n);
        evicted = make_room(c, n);
      }
    }
    for (const auto& [block, size] : evicted) system_free(block, size);
    if (reshaped.first != nullptr) {
      p = reshape_huge(reshaped.first, reshaped.second, n);
      if (p == nullptr) system_free(reshaped.first, reshaped.second);
    }
    if (p == nullptr) p = system_alloc(n);
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
  Blocks released;
  {
    Cache& c = cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    c.max_idle_bytes = max_cached_bytes;
    c.live_peak = c.live_bytes;
    for (auto it = c.idle.begin(); it != c.idle.end();) {
      while (!it->second.empty() && c.idle_bytes > max_cached_bytes) {
        released.emplace_back(it->second.back(), it->first);
        it->second.pop_back();
        c.idle_bytes -= it->first;
      }
      it = it->second.empty() ? c.idle.erase(it) : std::next(it);
    }
  }
  for (const auto& [block, size] : released) system_free(block, size);
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
