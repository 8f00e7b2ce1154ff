#!/usr/bin/env bash
# Installs the Debian packages plifkit builds and runs with, only those that
# are missing. Needs root (or sudo) the first time; a no-op afterwards.
set -euo pipefail

packages=(
  cmake g++ make pkg-config
  libhdf5-dev zlib1g-dev libcxxopts-dev libgtest-dev
  libtorch-dev libgloo-dev
  # Debian's LibTorch does its matrix products (the linear layers) through
  # libblas.so.3, the netlib reference BLAS unless an optimised one is
  # installed: 9x slower steps on the MNIST network. The OpenMP build of
  # OpenBLAS runs on LibTorch's thread count (--threads).
  libopenblas0-openmp
  libprotobuf-dev protobuf-compiler libboost-dev
  libmatio-dev libdeflate-dev
  hdf5-tools gnuplot-nox
  slurmctld slurmd slurm-client munge
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
