#!/usr/bin/env bash
# Bundles binaries with the exact shared-library closure ldd reports for
# them, for a GPU machine that has LibTorch (in its PyTorch) but maybe not
# HDF5 and its dependencies, and no network:
#   BUNDLE/bin/  the binaries, RUNPATH $ORIGIN/../lib
#   BUNDLE/lib/  every library ldd resolves for them (HDF5, libcurl, OpenSSL,
#                libaec, zlib, ..., libstdc++), RUNPATH $ORIGIN
# Left out, because the GPU machine brings its own and they must match it:
# LibTorch and the CUDA libraries (everything under TORCH_LIB, the nvidia/
# wheels and the CUDA toolkit; bench/cuda-measure.sh puts the machine's
# torch/lib on LD_LIBRARY_PATH) and the C library with its loader.
#
#   bench/cuda-deps.sh TORCH_LIB BUNDLE BINARY...
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: bench/cuda-deps.sh TORCH_LIB BUNDLE BINARY..." >&2; exit 2; }
torch_lib=$(cd "$1" && pwd -P)
bundle=$2
shift 2
command -v patchelf >/dev/null || { echo "cuda-deps.sh: needs patchelf (apt-get install patchelf)" >&2; exit 1; }
rm -rf "$bundle"
mkdir -p "$bundle/bin" "$bundle/lib"

# Libraries the target machine provides: glibc's own, and what comes with
# LibTorch and CUDA.
provided() {
  case $(basename "$1") in
    ld-linux*|libc.so.*|libm.so.*|libdl.so.*|libpthread.so.*|librt.so.*|libresolv.so.*|libutil.so.*) return 0 ;;
    libcuda.so.*|libnvidia-*) return 0 ;;
  esac
  case $(readlink -f "$1") in
    "$torch_lib"/*|*/site-packages/nvidia/*|*/site-packages/cusparselt/*|/usr/local/cuda*) return 0 ;;
  esac
  return 1
}

# ldd resolves the whole closure (also what the libraries themselves need);
# Torch's and CUDA's libraries resolve from TORCH_LIB and the nvidia/
# wheels beside it, as on the target (bench/cuda-measure.sh).
library_path=$torch_lib
for d in "$torch_lib"/../../nvidia/*/lib; do
  [ -d "$d" ] && library_path=$library_path:$(cd "$d" && pwd -P)
done
export LD_LIBRARY_PATH=$library_path${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
for binary in "$@"; do
  if ldd "$binary" | grep "not found"; then
    echo "cuda-deps.sh: $binary has unresolved libraries here" >&2
    exit 1
  fi
  ldd "$binary" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }'
done | sort -u | while read -r lib; do
  provided "$lib" && continue
  cp -L "$lib" "$bundle/lib/$(basename "$lib")"
done
for lib in "$bundle"/lib/*; do patchelf --set-rpath '$ORIGIN' "$lib"; done
for binary in "$@"; do
  cp -L "$binary" "$bundle/bin/"
  patchelf --set-rpath '$ORIGIN/../lib' "$bundle/bin/$(basename "$binary")"
done
echo "cuda-deps.sh: $bundle: $(ls "$bundle/bin" | wc -l) binaries, $(ls "$bundle/lib" | wc -l) libraries, $(du -sh "$bundle" | cut -f1)"
ls "$bundle/lib"
