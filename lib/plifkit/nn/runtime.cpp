#include "plifkit/nn/runtime.hpp"

#include <ATen/Parallel.h>

#include "plifkit/nn/runtime/caching_allocator.hpp"

namespace plifkit::nn {

void set_up_runtime(int threads, bool caching_allocator) {
  at::set_num_threads(threads);
  if (caching_allocator) cpu::install_caching_allocator(cpu::default_cache_limit());
}

}  // namespace plifkit::nn
