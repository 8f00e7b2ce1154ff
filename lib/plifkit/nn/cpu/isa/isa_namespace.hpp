// The per-instruction-set namespace of the files in this folder: each is
// compiled once per set (lib/CMakeLists.txt) with PLIFKIT_ISA naming it, and
// puts its kernels in plifkit::nn::cpu::PLIFKIT_ISA_NAMESPACE (isa_baseline,
// isa_avx2, isa_avx512), where cpu_isa.cpp finds them.
#pragma once

#ifndef PLIFKIT_ISA
#error "PLIFKIT_ISA must name the instruction set (baseline, avx2, avx512)"
#endif
#define PLIFKIT_ISA_CONCAT2(a, b) a##b
#define PLIFKIT_ISA_CONCAT(a, b) PLIFKIT_ISA_CONCAT2(a, b)
#define PLIFKIT_ISA_NAMESPACE PLIFKIT_ISA_CONCAT(isa_, PLIFKIT_ISA)
