// A CPU allocator for LibTorch that keeps freed large blocks and hands them
// out again for requests of exactly the same size.
//
// Why: a training step allocates and frees the same large activations every
// iteration. glibc returns blocks above 32 MiB to the kernel at once, so each
// step pays for faulting in fresh zeroed pages (on the benchmark network about
// half of the step). Reusing blocks of identical size removes that cost
// without the fragmentation of keeping everything in the heap. Idle blocks
// are kept only while live plus idle bytes stay within the highest live
// total seen so far (the smallest are released first when a new block would
// go above it), and at most `max_cached_bytes` of them: from the second step
// on, the peak memory is the live tensors' own peak. Blocks of 4 MiB and
// more are mapped on their own, 2 MiB-aligned (with transparent huge pages
// once use_huge_pages has been called). Where a
// new one would pass the bound, it is made of idle mapped blocks' pages
// instead of fresh ones: the head of an idle block long enough (its tail
// stays idle), or the pages of several moved into one range by their page
// tables (mremap: no copy, no clearing). A steady training step then takes
// no fresh pages from the kernel: a few thousand page faults and under 0.1 s
// of system time on the study's network.
#pragma once

#include <cstddef>

namespace plifkit::nn::cpu {

// Installs the allocator for all later CPU tensors (once; later calls only
// change the cap, releasing idle blocks above it). Every call restarts the
// high-water mark from the bytes live now. Blocks smaller than 1 MiB go
// straight to the default allocation functions.
void install_caching_allocator(std::size_t max_cached_bytes);

// From now on, fresh large blocks are asked for as transparent huge pages
// (2 MiB): a steady training step then faults once per 2 MiB instead of 512
// times. For processes that repeat steps: a fresh huge page needs a free
// 2 MiB of physical memory, which on a virtual machine that hands free memory
// back to its host (free page reporting works in 2 MiB units) the host must
// supply again. On the 2-vCPU guest (docs/performance.md, 2026-12-07): the
// study's training step 2.16 s with huge pages against 2.50 s without
// (4,500 faults per step against 45,000), but 15-35 s of system time to get
// its 2.8 GB the first time; an evaluation of 340 MB 2.6 s against 1.0 s.
void use_huge_pages();

// The cap the tools use: an eighth of the machine's physical memory.
std::size_t default_cache_limit();

// Bytes held in idle cached blocks now (for tests and reports).
std::size_t cached_bytes();

}  // namespace plifkit::nn::cpu
