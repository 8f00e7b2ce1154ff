#!/usr/bin/env bash
# formats.md section 1: a frames file of format_version 2 is read like one of
# version 1. The fixture's frames file with the attribute set to 1 and to 2
# gives the same evaluation, the same training (checkpoint tensors) and the
# same tau statistics; version 3 is refused with one line naming the file.
# Usage: frames_version.sh FIXTURE SET_FORMAT_VERSION TOOLS_DIR
set -euo pipefail
fixture=$1 set_version=$2 tools=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

cp "$fixture/frames.h5" v1.h5
cp "$fixture/frames.h5" v2.h5
cp "$fixture/frames.h5" v3.h5
"$set_version" v1.h5 1
"$set_version" v2.h5 2
"$set_version" v3.h5 3
h5dump -a /format_version v2.h5 | grep -q '(0): 2' || { echo "FAIL: v2.h5 is not version 2"; exit 1; }

checkpoint=$fixture/runs/per_neuron/checkpoint.h5
for v in 1 2; do
  "$tools/plif-eval" "$checkpoint" v$v.h5 --threads 1 -q | grep -v '^frames ' > eval$v.txt
  "$tools/plif-train" --data v$v.h5 -init_tau 2.0 -use_max_pool -channels 8 -number_layer 4 \
    -use_plif -tau_per_neuron -tau_std_dev 0.1 -max_epoch 1 --max_steps 2 --val_ratio 0.5 \
    -log_dir_prefix runs --name v$v -seed 4 --threads 1 -q > /dev/null
  "$tools/tau-stats" runs/v$v/checkpoint.h5 | grep -v 'checkpoint' > stats$v.txt
done
grep -q '^accuracy' eval1.txt || { echo "FAIL: no accuracy in the report"; cat eval1.txt; exit 1; }
diff eval1.txt eval2.txt || { echo "FAIL: version 2 evaluates differently"; exit 1; }
h5diff runs/v1/checkpoint.h5 runs/v2/checkpoint.h5 /model /model ||
  { echo "FAIL: version 2 trains differently"; exit 1; }
diff stats1.txt stats2.txt || { echo "FAIL: tau-stats differ"; exit 1; }

if "$tools/plif-eval" "$checkpoint" v3.h5 -q > out3.txt 2> err3.txt; then
  echo "FAIL: version 3 accepted"; exit 1
fi
[ "$(wc -l < err3.txt)" -eq 1 ] && grep -q "v3.h5.*version 3 is not supported" err3.txt ||
  { echo "FAIL: version 3's error:"; cat err3.txt; exit 1; }
echo PASS
