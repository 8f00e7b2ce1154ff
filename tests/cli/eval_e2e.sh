#!/usr/bin/env bash
# plif-eval end to end on the fixture's short runs: the evaluation file's
# layout and its consistency with the counts (predicted = the argmax with the
# lowest index on ties, confusion = the (label, predicted) pairs, accuracy =
# its trace / N), --per_step at t = T equal to the accuracy, the table and
# --json agreeing with the file, val = the training division of the train
# split, the same bytes from two runs and from another batch size, and
# must-fail rows (exit code, one line naming the file, nothing left behind).
# Usage: eval_e2e.sh PLIF_EVAL FIXTURE_FOLDER SCRATCH_FOLDER
source "$(dirname "$0")/eval_common.sh"
plif_eval=$1 fixture=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
cd "$work"
ckpt=$fixture/runs/per_neuron/checkpoint.h5
frames=$fixture/frames.h5

"$plif_eval" "$ckpt" "$frames" --per_step -o a.h5 --threads 1 -q >a.txt
"$plif_eval" "$ckpt" "$frames" --per_step -o b.h5 --threads 1 -q >b.txt
"$plif_eval" "$ckpt" "$frames" --per_step -o c.h5 --threads 1 -q --batch_size 5 >c.txt
cmp a.h5 b.h5 || fail "two evaluations wrote different files"
cmp a.txt b.txt || fail "two evaluations printed different reports"
cmp a.h5 c.h5 || fail "batch size 5 wrote another file than batch size 16"

# Layout (formats.md section 3).
layout=$(h5ls a.h5)
for row in "counts                   Dataset {22, 11}" "predicted                Dataset {22}" \
  "labels                   Dataset {22}" "source                   Dataset {22}" \
  "segment                  Dataset {22}" "confusion                Dataset {11, 11}" \
  "accuracy_by_step         Dataset {6}" "firing_rate              Dataset {6}" \
  "synops                   Dataset {6}"; do
  expect_in "$layout" "$row" "h5ls a.h5"
done
[ "$(attr a.h5 /format)" = plif-eval ] || fail "format attribute"
[ "$(attr a.h5 /split)" = test ] || fail "split attribute"
[ "$(attr a.h5 /checkpoint)" = "$ckpt" ] || fail "checkpoint attribute"
[ "$(values a.h5 /labels | tr '\n' ' ')" = "$(values "$frames" /test/labels | tr '\n' ' ')" ] ||
  fail "labels are not the test split's"

# Predicted, confusion and accuracy recomputed from counts and labels.
values a.h5 /counts >counts.txt
values a.h5 /labels >labels.txt
values a.h5 /predicted >predicted.txt
awk -v C=11 'NR == FNR { v[int((NR - 1) / C), (NR - 1) % C] = $1 + 0; next }
  { n = FNR - 1; best = 0
    for (c = 1; c < C; c++) if (v[n, c] > v[n, best]) best = c
    print best }' counts.txt labels.txt >argmax.txt
cmp -s argmax.txt predicted.txt || fail "predicted is not the lowest-index argmax of counts: $(paste argmax.txt predicted.txt | tr '\n' ' ')"
paste labels.txt predicted.txt | awk -v C=11 '{ m[$1 * C + $2]++ }
  END { for (i = 0; i < C * C; i++) print m[i] + 0 }' >confusion_expected.txt
values a.h5 /confusion >confusion.txt
cmp -s confusion_expected.txt confusion.txt || fail "confusion does not count the (label, predicted) pairs"
correct=$(paste labels.txt predicted.txt | awk '$1 == $2 { n++ } END { print n + 0 }')
accuracy=$(attr a.h5 /accuracy)
near "$accuracy" "$(awk -v c="$correct" 'BEGIN { printf "%.17g", c / 22 }')" 1e-15 ||
  fail "accuracy $accuracy is not $correct / 22"
