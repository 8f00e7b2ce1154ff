#include "plifkit/nn/runtime/caching_allocator.hpp"

#include <c10/core/Allocator.h>
#include <c10/core/impl/alloc_cpu.h>
#include <sys/mman.h>

#include <algorithm>
#include <atomic>
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
// rounded up to 2 MiB, so that their pages can be moved between blocks in
// huge-page units. Below it the rounding would waste up to half a block.
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

// Whether fresh large blocks get transparent huge pages: off until the
// process calls use_huge_pages (see the header for why).
std::atomic<bool> huge_pages_wanted{false};

// Asks for huge pages on a fresh range once they are wanted; where the
// kernel has them off, the advice is ignored and the range is ordinary memory.
void advise_huge_pages(void* start, std::size_t length) {
  if (huge_pages_wanted.load(std::memory_order_relaxed)) madvise(start, length, MADV_HUGEPAGE);
}

// A fresh 2 MiB-aligned anonymous mapping of `length` bytes.
void* map_fresh(std::size_t length) {
  void* p = map_aligned(length, PROT_READ | PROT_WRITE);
  if (p != nullptr) advise_huge_pages(p, length);
  return p;
}

// A large block from the system: 2 MiB-aligned and mapped on its own.
void* system_alloc(std::size_t n) {
  if (n >= kHugeFrom) {
    if (void* p = map_fresh(mapped_length(n))) return p;
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

// Whether a new block of n bytes would lift live + idle bytes above the
// highest live total seen.
bool over_bound(const Cache& c, std::size_t n) {
  return c.live_bytes + n + c.idle_bytes > std::max(c.live_peak, c.live_bytes + n);
}

// Pages of idle mapped blocks, to be moved into a new block.
struct Piece {
  char* start;
  std::size_t length;  // a multiple of 2 MiB
};
using Pieces = std::vector<Piece>;
using Blocks = std::vector<std::pair<void*, std::size_t>>;

// Takes out of the cache the idle mapped blocks whose pages make up a new
// block of `length` mapped bytes: the smallest that holds it alone, else the
// largest ones until they cover it or none is left. Only the head of the last
// one taken is used where it is longer: its tail stays in the cache as a block
// of its own (a mapped range is unmapped piecewise just as well), or, shorter
// than a mapped block, goes to `to_unmap`.
Pieces take_pages(Cache& c, std::size_t length, Pieces& to_unmap) {
  Pieces pieces;
  std::size_t covered = 0;
  const auto take = [&](std::map<std::size_t, std::vector<void*>>::iterator it) {
    char* start = static_cast<char*>(it->second.back());
    const std::size_t size = it->first, mapped = mapped_length(size);
    it->second.pop_back();
    if (it->second.empty()) c.idle.erase(it);
    c.idle_bytes -= size;
    const std::size_t used = std::min(mapped, length - covered);
    pieces.push_back({start, used});
    covered += used;
    if (const std::size_t rest = mapped - used; rest >= kHugeFrom) {
      c.idle[rest].push_back(start + used);
      c.idle_bytes += rest;
    } else if (rest > 0) {
      to_unmap.push_back({start + used, rest});
    }
  };
  // Keys are requested sizes: one up to 2 MiB short of `length` maps as long.
  const auto fit = c.idle.lower_bound(std::max(length - kHugePage + 1, kHugeFrom));
  if (fit != c.idle.end()) {
    take(fit);
    return pieces;
  }
  while (covered < length && !c.idle.empty() && std::prev(c.idle.end())->first >= kHugeFrom)
    take(std::prev(c.idle.end()));
  return pieces;
}

// A block of `length` mapped bytes from the pieces' pages, moved by their page
// tables (not copied, not cleared, huge pages kept: every range is 2 MiB
// aligned), and fresh pages for what they do not cover. nullptr when the
// system refuses; the pieces are given back to it then.
void* assemble(const Pieces& pieces, std::size_t length) {
  if (pieces.size() == 1 && pieces[0].length == length) return pieces[0].start;
  char* target = static_cast<char*>(map_aligned(length, PROT_NONE));
  bool ok = target != nullptr;
  std::size_t offset = 0;
  for (const Piece& piece : pieces) {
    if (ok && mremap(piece.start, piece.length, piece.length, MREMAP_MAYMOVE | MREMAP_FIXED,
                     target + offset) != MAP_FAILED) {
      offset += piece.length;
      continue;
    }
    ok = false;
    munmap(piece.start, piece.length);
  }
  if (ok && offset < length) {
    ok = mmap(target + offset, length - offset, PROT_READ | PROT_WRITE,
              MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED;
    if (ok) advise_huge_pages(target + offset, length - offset);
  }
  if (!ok) {
    if (target != nullptr) munmap(target, length);
    return nullptr;
  }
  return target;
}

// Before a new block of n bytes is taken from the system: idle blocks, the
// smallest first, are taken out of the cache until live + idle bytes stay
// within the highest live total seen. So the idle blocks never raise the
// process's peak above what its live tensors needed at their peak (a step
// that reuses every block still reuses those that fit under it). Returns the
// blocks to free (outside the lock).
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
    Pieces pieces, tails;
    {
      std::lock_guard<std::mutex> lock(c.mutex);
      const auto it = c.idle.find(n);
      if (it != c.idle.end() && !it->second.empty()) {
        p = it->second.back();
        it->second.pop_back();
        if (it->second.empty()) c.idle.erase(it);  // no empty lists in idle
        c.idle_bytes -= n;
      } else {
        // Past the bound, a mapped block is made of idle pages rather than
        // of fresh ones the kernel would clear (and idle ones it would free).
        if (n >= kHugeFrom && over_bound(c, n)) pieces = take_pages(c, mapped_length(n), tails);
        evicted = make_room(c, n);
      }
    }
    for (const auto& [block, size] : evicted) system_free(block, size);
    for (const Piece& tail : tails) munmap(tail.start, tail.length);
    if (!pieces.empty()) p = assemble(pieces, mapped_length(n));
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

void use_huge_pages() { huge_pages_wanted.store(true, std::memory_order_relaxed); }

std::size_t default_cache_limit() {
  const std::size_t physical = physical_memory_bytes();
  return physical > 0 ? physical / 8 : std::size_t{1} << 30;
}

std::size_t cached_bytes() {
  std::lock_guard<std::mutex> lock(cache().mutex);
  return cache().idle_bytes;
}

}  // namespace plifkit::nn::cpu
