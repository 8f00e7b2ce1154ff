#include "plifkit/nn/runtime.hpp"

#include <ATen/Parallel.h>

#include "plifkit/nn/runtime/caching_allocator.hpp"

namespace plifkit::nn {

void set_up_runtime(int threads, MemoryUse use, bool caching_allocator) {
  at::set_num_threads(threads);
  if (!caching_allocator) return;
  cpu::install_caching_allocator(cpu::default_cache_limit());
  if (use == MemoryUse::repeated_steps) cpu::use_huge_pages();
}

}  // namespace plifkit::nn
