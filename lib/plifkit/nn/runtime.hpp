// The process-wide set-up of LibTorch that every program running the
// network does once, before any tensor exists: the CPU threads and the
// caching CPU allocator.
#pragma once

namespace plifkit::nn {

// threads: Torch's intra-op threads (>= 1). caching_allocator: reuse large
// CPU blocks instead of returning them to the system (nn/runtime/caching_allocator.hpp).
void set_up_runtime(int threads, bool caching_allocator = true);

}  // namespace plifkit::nn
