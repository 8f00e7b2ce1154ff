# Shared by the figure commands: options, run arguments, reading metrics.csv
# columns by name, and drawing with gnuplot into an all-or-nothing PNG.
# Sourced by each figure script after it sets `tool` and `usage_text`.
#
# Runs are given as PATH or NAME=PATH, PATH a run folder (the one plif-train
# writes: metrics.csv, checkpoint.h5) or a metrics.csv; the legend shows NAME,
# else the run folder's name.
set -euo pipefail

fail() {  # one line on stderr, exit 1
  echo "$tool: $*" >&2
  exit 1
}

usage_error() {
  echo "$tool: $*" >&2
  echo "hint: $tool --help" >&2
  exit 2
}

output=""
width=0
height=0
run_names=()
run_paths=()

# parse_common ARG...: handles -o, --size, -h and the runs; sets `rest` to
# the options it did not know (the script's own), as "name value" pairs.
parse_common() {
  rest=()
  while [ $# -gt 0 ]; do
    case $1 in
      -h|--help) echo "$usage_text"; exit 0 ;;
      -o|--output) [ $# -ge 2 ] || usage_error "$1 needs a file"; output=$2; shift 2 ;;
      --size)
        [ $# -ge 2 ] || usage_error "--size needs WIDTHxHEIGHT"
        [[ $2 =~ ^([1-9][0-9]*)x([1-9][0-9]*)$ ]] || usage_error "--size must be WIDTHxHEIGHT in pixels, got '$2'"
        width=${BASH_REMATCH[1]}
        height=${BASH_REMATCH[2]}
        shift 2 ;;
      --*) [ $# -ge 2 ] || usage_error "$1 needs a value"; rest+=("$1" "$2"); shift 2 ;;
      *) add_run "$1"; shift ;;
    esac
  done
  [ -n "$output" ] || usage_error "missing -o FIGURE.png"
  [ ${#run_paths[@]} -gt 0 ] || usage_error "no runs given"
  command -v gnuplot >/dev/null || fail "gnuplot not found; install gnuplot-nox (scripts/install-deps.sh)"
}

add_run() {
  local name path
  if [[ $1 == *=* ]]; then
    name=${1%%=*}
    path=${1#*=}
  else
    path=$1
    name=""
  fi
  path=${path%/}
  if [ -z "$name" ]; then
    if [ -d "$path" ]; then name=$(basename "$path"); else name=$(basename "$(dirname "$path")"); fi
  fi
  run_names+=("$name")
  run_paths+=("$path")
}

# metrics_file PATH: the metrics.csv of a run folder, or PATH itself.
metrics_file() {
  if [ -d "$1" ]; then echo "$1/metrics.csv"; else echo "$1"; fi
}

# columns CSV NAME...: the named columns of a metrics.csv, blank-separated,
# one line per epoch. Fails naming the file when it or a column is missing.
columns() {
  local csv=$1
  shift
  [ -f "$csv" ] || fail "no metrics file '$csv'"
  awk -F, -v want="$*" -v file="$csv" -v tool="$tool" '
    NR == 1 {
      for (i = 1; i <= NF; i++) index_of[$i] = i
      n = split(want, names, " ")
      for (k = 1; k <= n; k++)
        if (!(names[k] in index_of)) {
          printf "%s: '\''%s'\'' has no column '\''%s'\''\n", tool, file, names[k] > "/dev/stderr"
          exit 1
        }
      next
    }
    {
      line = ""
      for (k = 1; k <= n; k++) line = line (k > 1 ? " " : "") $(index_of[names[k]])
      print line
    }' "$csv"
}

# layer_count CSV: how many tau_mean_i columns (neuron layers) it has.
layer_count() {
  head -1 "$1" | tr ',' '\n' | grep -c '^tau_mean_[0-9]*$' || true
}

# layer_name I COUNT: the state_dict prefix of neuron layer I of COUNT:
# the conv blocks' neurons conv.2, conv.6, ..., then fc.3 and fc.6.
layer_name() {
  if [ "$1" -lt $(($2 - 2)) ]; then
    echo "conv.$((4 * $1 + 2))"
  elif [ "$1" -eq $(($2 - 2)) ]; then
    echo "fc.3"
  else
    echo "fc.6"
  fi
}

# gp_string TEXT: TEXT as a double-quoted gnuplot string.
gp_string() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}

# Colours by run index, distinguishable and printable.
palette=("#1f77b4" "#d62728" "#2ca02c" "#ff7f0e" "#9467bd" "#8c564b" "#e377c2" "#17becf" "#7f7f7f" "#bcbd22")
colour() { echo "${palette[$(($1 % ${#palette[@]}))]}"; }

work=$(mktemp -d)
pending=""  # the temporary PNG while gnuplot writes it
trap 'rm -rf "$work" ${pending:+"$pending"}' EXIT

# terminal_line DEFAULT_W DEFAULT_H: the gnuplot terminal for the PNG, cairo
# when this gnuplot has it (anti-aliased, transparency), else libgd's png.
terminal_line() {
  local w=$width h=$height
  [ "$w" -gt 0 ] || { w=$1; h=$2; }
  if gnuplot -e 'set terminal' 2>&1 | grep -qw pngcairo; then
    echo "set terminal pngcairo size $w,$h noenhanced font 'DejaVu Sans,11'"
  else
    echo "set terminal png size $w,$h noenhanced"
  fi
}

# draw SCRIPT: runs the gnuplot script, whose first line is terminal_line's
# and which does not set the output, and moves the PNG into place only when
# gnuplot succeeded and wrote something.
draw() {
  pending="$output.tmp-$$"
  rm -f "$pending"
  if ! { head -1 "$1"; echo "set output $(gp_string "$pending")"; tail -n +2 "$1"; } |
    gnuplot 2>"$work/gnuplot.err"; then
    fail "gnuplot failed: $(head -3 "$work/gnuplot.err" | tr '\n' ' ')"
  fi
  [ -s "$pending" ] || fail "gnuplot wrote nothing to '$output'"
  mv "$pending" "$output"
  pending=""
}

# epoch_tics MAX_EPOCH: whole-epoch tics for short runs (gnuplot would
# put tics at half epochs), automatic ones otherwise.
epoch_tics() {
  if awk -v m="$1" 'BEGIN { exit !(m <= 12) }'; then echo "set xtics 1"; fi
}

# max_epoch FILE...: the largest first column of the data files.
max_epoch() {
  awk 'NF && $1 > m { m = $1 } END { print m + 0 }' "$@"
}

# grid N: "ROWS,COLS" of a near-square multiplot layout for N panels.
grid() {
  local cols=1
  while [ $((cols * cols)) -lt "$1" ]; do cols=$((cols + 1)); done
  echo "$(((${1} + cols - 1) / cols)),$cols"
}
