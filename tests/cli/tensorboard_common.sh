# Sourced by the TensorBoard tests: the scalars of metrics.csv under the tags
# plif-train gives them in its event files (tensorboard/run_log.hpp).

# expected_scalars METRICS_CSV STEPS_PER_EPOCH PER_NEURON(yes|no) LEARNABLE(yes|no):
# "tag,step,value" lines of every epoch scalar the run's event files must hold.
expected_scalars() {
  awk -F, -v spe="$2" -v per_neuron="$3" -v learnable="$4" '
    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
    {
      e = $col["epoch"]
      print "test_accuracy," e "," $col["test_accuracy"]
      print "val_accuracy," e "," $col["val_accuracy"]
      print "plifkit/learning_rate," e "," $col["learning_rate"]
      print "plifkit/epoch_seconds," e "," $col["seconds"]
      print "plifkit/epoch_train_loss," e "," $col["train_loss"]
      print "plifkit/epoch_train_accuracy," e "," $col["train_accuracy"]
      for (l = 0; ("tau_mean_" l) in col; l++) {
        print "plifkit/tau_mean" l "," e "," $col["tau_mean_" l]
        print "plifkit/tau_std" l "," e "," $col["tau_std_" l]
        if (learnable == "yes") print "w" l "," (e + 1) * spe "," $col["w_mean_" l]
        if (per_neuron == "yes") print "w_std" l "," (e + 1) * spe "," $col["w_std_" l]
      }
    }' "$1" | sort
}

# same_values EXPECTED ACTUAL [SKIP_TAG]: both "tag,step,value" lists (sorted)
# name the same (tag, step) pairs and their values agree to the 6 significant
# digits of metrics.csv; SKIP_TAG's values are not compared (wall-clock).
same_values() {
  join -t, -j1 <(awk -F, '{ print $1 "@" $2 "," $3 }' "$1" | sort) \
               <(awk -F, '{ print $1 "@" $2 "," $3 }' "$2" | sort) >joined.txt
  [ "$(wc -l <joined.txt)" = "$(wc -l <"$1")" ] && [ "$(wc -l <"$1")" = "$(wc -l <"$2")" ] ||
    fail "other (tag, step) pairs: $(diff <(cut -d, -f1,2 "$1") <(cut -d, -f1,2 "$2") | head -5)"
  awk -F, -v skip="${3:-}@" '
    index($1, skip) == 1 { next }
    { d = $2 - $3; if (d < 0) d = -d; m = $2 < 0 ? -$2 : $2
      if (d > 1e-5 * m + 1e-9) { print "value differs: " $0; bad = 1 } }
    END { exit bad }' joined.txt || fail "values differ"
}

# one_value_each CSV: no (tag, step) appears twice in tb-scalars output.
one_value_each() {
  local twice
  twice=$(tail -n +2 "$1" | cut -d, -f1,2 | sort | uniq -d | head -5)
  [ -z "$twice" ] || fail "(tag, step) logged more than once: $twice"
}
