#!/usr/bin/env bash
# Fetches (apt-get download, no install) the Debian packages bench/cuda.sh
# needs on a GPU machine that has a CUDA Torch but no HDF5, cxxopts or
# GoogleTest headers: bench/cuda-deps.sh DIR, then bench/cuda.sh --deps DIR.
set -euo pipefail
dir=${1:?usage: bench/cuda-deps.sh DIR}
mkdir -p "$dir"
cd "$dir"
apt-get download libhdf5-dev libhdf5-103-1 libhdf5-hl-100 libsz2 libaec0 libcurl3-gnutls \
  zlib1g-dev libcxxopts-dev libgtest-dev libgmock-dev 2>&1 | grep -v "^Get:" || true
ls -1 "$dir"/*.deb
