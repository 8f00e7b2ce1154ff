#include "plifkit/nn/cpu/cpu_isa.hpp"

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include "plifkit/core/error.hpp"
#include "plifkit/nn/cpu/neuron_rows.hpp"
#include "plifkit/nn/cpu/sparse_conv_kernels.hpp"

// One neuron_row_set and sparse_conv_set per compiled instruction set
// (isa/neuron_rows_isa.cpp, isa/sparse_conv_isa.cpp); lib/CMakeLists.txt
// defines PLIFKIT_HAVE_ISA_AVX2/AVX512 where it builds them.
namespace plifkit::nn::cpu {
namespace isa_baseline {
NeuronRowSet neuron_row_set();
SparseConvSet sparse_conv_set();
}
#ifdef PLIFKIT_HAVE_ISA_AVX2
namespace isa_avx2 {
NeuronRowSet neuron_row_set();
SparseConvSet sparse_conv_set();
}
#endif
#ifdef PLIFKIT_HAVE_ISA_AVX512
namespace isa_avx512 {
NeuronRowSet neuron_row_set();
SparseConvSet sparse_conv_set();
}
#endif

namespace {

constexpr CpuIsa kAll[] = {CpuIsa::baseline, CpuIsa::avx2, CpuIsa::avx512};

bool cpu_runs(CpuIsa isa) {
  switch (isa) {
    case CpuIsa::baseline:
      return true;
    case CpuIsa::avx2:
#ifdef PLIFKIT_HAVE_ISA_AVX2
      return __builtin_cpu_supports("avx2");
#else
      return false;
#endif
    case CpuIsa::avx512:
#ifdef PLIFKIT_HAVE_ISA_AVX512
      return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
#else
      return false;
#endif
  }
  return false;
}

struct KernelSets {
  NeuronRowSet rows;
  SparseConvSet sparse_conv;
};

KernelSets kernels_for(CpuIsa isa) {
  switch (isa) {
    case CpuIsa::baseline:
      return {isa_baseline::neuron_row_set(), isa_baseline::sparse_conv_set()};
    case CpuIsa::avx2:
#ifdef PLIFKIT_HAVE_ISA_AVX2
      return {isa_avx2::neuron_row_set(), isa_avx2::sparse_conv_set()};
#else
      break;
#endif
    case CpuIsa::avx512:
#ifdef PLIFKIT_HAVE_ISA_AVX512
      return {isa_avx512::neuron_row_set(), isa_avx512::sparse_conv_set()};
#else
      break;
#endif
  }
  throw UsageError(std::string("no CPU kernels for ") + name_of(isa) + " in this build");
}

CpuIsa from_environment() {
  const char* wanted = std::getenv("PLIFKIT_CPU_ISA");
  if (wanted == nullptr || *wanted == '\0') return supported_cpu_isas().back();
  for (CpuIsa isa : kAll) {
    if (std::strcmp(wanted, name_of(isa)) != 0) continue;
    if (!cpu_runs(isa))
      throw UsageError(std::string("PLIFKIT_CPU_ISA=") + wanted +
                       ": this CPU or build cannot run it (supported: baseline" +
                       (cpu_runs(CpuIsa::avx2) ? ", avx2" : "") +
                       (cpu_runs(CpuIsa::avx512) ? ", avx512" : "") + ")");
    return isa;
  }
  throw UsageError(std::string("PLIFKIT_CPU_ISA='") + wanted +
                   "' is not one of baseline, avx2, avx512");
}

struct Selection {
  std::mutex mutex;
  std::atomic<bool> chosen{false};
  CpuIsa isa = CpuIsa::baseline;
  KernelSets kernels{};
};

Selection& selection() {
  static Selection s;
  return s;
}

void choose(Selection& s, CpuIsa isa) {
  s.kernels = kernels_for(isa);
  s.isa = isa;
  s.chosen.store(true, std::memory_order_release);
}

Selection& chosen_selection() {
  Selection& s = selection();
  if (!s.chosen.load(std::memory_order_acquire)) {
    std::lock_guard<std::mutex> lock(s.mutex);
    if (!s.chosen.load(std::memory_order_relaxed)) choose(s, from_environment());
  }
  return s;
}

}  // namespace

const char* name_of(CpuIsa isa) {
  switch (isa) {
    case CpuIsa::baseline:
      return "baseline";
    case CpuIsa::avx2:
      return "avx2";
    case CpuIsa::avx512:
      return "avx512";
  }
  return "?";
}

std::vector<CpuIsa> supported_cpu_isas() {
  std::vector<CpuIsa> out;
  for (CpuIsa isa : kAll)
    if (cpu_runs(isa)) out.push_back(isa);
  return out;
}

CpuIsa current_cpu_isa() { return chosen_selection().isa; }

void use_cpu_isa(CpuIsa isa) {
  if (!cpu_runs(isa))
    throw UsageError(std::string("the CPU or build cannot run the ") + name_of(isa) + " kernels");
  Selection& s = selection();
  std::lock_guard<std::mutex> lock(s.mutex);
  choose(s, isa);
}

const NeuronRowSet& neuron_rows() { return chosen_selection().kernels.rows; }

const SparseConvSet& sparse_conv_kernels() { return chosen_selection().kernels.sparse_conv; }

}  // namespace plifkit::nn::cpu
