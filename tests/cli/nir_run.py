"""Runs a NIR graph on a plifkit frames file and compares its votes with
plif-eval's, sample by sample.

The interpreter is written from the NIR specification (nir 1.0: the node
equations of its documentation), not from plifkit's code: every node
advances one forward-Euler step of dt per time step, in float64.

  Input       the step's frame [C, H, W]
  Conv2d      cross-correlation (stride, padding, dilation, groups) + bias
  LIF         tau dv/dt = (v_leak - v) + r I: v += dt / tau * (v_leak - v + r I);
              z = v > v_threshold; where z, v = v_reset; output z
  SumPool2d   window sums; AvgPool2d: window means
  Threshold   x > threshold
  Flatten     start_dim..end_dim of the shape without the batch
  Linear      W x;  Affine: W x + b
  Output      collected; summed over the T steps

Usage: nir_run.py NET.nir FRAMES.h5 EVAL.h5 SPLIT [--votes] [--nir-read]
--nir-read first loads the graph with the `nir` package's own reader, type
checks on (nir.read), and fails when it refuses it.
Prints a summary, then one line per LIF layer and per sample that differs;
exits 1 when the predictions or the vote counts of any sample differ, when
a LIF layer's firing rate (spikes per neuron per step) differs from
plif-eval's `firing_rate` (the same spike total), or, with --votes, when no
voting neuron ever spiked (the votes then say nothing).
"""
import sys

import h5py
import numpy as np


def read_graph(path):
    with h5py.File(path, "r") as f:
        root = f["node"]
        assert root["type"][()] == b"NIRGraph", "not a NIRGraph"
        nodes = {}
        for name, group in root["nodes"].items():
            node = {k: v[()] for k, v in group.items()}
            node["type"] = node["type"].decode()
            nodes[name] = node
        edges = [(a.decode(), b.decode()) for a, b in root["edges"][()]]
        metadata = {k: v[()] for k, v in root["metadata"].items()} if "metadata" in root else {}
    return nodes, edges, metadata


def order(nodes, edges):
    """Topological order from the Input nodes; each node's sources."""
    sources = {name: [] for name in nodes}
    for a, b in edges:
        sources[b].append(a)
    done, result = set(), []
    while len(result) < len(nodes):
        ready = [n for n in nodes if n not in done and all(s in done for s in sources[n])]
        if not ready:
            raise ValueError("the graph has a cycle")
        for n in sorted(ready):
            done.add(n)
            result.append(n)
    return result, sources


def pair(value):
    value = np.atleast_1d(np.asarray(value, dtype=np.int64))
    return (int(value[0]), int(value[-1]))


def conv2d(x, node):
    w = node["weight"].astype(np.float64)
    sh, sw = pair(node["stride"])
    ph, pw = pair(node["padding"])
    dh, dw = pair(node["dilation"])
    groups = int(node["groups"])
    c_in, h, wd = x.shape
    out_c, in_per_group, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (ph, ph), (pw, pw)))
    oh = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    ow = (wd + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    y = np.zeros((out_c, oh, ow))
    out_per_group = out_c // groups
    for g in range(groups):
        xs = xp[g * in_per_group:(g + 1) * in_per_group]
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, i * dh:i * dh + sh * (oh - 1) + 1:sh, j * dw:j * dw + sw * (ow - 1) + 1:sw]
                wk = w[g * out_per_group:(g + 1) * out_per_group, :, i, j]
                y[g * out_per_group:(g + 1) * out_per_group] += np.tensordot(wk, patch, axes=(1, 0))
    if "bias" in node:
        y += node["bias"].astype(np.float64)[:, None, None]
    return y


def pool(x, node, reduce):
    kh, kw = pair(node["kernel_size"])
    sh, sw = pair(node["stride"])
    ph, pw = pair(node["padding"])
    xp = np.pad(x, ((0, 0), (ph, ph), (pw, pw)))
    oh = (xp.shape[1] - kh) // sh + 1
    ow = (xp.shape[2] - kw) // sw + 1
    windows = [xp[:, i:i + sh * (oh - 1) + 1:sh, j:j + sw * (ow - 1) + 1:sw] for i in range(kh) for j in range(kw)]
    total = np.sum(windows, axis=0)
    return total / (kh * kw) if reduce == "mean" else total


