#!/usr/bin/env bash
# A checkpoint with only formats.md's floor in /config (no tau_lr_scale,
# tau_init, reg_target, dropout_p, amp: as another program or an earlier
# plifkit wrote them) is evaluated, analysed and trained from, with the
# defaults of the missing settings.
# Usage: floor_checkpoint.sh FIXTURE FLOOR_CONFIG PLIF_EVAL TAU_STATS PLIF_TRAIN
set -euo pipefail
fixture=$1 floor=$2 eval=$3 stats=$4 train=$5
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

cp "$fixture/runs/per_neuron/checkpoint.h5" full.h5
cp full.h5 floor.h5
removed=$("$floor" floor.h5 | tr '\n' ' ')
echo "removed: $removed"
for name in tau_lr_scale tau_init reg_target dropout_p; do
  case " $removed " in *" $name "*) ;; *) echo "FAIL: $name not removed"; exit 1 ;; esac
done

# The defaults are what the run used, so the evaluation is the same.
"$eval" full.h5 "$fixture/frames.h5" --threads 1 -q > full.txt
"$eval" floor.h5 "$fixture/frames.h5" --threads 1 -q > floor.txt
# (The report names its checkpoint on its first line.)
diff <(grep -v '^checkpoint ' full.txt) <(grep -v '^checkpoint ' floor.txt) ||
  { echo "FAIL: the floor-only checkpoint evaluates differently"; exit 1; }
grep -q '^accuracy' floor.txt || { echo "FAIL: no accuracy in the report"; cat floor.txt; exit 1; }
"$stats" floor.h5 > stats.txt || { echo "FAIL: tau-stats refused it"; exit 1; }
grep -q "conv.2" stats.txt || { echo "FAIL: tau-stats printed no layer"; cat stats.txt; exit 1; }
"$train" --data "$fixture/frames.h5" -init_tau 2.0 -use_max_pool -channels 8 -number_layer 4 \
  -use_plif -tau_per_neuron -tau_std_dev 0.1 -max_epoch 1 --max_steps 1 --init_checkpoint floor.h5 \
  -log_dir_prefix runs --name from_floor --threads 1 -q > train.txt || { echo "FAIL: --init_checkpoint refused it"; exit 1; }
[ -s runs/from_floor/checkpoint.h5 ] || { echo "FAIL: no checkpoint from the run"; exit 1; }
echo PASS
