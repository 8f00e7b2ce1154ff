#!/usr/bin/env bash
# A dataset's registry row as shell assignments, for recipes and scripts to
# eval (from `aedat2frames --list-datasets --format tsv`):
#   input=events storage=file_per_sample decoder=nmnist_bin classes=10
#   height=34 width=34 channels=2 reference_T=10 reference_layers=2
#   first_class=0
# reference_layers is 0 for the image datasets (their networks are fixed).
#   pipelines/dataset_facts.sh BIN DATASET
set -euo pipefail
bin=$1 dataset=$2
"$bin/aedat2frames" --list-datasets --format tsv --dataset "$dataset" | awk -F'\t' '
  NR == 1 { for (i = 1; i <= NF; i++) column[$i] = i; next }
  NR == 2 {
    split($column["class_names"], names, ",")
    printf "input=%s storage=%s decoder=%s classes=%s height=%s width=%s channels=%s ",
           $column["input"], $column["storage"], $column["decoder"], $column["classes"],
           $column["height"], $column["width"], $column["channels"]
    printf "reference_T=%s reference_layers=%s first_class=%s\n",
           $column["T"], $column["number_layer"], names[1]
  }'