class Interpreter:
    def __init__(self, nodes, edges, dt):
        self.nodes, self.dt = nodes, dt
        self.order, self.sources = order(nodes, edges)

        # The neuron layers: a LIF right after a SumPool2d is max pooling's
        # spike (plif-export --pool-spike lif), not a layer of plif-eval's.
        self.lif = [n for n in self.order if nodes[n]["type"] == "LIF" and
                    not any(nodes[s]["type"] == "SumPool2d" for s in self.sources[n])]
        self.spikes = {n: 0.0 for n in self.lif}

    def reset(self):
        self.v = {}

    def step(self, frame):
        values, outputs = {}, []
        for name in self.order:
            node = self.nodes[name]
            kind = node["type"]
            if kind == "Input":
                values[name] = frame
                continue
            x = sum(values[s] for s in self.sources[name])
            if kind == "Conv2d":
                y = conv2d(x, node)
            elif kind == "LIF":
                v = self.v.get(name, np.zeros_like(node["tau"]))
                v = v + self.dt / node["tau"] * (node["v_leak"] - v + node["r"] * x)
                z = v > node["v_threshold"]
                self.v[name] = np.where(z, node["v_reset"], v)
                y = z.astype(np.float64)
                if name in self.spikes:
                    self.spikes[name] += float(y.sum())
            elif kind == "SumPool2d":
                y = pool(x, node, "sum")
            elif kind == "AvgPool2d":
                y = pool(x, node, "mean")
            elif kind == "Threshold":
                y = (x > node["threshold"]).astype(np.float64)
            elif kind == "Flatten":
                start, end = int(node["start_dim"]), int(node["end_dim"])
                shape = list(x.shape)
                end = end % len(shape)
                y = x.reshape(shape[:start] + [int(np.prod(shape[start:end + 1]))] + shape[end + 1:])
            elif kind == "Linear":
                y = node["weight"].astype(np.float64) @ x
            elif kind == "Affine":
                y = node["weight"].astype(np.float64) @ x + node["bias"]
            elif kind == "Output":
                outputs.append(x)
                y = x
            else:
                raise ValueError(f"node {name}: type {kind} is not interpreted")
            values[name] = y
        return outputs[0]


def main():
    net, frames_path, eval_path, split = sys.argv[1:5]
    require_votes = "--votes" in sys.argv[5:]
    if "--nir-read" in sys.argv[5:]:
        import nir
        nir.read(net, type_check=True)
    nodes, edges, metadata = read_graph(net)
    machine = Interpreter(nodes, edges, float(metadata["dt"]))
    with h5py.File(frames_path, "r") as f, h5py.File(eval_path, "r") as e:
        images = f.attrs.get("input_kind", b"events")
        images = (images.decode() if isinstance(images, bytes) else images) == "images"
        data = f[split]["images" if images else "frames"]
        counts = e["counts"][()].astype(np.float64)
        predicted = e["predicted"][()]
        steps = int(metadata["T"]) if images else data.shape[1]
        mean = metadata.get("input_mean")
        std = metadata.get("input_std")
        differ, lines = 0, []
        for n in range(data.shape[0]):
            machine.reset()
            votes = 0
            for t in range(steps):
                if images:
                    x = data[n].astype(np.float64) / 255.0
                    x = (x - np.asarray(mean)[:, None, None]) / np.asarray(std)[:, None, None]
                else:
                    x = data[n, t].astype(np.float64)
                votes = votes + machine.step(x)
            expected = np.rint(counts[n] * 10)
            guess = int(np.argmax(votes))
            if guess != predicted[n] or not np.array_equal(votes, expected):
                differ += 1
                lines.append(f"sample {n}: NIR votes {votes.astype(int).tolist()} (class {guess}), "
                      f"plif-eval {expected.astype(int).tolist()} (class {predicted[n]})")
        print(f"{data.shape[0] - differ} of {data.shape[0]} samples: the same votes and class as plif-eval "
              f"({int(np.rint(counts.sum() * 10))} votes in all)")
        print("\n".join(lines))
        rates = e["firing_rate"][()]
        for i, name in enumerate(machine.lif):
            rate = machine.spikes[name] / (nodes[name]["tau"].size * steps * data.shape[0])
            same = abs(rate - rates[i]) <= 1e-9 * max(1.0, abs(rates[i]))
            differ += 0 if same else 1
            print(f"{name}: firing rate {rate:.6f}, plif-eval {rates[i]:.6f}{'' if same else '  DIFFERS'}")
        if require_votes and counts.sum() == 0:
            print("no voting neuron spiked: the comparison says nothing")
            differ += 1
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
