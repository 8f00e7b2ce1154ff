#!/usr/bin/env bash
# Proves a bundle (bench/gpu-bundle.sh) self-contained: runs it inside a bare
# Debian root (debootstrap --variant=minbase; no HDF5, libcurl or OpenSSL in
# it) with nothing but LibTorch and the CUDA libraries added, laid out as a
# pip install lays them out, as on the GPU machine. Checks: ldd resolves
# every library, the CUDA test selection passes (the *_CUDA tests report
# skipped; Resume.* trains on the CPU and reads/writes HDF5), and the tools
# make a synthetic set, convert it and train one epoch on the CPU.
#
#   bench/bundle-check.sh ROOT BUNDLE TORCH_LIB
# ROOT: e.g. debootstrap --variant=minbase bookworm ~/.cache/plifkit/bare-root
# (needs root for chroot; keep the root out of the source tree).
set -euo pipefail
[ $# -eq 3 ] || { echo "usage: bench/bundle-check.sh ROOT BUNDLE TORCH_LIB" >&2; exit 2; }
root=$(cd "$1" && pwd -P)
bundle=$(cd "$2" && pwd -P)
torch_lib=$(cd "$3" && pwd -P)
site=$(dirname "$(dirname "$torch_lib")")
if ls "$root"/usr/lib/x86_64-linux-gnu/libhdf5* >/dev/null 2>&1; then
  echo "bundle-check.sh: $root has HDF5 installed: not a bare root" >&2
  exit 1
fi
check=$root/opt/plifkit-check
rm -rf "$check"
mkdir -p "$check/site-packages/torch"
# Hard links where the file system allows (GBs of CUDA libraries otherwise).
cp -al "$torch_lib" "$check/site-packages/torch/lib" 2>/dev/null || cp -a "$torch_lib" "$check/site-packages/torch/lib"
if [ -d "$site/nvidia" ]; then
  cp -al "$site/nvidia" "$check/site-packages/nvidia" 2>/dev/null || cp -a "$site/nvidia" "$check/site-packages/nvidia"
fi
cp -a "$bundle" "$check/bundle"
cat > "$check/run.sh" <<'INNER'
set -euo pipefail
lib=/opt/plifkit-check/site-packages/torch/lib
path=$lib
for d in /opt/plifkit-check/site-packages/nvidia/*/lib; do path=$path:$d; done
export LD_LIBRARY_PATH=$path
bin=/opt/plifkit-check/bundle/bin
for b in "$bin"/*; do
  if ldd "$b" | grep "not found"; then echo "unresolved libraries: $b"; exit 1; fi
done
echo "ldd: every library of $(ls "$bin" | wc -l) binaries resolved"
"$bin/plifkit_nn_tests" --gtest_filter='*_CUDA:DeviceName.*:Resume.*' > /tmp/tests.log ||
  { cat /tmp/tests.log; exit 1; }
grep -E '^\[  (PASSED|SKIPPED) +\] [0-9]+ test' /tmp/tests.log
work=$(mktemp -d)
"$bin/dvs-synth" --users 4 --lightings 1 --events_per_gesture 300 -q "$work/raw"
"$bin/aedat2frames" "$work/raw" -o "$work/frames.h5" --T 4 -q > /dev/null
"$bin/plif-train" --data "$work/frames.h5" -init_tau 2.0 -use_plif -channels 4 -number_layer 4 -batch_size 4 \
  -max_epoch 1 -device cpu -log_dir_prefix "$work/runs" --name bare -q
echo "tools: synthetic set, frames and one CPU epoch: $(wc -l < "$work/runs/bare/metrics.csv") metrics lines"
INNER
# /proc as on any machine: the loader reads /proc/self/exe to expand the
# binaries' $ORIGIN.
mount -t proc proc "$root/proc"
trap 'umount "$root/proc"; rm -rf "$check"' EXIT
env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TMPDIR=/tmp chroot "$root" bash /opt/plifkit-check/run.sh
echo "bundle-check.sh: the bundle runs in the bare root $root"