[ "$correct" -gt 2 ] || fail "the fixture's network barely votes ($correct of 22 right): the checks above prove little"
[ "$(values a.h5 /accuracy_by_step | tail -1)" = "$accuracy" ] || fail "accuracy_by_step at t = T is not the accuracy"
[ "$(sort -u counts.txt | wc -l)" -gt 3 ] || fail "counts take too few values for a meaningful check"

# The table and the JSON report the file's numbers.
expect_in "$(cat a.txt)" "accuracy    $(printf '%.4f' "$accuracy") ($correct of 22)" "table"
expect_in "$(cat a.txt)" "accuracy when deciding on the votes of the first t of 6 steps" "table"
last_step=$(awk '/^steps used/ { on = 1; next } on && NF == 2 { v = $2 } on && NF != 2 { on = 0 } END { print v }' a.txt)
[ "$last_step" = "$(printf '%.4f' "$accuracy")" ] || fail "table: accuracy after 6 steps $last_step"
"$plif_eval" "$ckpt" "$frames" --json --per_step --threads 1 -q >a.json
expect_in "$(cat a.json)" "\"accuracy\": $accuracy," "json"
expect_in "$(cat a.json)" "\"correct\": $correct," "json"
expect_in "$(cat a.json)" "\"name\": \"hand_clapping\"" "json"
if command -v python3 >/dev/null; then
  python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["accuracy_by_step"][-1] == d["accuracy"]; assert len(d["confusion"]) == 11' a.json ||
    fail "a.json is not the expected JSON"
fi

# val: per class, in file order, the samples after the first ceil(0.5 n) of the train split.
"$plif_eval" "$ckpt" "$frames" --split val -o val.h5 --threads 1 -q >/dev/null
paste <(values "$frames" /train/labels) <(values "$frames" /train/source) <(values "$frames" /train/segment) |
  awk '{ row[NR] = $0; label[NR] = $1; n[$1]++ }
    END { for (r = 1; r <= NR; r++) { seen[label[r]]++; if (seen[label[r]] > int((n[label[r]] + 1) / 2)) print row[r] } }' \
  >val_expected.txt
paste <(values val.h5 /labels) <(values val.h5 /source) <(values val.h5 /segment) >val_rows.txt
[ "$(wc -l <val_rows.txt)" = 33 ] || fail "val has $(wc -l <val_rows.txt) samples, expected 33"
cmp -s val_expected.txt val_rows.txt || fail "val is not the training division: $(diff val_expected.txt val_rows.txt | head -5)"
"$plif_eval" "$ckpt" "$frames" --split all -o all.h5 --threads 1 -q >/dev/null
[ "$(values all.h5 /labels | wc -l)" = 88 ] || fail "all is not train + test"

# Must fail: exit code, one line naming the file(s), no output left behind.
must_fail 1 "checkpoint '$ckpt' does not fit frames '$fixture/frames_t4.h5': T 6 vs 4 (checkpoint vs frames)" \
  "$plif_eval" "$ckpt" "$fixture/frames_t4.h5" -o out.h5 -q
must_fail 1 "'$frames': is a plif-frames file, expected plif-checkpoint" "$plif_eval" "$frames" "$frames" -o out.h5 -q
must_fail 1 "'$ckpt': is a plif-checkpoint file, expected plif-frames" "$plif_eval" "$ckpt" "$ckpt" -o out.h5 -q
must_fail 1 "missing.h5" "$plif_eval" missing.h5 "$frames" -o out.h5 -q
must_fail 1 "cannot write 'no/such/folder/out.h5'" "$plif_eval" "$ckpt" "$frames" -o no/such/folder/out.h5 -q
must_fail 2 "--split must be test, train, val or all, got 'validation'" "$plif_eval" "$ckpt" "$frames" --split validation -o out.h5 -q
must_fail 2 "expected CHECKPOINT FRAMES" "$plif_eval" "$ckpt"
[ ! -e out.h5 ] || fail "output left behind"
! ls | grep -q 'tmp-' || fail "temporary file left behind"
echo "eval_e2e: ok"
