"""Markdown tables from the raw outputs bench/peers/run.sh keeps in RESULTS:
medians, and every peer's figure as a multiple of plifkit's.

    python report.py RESULTS
"""

import os
import statistics
import sys

PEERS = ("spikingjelly", "snntorch", "norse")
NAMES = {"plifkit": "plifkit", "spikingjelly": "SpikingJelly", "snntorch": "snnTorch",
         "norse": "Norse", "tonic": "Tonic"}


def lines(results, name):
    path = os.path.join(results, name)
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.split() for line in f if line.strip()]


def value(results, name, key):
    for words in lines(results, name):
        if words[0] == key:
            return words[1:]
    return None


def frames_table(results):
    print("| frames (decode + integrate + write) | seconds (median) | x plifkit |")
    print("|---|---:|---:|")
    base = None
    for tool in ("plifkit", "spikingjelly", "tonic"):
        times = [float(w[1]) for w in lines(results, f"frames_{tool}.txt") if w[0] == "seconds"]
        if not times:
            continue
        s = statistics.median(times)
        base = base or s
        print(f"| {NAMES[tool]} | {s:.2f} | {s / base:.1f}x |")
    print()
    for words in lines(results, "frames_compare.txt"):
        print("    " + " ".join(words))
    print()


def plifkit_train_runs(results, tau):
    """plifkit's (step, peak RSS) of every process of the interleaved run:
    train_plifkit_TAU_1.txt, _2, ... (before each peer and after the last)."""
    runs = []
    for name in sorted(os.listdir(results)):
        if name.startswith(f"train_plifkit_{tau}_") and name.endswith(".txt"):
            step, rss = value(results, name, "step_median_s"), value(results, name, "peak_rss_mib")
            if step is not None:
                runs.append((float(step[0]), float(rss[0])))
    return runs


def train_table(results):
    print("| training step, tau per | tool | step (median) | x plifkit | peak RSS | x plifkit |")
    print("|---|---|---:|---:|---:|---:|")
    for tau in ("neuron", "layer"):
        base = None
        runs = plifkit_train_runs(results, tau)
        if runs:
            base = (statistics.median(r[0] for r in runs), max(r[1] for r in runs))
            each = ", ".join(f"{r[0]:.2f}" for r in runs)
            print(f"| {tau} | plifkit ({len(runs)} processes: {each} s) | {base[0]:.2f} s | 1.0x "
                  f"| {base[1]:.0f} MiB | 1.00x |")
        else:
            print(f"| {tau} | plifkit | failed (see train_plifkit_{tau}_*.txt) | | | |")
        for tool in PEERS:
            name = f"train_{tool}_{tau}.txt"
            why = value(results, name, "unsupported")
            if why is not None:
                print(f"| {tau} | {NAMES[tool]} | cannot: {' '.join(why)} | | | |")
                continue
            step, rss = value(results, name, "step_median_s"), value(results, name, "peak_rss_mib")
            if not os.path.exists(os.path.join(results, name)):
                print(f"| {tau} | {NAMES[tool]} | not measured in this run | | | |")
                continue
            if step is None:
                print(f"| {tau} | {NAMES[tool]} | failed (see {name}) | | | |")
                continue
            step, rss = float(step[0]), float(rss[0])
            if base is None:
                print(f"| {tau} | {NAMES[tool]} | {step:.2f} s | | {rss:.0f} MiB | |")
                continue
            print(f"| {tau} | {NAMES[tool]} | {step:.2f} s | {step / base[0]:.1f}x "
                  f"| {rss:.0f} MiB | {rss / base[1]:.2f}x |")
    print()


def neuron_table(results):
    per_tool = {}
    for tool in ("plifkit",) + PEERS:
        per_tool[tool] = {int(w[1]): float(w[2]) for w in lines(results, f"neuron_{tool}.txt")
                          if w[0] == "neuron_fwd_bwd_s"}
    sizes = sorted(per_tool["plifkit"])
    print("| neuron layer fwd+bwd, B 16, T 20 | " + " | ".join(f"M = {m}" for m in sizes) + " |")
    print("|---|" + "---:|" * len(sizes))
    for tool, times in per_tool.items():
        cells = []
        for m in sizes:
            if m in times:
                ratio = "" if tool == "plifkit" else f" ({times[m] / per_tool['plifkit'][m]:.1f}x)"
                cells.append(f"{times[m]:.3f} s{ratio}")
            else:
                cells.append("–")
        print(f"| {NAMES[tool]} | " + " | ".join(cells) + " |")
    print()
    print("| fused kernel vs a copy of the same bytes (24 B per element) | "
          + " | ".join(f"M = {m}" for m in sizes) + " |")
    print("|---|" + "---:|" * len(sizes))
    bw = {int(w[1]): w for w in lines(results, "neuron_plifkit.txt") if w[0] == "bandwidth_gb_s"}
    print("| fused kernel, GB/s | " + " | ".join(bw[m][3] for m in sizes) + " |")
    print("| copy, GB/s | " + " | ".join(bw[m][5] for m in sizes) + " |")
    print("| fused / copy | " + " | ".join(bw[m][7] for m in sizes) + " |")
    print()


def main():
    results = sys.argv[1]
    print("```")
    with open(os.path.join(results, "versions.txt")) as f:
        print(f.read().rstrip())
    print("```")
    print()
    frames_table(results)
    train_table(results)
    neuron_table(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
