#!/usr/bin/env bash
# dvs-synth -> aedat2frames -> read back: shapes, attributes, labels and order
# against the CSV files, frame counts against event_count, identical bytes for
# --jobs 1 and 2, the cache, and the seed's option spellings.
source "$(dirname "$0")/data_common.sh"

"$synth" data --users 3 --lightings 2 --events_per_gesture 300 --seed 11 --awkward >synth.out
expect_in "$(cat synth.out)" "wrote 6 recordings (4 train, 2 test)" "dvs-synth summary"

"$a2f" data -o one.h5 --T 20 --split_by number --normalization None --jobs 1 -q >one.out
"$a2f" data -o two.h5 --T 20 --split_by number --normalization None --jobs 2 -q >two.out
cmp one.h5 two.h5 || fail "--jobs 1 and --jobs 2 outputs differ"
expect_in "$(cat one.out)" "samples     72 (train 48, test 24)" "summary"

# Layout, read by HDF5's own tools.
ls_out=$(h5ls -rv one.h5)
for split in train test; do
  n=$([ $split = train ] && echo 48 || echo 24)
  block=$(awk -v d="/$split/frames " 'index($0, d) == 1 {on = 1} on && /^\/[a-z]/ && index($0, d) != 1 {on = 0} on' <<<"$ls_out")
  expect_in "$block" "Dataset {$n/$n, 20/20, 2/2, 128/128, 128/128}" "/$split/frames shape"
  expect_in "$block" "Chunks:    {1, 20, 2, 128, 128}" "/$split/frames chunks"
  expect_in "$block" "shuffle" "/$split/frames filters"
  expect_in "$block" "deflate" "/$split/frames filters"
  expect_in "$block" "native unsigned short" "/$split/frames type"
  for d in labels source segment t_start t_end event_count; do
    expect_in "$ls_out" "/$split/$d" "/$split/$d exists"
  done
done
attr() { h5dump -a "$1" one.h5 | sed -n '/DATA {/,/}/p' | sed '1d;$d' | sed 's/^ *([0-9]*): *//'; }
[ "$(attr format)" = '"plif-frames"' ] || fail "format: $(attr format)"
[ "$(attr format_version)" = 1 ] || fail "format_version"
[ "$(attr dataset)" = '"DVS128Gesture"' ] || fail "dataset"
[ "$(attr T)" = 20 ] || fail "T"
[ "$(attr split_by)" = '"number"' ] || fail "split_by"
[ "$(attr normalization)" = '"none"' ] || fail "normalization: $(attr normalization)"
[ "$(attr height)" = 128 ] && [ "$(attr width)" = 128 ] || fail "height/width"
[ "$(attr class_num)" = 11 ] || fail "class_num"
[ "$(attr source_dir)" = '"data"' ] || fail "source_dir"
names=$(attr class_names | tr -d ' \n')
[ "$names" = '"hand_clapping","right_hand_wave","left_hand_wave","right_arm_clockwise","right_arm_counter_clockwise","left_arm_clockwise","left_arm_counter_clockwise","arm_roll","air_drums","air_guitar","other_gestures"' ] ||
  fail "class_names: $names"

# Samples: every CSV row of every listed recording, in stem then row order.
expected() {
  for split in train test; do
    tr -d '\r' <"data/trials_to_$split.txt" | grep -v '^ *$' | sed 's/\.aedat$//' | LC_ALL=C sort |
      while read -r stem; do
        awk -F, -v part="$split" -v stem="$stem" \
          'NR > 1 && NF == 3 {print part, stem, NR - 2, $1 - 1, $2, $3}' "data/${stem}_labels.csv"
      done
  done
}
"$check" one.h5 >samples.txt
diff <(expected) <(cut -d' ' -f1-6 samples.txt) || fail "samples differ from the labels files"
awk '$7 != $8 {print "sample", NR, "frames sum", $8, "!= event_count", $7; bad = 1} END {exit bad}' \
  samples.txt || fail "frame counts do not add up to event_count"
awk '$7 == 0 {z++} END {exit z > 0}' samples.txt || fail "a gesture window without events"
# The summary's class table: samples per class and split, as the CSVs say.
table=$(awk '/^  class / {on = 1; next} /^  warnings/ {on = 0} on {print $1, $2, $3}' one.out)
from_csv=$(awk '{n[$4, $1]++} END {
  split("hand_clapping right_hand_wave left_hand_wave right_arm_clockwise right_arm_counter_clockwise left_arm_clockwise left_arm_counter_clockwise arm_roll air_drums air_guitar other_gestures", name, " ")
  for (c = 0; c < 11; c++) print name[c + 1], n[c, "train"] + 0, n[c, "test"] + 0}' <(expected))
[ "$table" = "$from_csv" ] || fail "class table differs from the CSVs: $table"

# Cache: same inputs and parameters -> nothing done, file untouched.
before=$(stat -c %Y.%s one.h5)
sleep 1
again=$("$a2f" data -o one.h5 --T 20 --split_by number --normalization None)
expect_in "$again" "'one.h5' is up to date (48 train + 24 test samples" "cached run"
[ "$(stat -c %Y.%s one.h5)" = "$before" ] || fail "cached run rewrote the output"
forced=$("$a2f" data -o one.h5 --T 20 --force -q)
expect_in "$forced" "wrote 'one.h5'" "--force"
[ "$(stat -c %Y.%s one.h5)" != "$before" ] || fail "--force did not rewrite"
cmp one.h5 two.h5 || fail "rebuilt output differs"
changed=$("$a2f" data -o one.h5 --T 10 -q)
expect_in "$changed" "wrote 'one.h5'" "new parameters rebuild"

# The seed's spellings: single dashes, "None", --T=.
"$a2f" data -o seed.h5 -T 20 -split_by number -normalization None -jobs 2 -q >/dev/null
cmp seed.h5 two.h5 || fail "seed spellings give a different file"
"$a2f" data -o eq.h5 --T=20 -q >/dev/null
cmp eq.h5 two.h5 || fail "--T=20 gives a different file"

# A float normalization is stored as float32.
"$a2f" data -o max.h5 --T 4 --split_by time --normalization max -q >/dev/null
expect_in "$(h5ls -v max.h5/train/frames)" "native float" "max frames type"
"$check" max.h5 >/dev/null || fail "max.h5 does not read back"
ls | grep -q 'tmp-' && fail "temporary files left: $(ls)"
echo "data_e2e: ok"
