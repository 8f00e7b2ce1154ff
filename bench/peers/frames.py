"""A DVS128 Gesture folder to T frames split by event number, the whole path
a user of a peer library runs (decode the AEDAT 3.1 recordings, cut the
label windows, integrate, write the frames to disk), and a comparison of the
frames' per-frame event counts with plifkit's aedat2frames output.

    python frames.py plifkit DIR WORK --aedat2frames PATH [--T 20 --jobs 2]
    python frames.py spikingjelly DIR WORK [--T 20 --jobs 2]
    python frames.py tonic DIR WORK [--T 20 --jobs 2]
    python frames.py compare DIR WORK

plifkit: the aedat2frames command, writing WORK/plifkit/frames.h5.

spikingjelly: what `DVS128Gesture(root, data_type='frame', frames_number=T,
split_by='number')` does on first use: split_aedat_files_to_np (one
compressed .npz of events per label row) then frame integration of every
events file into a compressed .npz of frames, each stage on SpikingJelly's
thread pool (--jobs threads).

tonic: Tonic reads no AEDAT 3.1 (its DVSGesture class downloads a
preprocessed copy), so the recordings are decoded here with numpy
(vectorised, no Python loop over packets); each label window then goes
through `tonic.transforms.ToFrame(n_event_bins=T)` and is written as a
compressed .npz, recordings spread over --jobs processes.

Prints `seconds S` (decode + integrate + write, wall clock) for a tool, and
for compare one line per tool on how its per-frame event counts agree with
plifkit's.
"""

import argparse
import concurrent.futures as cf
import os
import shutil
import sys
import time

import numpy as np

H = W = 128
CLASSES = 11


def recordings(folder):
    """(stem, aedat path, labels path) of the train and test lists, in order."""
    out = []
    for listing in ("trials_to_train.txt", "trials_to_test.txt"):
        with open(os.path.join(folder, listing)) as f:
            for line in f:
                name = line.strip()
                if name:
                    stem = name[: -len(".aedat")]
                    out.append((stem, os.path.join(folder, name),
                                os.path.join(folder, stem + "_labels.csv")))
    return out


def label_rows(path):
    rows = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.int64, ndmin=2)
    return [(int(c), int(t0), int(t1)) for c, t0, t1 in rows]


def decode_aedat31(path):
    """Polarity events of an AEDAT 3.1 file as numpy arrays t, x, y, p.

    Packets are found by walking their 28-byte headers (one Python step per
    packet, thousands of events each); the events are decoded vectorised."""
    with open(path, "rb") as f:
        data = f.read()
    pos = data.index(b"#!END-HEADER\r\n") + len(b"#!END-HEADER\r\n")
    words, stamps, overflow = [], [], []
    raw = memoryview(data)
    while pos + 28 <= len(data):
        head = np.frombuffer(raw[pos:pos + 28], dtype="<i4")
        etype = int(np.frombuffer(raw[pos:pos + 2], dtype="<i2")[0])
        size, capacity, number = int(head[1]), int(head[5]), int(head[6])
        body = pos + 28
        if etype == 1 and size == 8:
            ev = np.frombuffer(raw[body:body + number * 8], dtype="<u4").reshape(-1, 2)
            words.append(ev[:, 0])
            stamps.append(ev[:, 1])
            overflow.append(np.full(len(ev), int(head[3]), dtype=np.uint64))
        pos = body + capacity * size
    word = np.concatenate(words)
    valid = (word & 1) == 1
    t = (np.concatenate(overflow) << np.uint64(31)) | np.concatenate(stamps).astype(np.uint64)
    word, t = word[valid], t[valid]
    return t, ((word >> 17) & 0x7FFF).astype(np.int16), ((word >> 2) & 0x7FFF).astype(np.int16), \
        ((word >> 1) & 1).astype(np.int8)


def tonic_recording(job):
    import tonic.transforms

    stem, aedat, labels, work, T = job
    t, x, y, p = decode_aedat31(aedat)
    to_frame = tonic.transforms.ToFrame(sensor_size=(W, H, 2), n_event_bins=T)
    dtype = np.dtype([("x", np.int16), ("y", np.int16), ("t", np.int64), ("p", np.int8)])
    for row, (label, t0, t1) in enumerate(label_rows(labels)):
        lo, hi = np.searchsorted(t, t0), np.searchsorted(t, t1)
        events = np.empty(hi - lo, dtype=dtype)
        events["x"], events["y"], events["t"], events["p"] = x[lo:hi], y[lo:hi], t[lo:hi], p[lo:hi]
        frames = to_frame(events)  # [T, 2, H, W]
        np.savez_compressed(os.path.join(work, f"{stem}_{row}.npz"), frames=frames, label=label)


def run_tonic(args):
    jobs = [(stem, a, l, args.work, args.T) for stem, a, l in recordings(args.dir)]
    with cf.ProcessPoolExecutor(args.jobs) as pool:
        list(pool.map(tonic_recording, jobs))


