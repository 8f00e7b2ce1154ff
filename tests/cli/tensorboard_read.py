"""Reads a run folder with TensorBoard's own reader (EventAccumulator, which
checks every record's CRCs) and prints its scalars as tb-scalars does
(tag,step,value sorted by tag and step) on stdout, and per histogram tag the
steps and total counts on stderr. Exits 1 when TensorBoard finds no scalars
or no histograms."""
import sys

from tensorboard.backend.event_processing import event_accumulator

run = event_accumulator.EventAccumulator(
    sys.argv[1], size_guidance={event_accumulator.SCALARS: 0, event_accumulator.HISTOGRAMS: 0})
run.Reload()
tags = run.Tags()
rows = []
for tag in tags["scalars"]:
    rows.extend((tag, e.step, e.value) for e in run.Scalars(tag))
rows.sort(key=lambda r: (r[0], r[1]))
print("tag,step,value")
for tag, step, value in rows:
    print(f"{tag},{step},{value:.9g}")
for tag in sorted(tags["histograms"]):
    events = run.Histograms(tag)
    print(tag, " ".join(f"{e.step}:{int(e.histogram_value.num)}" for e in events), file=sys.stderr)
sys.exit(0 if rows and tags["histograms"] else 1)
