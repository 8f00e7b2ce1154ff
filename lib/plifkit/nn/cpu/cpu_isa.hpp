// The vector instruction set plifkit's own CPU kernels run with, chosen once
// per process at run time (the way ATen picks its kernels), so that one
// portable binary uses the widest vectors the CPU has. The neuron kernels are
// compiled once per instruction set (nn/cpu/isa/); every variant computes the
// same float values bit for bit (no fused multiply-add, the same operations
// in the same order per element), only more elements at a time.
//
// The choice: the environment variable PLIFKIT_CPU_ISA (baseline, avx2,
// avx512) when set, otherwise the widest the CPU and this build support.
#pragma once

#include <string>
#include <vector>

namespace plifkit::nn::cpu {

enum class CpuIsa {
  baseline,  // the compiler's default for the target (x86-64: SSE2)
  avx2,      // AVX2 (256-bit)
  avx512,    // AVX-512 F/BW/DQ/VL (512-bit)
};

const char* name_of(CpuIsa isa);

// The instruction sets this build has kernels for and this CPU can run,
// narrowest first (baseline always).
std::vector<CpuIsa> supported_cpu_isas();

// The one in use: decided at the first call (PLIFKIT_CPU_ISA or the widest
// supported). Throws UsageError when PLIFKIT_CPU_ISA names an unknown set or
// one that this CPU or build cannot run.
CpuIsa current_cpu_isa();

// Switches the kernels to `isa` (tests compare the variants). Throws
// UsageError when it is not supported.
void use_cpu_isa(CpuIsa isa);

}  // namespace plifkit::nn::cpu
