#include "plifkit/nn/runtime.hpp"

#include <ATen/Parallel.h>

#include <fstream>

#include "plifkit/nn/runtime/caching_allocator.hpp"

namespace plifkit::nn {

void set_up_runtime(int threads, MemoryUse use, bool caching_allocator) {
  at::set_num_threads(threads);
  if (!caching_allocator) return;
  cpu::install_caching_allocator(cpu::default_cache_limit());
  if (use == MemoryUse::repeated_steps) cpu::use_huge_pages();
}

std::string blas_library() {
  std::ifstream maps("/proc/self/maps");
  std::string line;
  while (std::getline(maps, line)) {
    const auto slash = line.find('/');
    if (slash == std::string::npos) continue;
    const std::string path = line.substr(slash);
    const auto name = path.rfind('/');
    if (path.compare(name + 1, 11, "libblas.so.") == 0) return path;
  }
  return {};
}

std::string blas_advice(const std::string& blas_path) {
  // Debian installs the reference BLAS as .../blas/libblas.so.3, the
  // optimised ones beside it (openblas-openmp/, blis-openmp/, atlas/, ...).
  const auto name = blas_path.rfind('/');
  if (name == std::string::npos || name < 5 || blas_path.compare(name - 5, 5, "/blas") != 0) return {};
  return "LibTorch's linear layers run on the reference BLAS (" + blas_path +
         "), several times slower than an optimised one; scripts/install-deps.sh installs OpenBLAS "
         "(Debian package libopenblas0-openmp)";
}

}  // namespace plifkit::nn
