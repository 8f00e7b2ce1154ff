#!/usr/bin/env bash
# Test and validation accuracy per epoch of several runs, raw and as a
# trailing moving average (the reference's Figure 2).
tool=accuracy.sh
usage_text="Usage: pipelines/figures/accuracy.sh -o FIGURE.png [--window 64] [--size 1400x600] RUN...
Test and validation accuracy per epoch of each run: thin lines every epoch,
thick lines the mean of the last WINDOW epochs (fewer at the start).
RUN: a run folder of plif-train (or its metrics.csv), as PATH or NAME=PATH."
source "$(dirname "$0")/common.sh"

parse_common "$@"
window=64
set -- "${rest[@]+"${rest[@]}"}"
while [ $# -gt 0 ]; do
  case $1 in
    --window) window=$2 ;;
    *) usage_error "unknown option $1" ;;
  esac
  shift 2
done
[[ $window =~ ^[1-9][0-9]*$ ]] || usage_error "--window must be a positive number of epochs, got '$window'"

# Per run: epoch, test, val, and their trailing means over `window` epochs.
for i in "${!run_paths[@]}"; do
  columns "$(metrics_file "${run_paths[$i]}")" epoch test_accuracy val_accuracy |
    awk -v w="$window" '{
      n = NR; e[n] = $1; t[n] = $2; v[n] = $3
      st += $2; sv += $3
      if (n > w) { st -= t[n - w]; sv -= v[n - w] }
      k = n < w ? n : w
      printf "%s %s %s %.6f %.6f\n", $1, $2, $3, st / k, sv / k
    }' >"$work/run$i.dat"
  [ -s "$work/run$i.dat" ] || fail "'$(metrics_file "${run_paths[$i]}")' has no epochs"
done

panel() {  # panel TITLE DATA_COLUMN
  echo "set title $(gp_string "$1")"
  local plots=()
  for i in "${!run_paths[@]}"; do
    local c
    c=$(colour "$i")
    # Raw values thin and faded (alpha 0x99), the moving average on top.
    plots+=("$(gp_string "$work/run$i.dat") using 1:$2 with lines lw 1 lc rgb '#99${c#\#}' notitle")
    plots+=("$(gp_string "$work/run$i.dat") using 1:$(($2 + 2)) with lines lw 2.5 lc rgb '$c' title $(gp_string "${run_names[$i]}")")
  done
  local IFS=,
  echo "plot ${plots[*]}"
}

{
  terminal_line 1400 600
  echo "set multiplot layout 1,2 title $(gp_string "Accuracy per epoch (thin: each epoch; thick: mean of the last $window epochs)")"
  echo "set xlabel 'epoch'"
  echo "set ylabel 'accuracy (fraction of samples correct)'"
  echo "set yrange [0:1]"
  echo "set grid"
  echo "set key bottom right"
  epoch_tics "$(max_epoch "$work"/run*.dat)"
  panel "Test split" 2
  panel "Validation split (held-out part of the train split)" 3
  echo "unset multiplot"
} >"$work/plot.gp"
draw "$work/plot.gp"
