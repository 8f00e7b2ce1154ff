// The process-wide set-up of LibTorch that every program running the
// network does once, before any tensor exists: the CPU threads and the
// caching CPU allocator.
#pragma once

#include <string>

namespace plifkit::nn {

// How the process uses its memory: the same activations allocated step after
// step for minutes or hours (training, the benchmarks), or touched in one
// pass over the data (an evaluation). Repeated steps get transparent huge
// pages for their large blocks (cpu::use_huge_pages says what that costs a
// short process and saves a long one).
enum class MemoryUse { repeated_steps, one_pass };

// threads: Torch's intra-op threads (>= 1). caching_allocator: reuse large
// CPU blocks instead of returning them to the system (nn/runtime/caching_allocator.hpp).
void set_up_runtime(int threads, MemoryUse use, bool caching_allocator = true);

// The BLAS that LibTorch's matrix products (the linear layers) run on: the
// file the dynamic loader mapped for libblas.so.3, which Debian's
// alternatives choose (the netlib reference BLAS unless an optimised one is
// installed); empty where no such library is mapped (a LibTorch with its own
// BLAS, as PyPI's builds link MKL).
std::string blas_library();

// One line for the user where that BLAS (by default the one mapped now) is
// the netlib reference implementation (plain loops, no blocking or threads:
// the image networks' training step 2-9x slower than on OpenBLAS); empty
// otherwise.
std::string blas_advice(const std::string& blas_path = blas_library());

}  // namespace plifkit::nn
