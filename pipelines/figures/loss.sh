#!/usr/bin/env bash
# Training loss per epoch of several runs.
tool=loss.sh
usage_text="Usage: pipelines/figures/loss.sh -o FIGURE.png [--size 900x600] RUN...
Training loss per epoch of each run (log scale): the MSE of the vote counts / T
against the one-hot label, plus the tau regulariser when the run has one.
RUN: a run folder of plif-train (or its metrics.csv), as PATH or NAME=PATH."
source "$(dirname "$0")/common.sh"

parse_common "$@"
[ ${#rest[@]} -eq 0 ] || usage_error "unknown option ${rest[0]}"

plots=()
for i in "${!run_paths[@]}"; do
  columns "$(metrics_file "${run_paths[$i]}")" epoch train_loss >"$work/run$i.dat"
  [ -s "$work/run$i.dat" ] || fail "'$(metrics_file "${run_paths[$i]}")' has no epochs"
  plots+=("$(gp_string "$work/run$i.dat") using 1:2 with linespoints lw 2 pt 7 ps 0.4 lc rgb '$(colour "$i")' title $(gp_string "${run_names[$i]}")")
done

{
  terminal_line 900 600
  echo "set title 'Training loss per epoch'"
  echo "set xlabel 'epoch'"
  echo "set ylabel 'train loss (MSE of counts / T vs one-hot, + regulariser), log scale'"
  echo "set logscale y"
  echo "set grid"
  echo "set key top right"
  epoch_tics "$(max_epoch "$work"/run*.dat)"
  (IFS=,; echo "plot ${plots[*]}")
} >"$work/plot.gp"
draw "$work/plot.gp"
