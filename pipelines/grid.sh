#!/usr/bin/env bash
# The sweep grid, one run per line: "NAME<TAB>plif-train flags". Shared by
# sweep.sh (local) and slurm/ (one array task per line), so both run exactly
# the same runs. Every run is a per-neuron PLIF model with the reference's
# other settings; the seed is the name's _seed<N> suffix (the Makefile passes
# it). The axes come from the environment (space-separated):
#   REG_LAMBDAS (0 0.01 0.1)  TAU_STD_DEVS (0.1)  INIT_TAUS (2.0)  SEEDS (2020)
set -euo pipefail
for lambda in ${REG_LAMBDAS:-0 0.01 0.1}; do
  for std in ${TAU_STD_DEVS:-0.1}; do
    for tau in ${INIT_TAUS:-2.0}; do
      for seed in ${SEEDS:-2020}; do
        printf 'lambda%s_std%s_tau%s_seed%s\t-init_tau %s -tau_std_dev %s -reg_lambda %s -use_max_pool -detach_reset -split_by number -normalization None -use_plif -tau_per_neuron\n' \
          "$lambda" "$std" "$tau" "$seed" "$tau" "$std" "$lambda"
      done
    done
  done
done
