#!/usr/bin/env bash
# dvs-synth's size options for a synthetic copy of DATASET, by how the
# dataset is stored (its registry row): SIZE study (the Makefile's default
# synthetic data) or demo (smaller, for `make demo`).
#   pipelines/synth_flags.sh BIN DATASET study|demo
set -euo pipefail
bin=$1 dataset=$2 size=$3
here=$(cd "$(dirname "$0")" && pwd)
eval "$("$here/dataset_facts.sh" "$bin" "$dataset")"
case $size/$storage in
  study/recordings) echo "--users 10 --lightings 3" ;;
  demo/recordings) echo "--users 10 --lightings 2 --events_per_gesture 3000" ;;
  study/file_per_sample) echo "--samples_per_class 32" ;;
  # Many classes of large frames (ASL-DVS: 24 of 180x240) make the slowest
  # demo: half the samples there.
  demo/file_per_sample) echo "--samples_per_class $((classes > 16 ? 8 : 16)) --events_per_sample 2000" ;;
  study/*) echo "--samples_per_class 64 --test_per_class 16" ;;
  demo/*) echo "--samples_per_class 24 --test_per_class 6" ;;
  *) echo "synth_flags.sh: SIZE must be study or demo, got '$size'" >&2; exit 2 ;;
esac
