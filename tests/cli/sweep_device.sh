#!/usr/bin/env bash
# A sweep task (pipelines/run_task.sh) runs the Makefile's recipe and passes
# DEVICE to every stage: plif-train and both plif-eval calls. The tools are
# stand-ins that record their arguments, so no GPU is needed; the registry's
# row (aedat2frames --list-datasets) is DVS128 Gesture's, whose
# number_layer the run takes.
# Usage: sweep_device.sh REPO_ROOT
set -euo pipefail
root=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

mkdir bin
cat > bin/stub <<'STUB'
#!/usr/bin/env bash
case " $* " in
  *" --list-datasets "*)
    printf 'dataset\ttitle\tinput\tstorage\tdecoder\tchannels\theight\twidth\tclasses\tT\tnumber_layer\tclass_names\n'
    printf 'DVS128Gesture\tDVS128 Gesture\tevents\trecordings\taedat31\t2\t128\t128\t11\t20\t5\ta,b\n'
    exit 0 ;;
esac
echo "$(basename "$0") $*" >> "$STUB_LOG"
previous=
for arg in "$@"; do
  [ "$previous" = -o ] && : > "$arg"
  previous=$arg
done
STUB
chmod +x bin/stub
for tool in dvs-synth aedat2frames plif-train plif-eval tau-stats study-table plif-export; do
  ln -s stub "bin/$tool"
done
: > frames.h5
export STUB_LOG=$work/calls.log BIN=$work/bin DEVICE=cuda:3 REG_LAMBDAS=0.1 SEEDS=7

"$root/pipelines/run_task.sh" 0 frames.h5 out > task.log

cat calls.log
[ "$(grep -c '^plif-train .*-device cuda:3' calls.log)" -eq 1 ] || { echo "FAIL: plif-train without the device"; exit 1; }
[ "$(grep -c '^plif-eval .*--device cuda:3' calls.log)" -eq 2 ] || { echo "FAIL: plif-eval without the device"; exit 1; }
[ "$(wc -l < calls.log)" -eq 3 ] || { echo "FAIL: expected 3 tool calls"; exit 1; }
grep -q -- '-seed 7 ' calls.log || { echo "FAIL: the seed of the run's name was not passed"; exit 1; }
grep -q -- '-reg_lambda 0.1 ' calls.log || { echo "FAIL: the grid's flags were not passed"; exit 1; }
grep -q -- '--data frames.h5 ' calls.log || { echo "FAIL: the frames file was not used as given"; exit 1; }
grep -q -- '-number_layer 5 ' calls.log || { echo "FAIL: the registry's number_layer was not passed"; exit 1; }
! grep -q -- ' -T ' calls.log || { echo "FAIL: T= must leave T to the frames file"; exit 1; }
echo PASS