def run_spikingjelly(args):
    from pathlib import Path

    from spikingjelly.datasets import base, dvs128_gesture, utils as sjutils

    events_dir = Path(args.work) / "events_np"
    frames_dir = Path(args.work) / "frames"
    for label in range(CLASSES):
        (events_dir / str(label)).mkdir(parents=True)
        (frames_dir / str(label)).mkdir(parents=True)
    recs = recordings(args.dir)
    # Stage 1 as DVS128Gesture does it: every label row of every recording to
    # a compressed events .npz, <label>/<stem>_<k>.npz for the k-th row of
    # that label in the recording.
    with cf.ThreadPoolExecutor(args.jobs) as pool:
        list(pool.map(lambda r: dvs128_gesture._split_aedat_files_to_np(
            r[0], Path(r[1]), Path(r[2]), events_dir), recs))
    # Stage 2 as its FrameFixedNumberBuilder: every events file to frames.
    tasks = [(events_dir / d / f, frames_dir / d) for d in os.listdir(events_dir)
             for f in os.listdir(events_dir / d)]
    with cf.ThreadPoolExecutor(args.jobs) as pool:
        list(pool.map(lambda t: sjutils.integrate_events_file_to_frames_file_by_fixed_frames_number(
            base._load_events, t[0], t[1], "number", args.T, H, W), tasks))


def run_plifkit(args):
    import subprocess

    subprocess.run([args.aedat2frames, "-q", "--jobs", str(args.jobs), "--T", str(args.T),
                    args.dir, "-o", os.path.join(args.work, "frames.h5")],
                   check=True, stdout=subprocess.DEVNULL)


RUNNERS = {"plifkit": run_plifkit, "spikingjelly": run_spikingjelly, "tonic": run_tonic}


def per_frame_counts(frames):
    return np.asarray(frames).reshape(frames.shape[0], -1).sum(axis=1).astype(np.int64)


def compare(args):
    import h5py

    want = {}
    with h5py.File(os.path.join(args.work, "plifkit", "frames.h5"), "r") as f:
        for split in ("train", "test"):
            g = f[split]
            source = [s.decode() if isinstance(s, bytes) else s for s in g["source"][:]]
            segment = g["segment"][:]
            frames = g["frames"]
            for i in range(frames.shape[0]):
                want[(source[i], int(segment[i]))] = per_frame_counts(frames[i])
    for tool in ("spikingjelly", "tonic"):
        folder = os.path.join(args.work, tool)
        if not os.path.isdir(folder):
            continue
        got = found_samples(tool, folder, args.dir)
        same = same_but_last = same_total = 0
        worst = 0
        for key, counts in got.items():
            ref = want[key]
            same += int(np.array_equal(counts, ref))
            same_but_last += int(np.array_equal(counts[:-1], ref[:-1]))
            same_total += int(counts.sum() == ref.sum())
            worst = max(worst, int(np.abs(counts - ref).max()))
        print(f"compare {tool}: samples {len(got)} of {len(want)}, all T frames' event counts "
              f"equal in {same}, the first T-1 frames' in {same_but_last}, the sample's total "
              f"in {same_total}; largest difference in one frame {worst} events")


def found_samples(tool, folder, dataset):
    """(stem, row) -> per-frame event counts of a tool's output."""
    out = {}
    if tool == "tonic":
        for name in os.listdir(folder):
            stem, row = name[: -len(".npz")].rsplit("_", 1)
            out[(stem, int(row))] = per_frame_counts(np.load(os.path.join(folder, name))["frames"])
        return out
    # SpikingJelly names a sample <label>/<stem>_<k>.npz: the k-th row of
    # that label in the recording's labels file.
    rows_of = {stem: label_rows(labels) for stem, _, labels in recordings(dataset)}
    frames_dir = os.path.join(folder, "frames")
    for label in os.listdir(frames_dir):
        for name in os.listdir(os.path.join(frames_dir, label)):
            stem, k = name[: -len(".npz")].rsplit("_", 1)
            rows = [i for i, r in enumerate(rows_of[stem]) if r[0] == int(label) + 1]
            frames = np.load(os.path.join(frames_dir, label, name))["frames"]
            out[(stem, rows[int(k)])] = per_frame_counts(frames)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("tool", choices=sorted(RUNNERS) + ["compare"])
    ap.add_argument("dir")
    ap.add_argument("work")
    ap.add_argument("--aedat2frames", help="the aedat2frames binary (tool plifkit)")
    ap.add_argument("--T", type=int, default=20)
    ap.add_argument("--jobs", type=int, default=os.cpu_count())
    args = ap.parse_args()
    if args.tool == "compare":
        compare(args)
        return 0
    # Libraries are imported before the clock starts (forked workers inherit them).
    if args.tool == "tonic":
        import tonic.transforms  # noqa: F401
    elif args.tool == "spikingjelly":
        import spikingjelly.datasets.dvs128_gesture  # noqa: F401
    args.work = os.path.join(args.work, args.tool)
    shutil.rmtree(args.work, ignore_errors=True)
    os.makedirs(args.work)
    t0 = time.perf_counter()
    RUNNERS[args.tool](args)
    print(f"seconds {time.perf_counter() - t0:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
