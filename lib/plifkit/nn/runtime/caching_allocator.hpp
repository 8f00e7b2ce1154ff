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
// on, the peak memory is the live tensors' own peak. Blocks of 16 MiB and
// more are mapped with transparent huge pages (2 MiB), so the blocks that
// the bound makes the process give back and take again cost few page faults.
#pragma once

#include <cstddef>

namespace plifkit::nn::cpu {

// Installs the allocator for all later CPU tensors (once; later calls only
// change the cap, releasing idle blocks above it). Every call restarts the
// high-water mark from the bytes live now. Blocks smaller than 1 MiB go
// straight to the default allocation functions.
void install_caching_allocator(std::size_t max_cached_bytes);

// The cap the tools use: an eighth of the machine's physical memory.
std::size_t default_cache_limit();

// Bytes held in idle cached blocks now (for tests and reports).
std::size_t cached_bytes();

}  // namespace plifkit::nn::cpu
