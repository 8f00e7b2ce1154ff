#!/usr/bin/env bash
# Mean tau per neuron layer over the epochs, a panel per layer, one line per
# run with a band of +- one standard deviation over the layer's neurons
# (the reference's Figure 1, left).
tool=tau_evolution.sh
usage_text="Usage: pipelines/figures/tau_evolution.sh -o FIGURE.png [--size 1400x900] RUN...
Mean membrane time constant tau of each neuron layer after every epoch, one
panel per layer, one line per run; the band is +- one standard deviation over
the layer's neurons (zero, so invisible, for one tau per layer or LIF).
RUN: a run folder of plif-train (or its metrics.csv), as PATH or NAME=PATH."
source "$(dirname "$0")/common.sh"

parse_common "$@"
[ ${#rest[@]} -eq 0 ] || usage_error "unknown option ${rest[0]}"

describe_layer() {
  case $1 in
    conv.*) echo "$1 (conv block $((${1#conv.} / 4 + 1)))" ;;
    fc.3) echo "fc.3 (hidden fully connected)" ;;
    fc.6) echo "fc.6 (voting layer)" ;;
  esac
}

# Per run and layer: epoch, mean, std. Layers are matched by name, so runs
# of different depth share the panels they have in common.
layers=()
for i in "${!run_paths[@]}"; do
  csv=$(metrics_file "${run_paths[$i]}")
  [ -f "$csv" ] || fail "no metrics file '$csv'"
  count=$(layer_count "$csv")
  [ "$count" -ge 2 ] || fail "'$csv' has no tau_mean_i columns"
  for ((l = 0; l < count; l++)); do
    name=$(layer_name "$l" "$count")
    columns "$csv" epoch "tau_mean_$l" "tau_std_$l" >"$work/run$i.$name.dat"
    [ -s "$work/run$i.$name.dat" ] || fail "'$csv' has no epochs"
    [[ " ${layers[*]-} " == *" $name "* ]] || layers+=("$name")
  done
done
# conv layers by index, then fc.3, fc.6.
mapfile -t layers < <(printf '%s\n' "${layers[@]}" | sort -t. -k1,1 -k2,2n)

{
  terminal_line 1400 900
  echo "set multiplot layout $(grid ${#layers[@]}) title 'Mean tau per neuron layer after each epoch (band: +- 1 std over the layer''s neurons)'"
  echo "set xlabel 'epoch'"
  echo "set ylabel 'tau (time steps)'"
  echo "set grid"
  echo "set key top right"
  epoch_tics "$(max_epoch "$work"/run*.dat)"
  first=1
  for name in "${layers[@]}"; do
    echo "set title $(gp_string "$(describe_layer "$name")")"
    # All bands first, then all lines, so no band hides another run's line.
    bands=()
    lines=()
    for i in "${!run_paths[@]}"; do
      data="$work/run$i.$name.dat"
      [ -f "$data" ] || continue
      c=$(colour "$i")
      title="notitle"
      [ $first = 1 ] && title="title $(gp_string "${run_names[$i]}")"
      bands+=("$(gp_string "$data") using 1:(\$2-\$3):(\$2+\$3) with filledcurves fs transparent solid 0.15 noborder lc rgb '$c' notitle")
      lines+=("$(gp_string "$data") using 1:2 with lines lw 2 lc rgb '$c' $title")
    done
    plots=("${bands[@]}" "${lines[@]}")
    (IFS=,; echo "plot ${plots[*]}")
    [ $first = 1 ] && echo "unset key"  # one legend, in the first panel
    first=0
  done
  echo "unset multiplot"
} >"$work/plot.gp"
draw "$work/plot.gp"
