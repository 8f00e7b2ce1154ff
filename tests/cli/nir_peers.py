"""plif-export's graphs in peers' NIR importers, and a peer's export in
plif-import, checked against plif-eval sample by sample.

  run FRAMES.h5 SPLIT PEER:NET.nir:EVAL.h5 [PEER:NET.nir:EVAL.h5 ...]
      Loads each NET.nir with PEER's importer (norse: norse.torch.from_nir;
      snntorch: snntorch.import_nir.import_from_nir), runs it on every
      sample of SPLIT, one step per frame, and compares the summed output
      with plif-eval's votes and class (EVAL.h5). For the first sample it
      also compares every LIF layer's membrane after each step with the NIR
      interpreter written from the specification (nir_run.py, float64):
      equal within 1e-5 (absolute, for |v| <= 1; relative above).
  snntorch-export SHAPES.nir FRAMES.h5 SPLIT OUT.nir VOTES.npy
      Builds, in snnTorch, a network of plifkit's shape (the conv / linear
      shapes of SHAPES.nir, average pooling, Leaky neurons reset to zero with
      a beta per channel after a convolution and per neuron after a linear
      layer), with random weights (seed 0), exports it with
      snntorch.export_nir.export_to_nir to OUT.nir, runs it itself on SPLIT
      and saves its per-sample vote counts (VOTES.npy).
  compare-votes VOTES.npy EVAL.h5
      The votes a peer computed against plif-eval's of the imported graph.

How the peers read NIR (what the tests found, nir 1.0.8, norse 1.1.0,
snntorch 1.0.0, nirtorch 2.6):
  - neither importer takes a Threshold node: plif-export --pool-spike lif
    writes max pooling's spike as a LIF that thresholds (tau = dt);
  - norse maps no AvgPool2d: only max-pooling networks run in Norse;
  - snntorch ignores the graph's dt and assumes 1e-4 s (export with --dt
    0.0001), adds the input unscaled and divides each layer's threshold by
    dt / tau instead, with one value per layer (np.unique(...)[0]): a tau
    per neuron cannot be represented, so only per-layer tau and LIF run;
  - snntorch's export writes r = tau / dt (not 1) and tau, r as scalars;
    plif-import broadcasts them and folds r into the weights.
Exit 1 with the differing samples listed when anything differs.
"""
import os
import sys
import warnings

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nir_run import Interpreter, order, read_graph  # noqa: E402

warnings.simplefilter("ignore")
# PyTorch, nir and the peers load where a command needs them (compare-votes
# needs none): each import of PyTorch costs seconds.
torch = nir = None


def load_torch():
    global torch, nir
    import nir as nir_module
    import torch as torch_module
    torch, nir = torch_module, nir_module
    torch.set_num_threads(1)


def frames_of(path, split):
    with h5py.File(path, "r") as f:
        return f[split]["frames"][()].astype(np.float32)


def load(peer, graph):
    if peer == "norse":
        import norse.torch
        return norse.torch.from_nir(graph, dt=float(graph.metadata["dt"]))
    from snntorch.import_nir import import_from_nir
    return import_from_nir(graph)


class PeerRun:
    """One sample at a time through a peer's module; the membrane of each LIF
    node in NIR's units after a step."""

    def __init__(self, peer, module, lif_names):
        self.peer, self.module, self.lif_names = peer, module, lif_names

    def reset(self):
        self.state = None
        if self.peer == "snntorch":
            for name in self.lif_names:
                self.module.get_submodule(name).reset_mem()

    def step(self, frame):
        x = torch.from_numpy(frame)
        with torch.no_grad():
            if self.peer == "norse":
                y, self.state = self.module(x, self.state)
            else:
                y, _ = self.module(x)
        return y.numpy().astype(np.float64)

    def membrane(self, name):
        if self.peer == "norse":
            return self.state.state[name][0].v.detach().numpy().astype(np.float64)
        # snnTorch keeps mem = v / (dt / tau): its input is not scaled by dt / tau.
        leaky = self.module.get_submodule(name)
        return (leaky.mem * (1 - leaky.beta)).detach().numpy().astype(np.float64)


def run(frames_path, split, *jobs):
    load_torch()
    status = 0
    for job in jobs:
        peer, net, eval_path = job.split(":")
        status |= run_one(peer, net, frames_path, eval_path, split)
    return status


def run_one(peer, net, frames_path, eval_path, split):
    graph = nir.read(net)
    nodes, edges, metadata = read_graph(net)
    lif_names = [n for n in nodes if nodes[n]["type"] == "LIF"]
    machine = PeerRun(peer, load(peer, graph), lif_names)
    spec = Interpreter(nodes, edges, float(metadata["dt"]))
    data = frames_of(frames_path, split)
    with h5py.File(eval_path, "r") as e:
        counts, predicted = e["counts"][()], e["predicted"][()]
    bad, worst = [], 0.0
    for n in range(data.shape[0]):
        machine.reset()
        spec.reset()
        votes = 0
        for t in range(data.shape[1]):
            votes = votes + machine.step(data[n, t])
            if n == 0:
                spec.step(data[n, t].astype(np.float64))
                for name in lif_names:
                    v, ref = machine.membrane(name), spec.v[name]
                    worst = max(worst, float(np.max(np.abs(v - ref) / np.maximum(1.0, np.abs(ref)))))
        expected = np.rint(counts[n] * 10)
        if int(np.argmax(votes)) != predicted[n] or not np.array_equal(votes, expected):
            bad.append(f"sample {n}: {peer} votes {votes.astype(int).tolist()}, plif-eval {expected.astype(int).tolist()}")
    print(f"{peer}, {os.path.basename(net)}: {data.shape[0] - len(bad)} of {data.shape[0]} samples with "
          f"plif-eval's votes and class ({int(np.rint(counts.sum() * 10))} votes); membranes of sample 0 "
          f"within {worst:.1e} of the NIR specification's")
    if worst > 1e-5:
        bad.append(f"the membranes differ from the specification's by {worst:.2e} (> 1e-5)")
    print("\n".join(bad))
    return 1 if bad else 0


def snntorch_export(shapes_path, frames_path, split, out, votes_path):
    load_torch()
    import snntorch as snn
    from snntorch.export_nir import export_to_nir

    nodes, edges, _ = read_graph(shapes_path)
    torch.manual_seed(0)
    # A beta per channel for the convolutions' neurons, per neuron for the
    # linear layers' (the exporter's type inference needs the layer's shape).
    def leaky(shape):
        if len(shape) == 3:
            beta = (0.5 + 0.3 * torch.arange(shape[0]) / shape[0])[:, None, None].expand(*shape).contiguous()
        else:
            beta = 0.5 + 0.3 * torch.rand(shape)
        return snn.Leaky(beta=beta, threshold=torch.ones(shape), reset_mechanism="zero", init_hidden=True, reset_delay=False)

    layers = []
    path = order(nodes, edges)[0]
    for i, name in enumerate(path):
        node = nodes[name]
        neuron_shape = nodes[path[i + 1]]["tau"].shape if i + 1 < len(path) and nodes[path[i + 1]]["type"] == "LIF" else None
        if node["type"] == "Conv2d":
            out_c, in_c = node["weight"].shape[:2]
            conv = torch.nn.Conv2d(in_c, out_c, 3, padding=1)
            conv.weight.data *= 4
            layers += [conv, leaky(neuron_shape), torch.nn.AvgPool2d(2)]
        elif node["type"] == "Linear" and name != "vote":
            out_f, in_f = node["weight"].shape
            linear = torch.nn.Linear(in_f, out_f, bias=False)
            linear.weight.data *= 6
            if not any(isinstance(m, torch.nn.Flatten) for m in layers):
                layers.append(torch.nn.Flatten())
            layers += [linear, leaky(neuron_shape)]
        elif name == "vote":
            vote = torch.nn.Linear(*node["weight"].shape[::-1], bias=False)
            vote.weight.data = torch.from_numpy(node["weight"].astype(np.float32))
            layers.append(vote)
    net = torch.nn.Sequential(*layers)
    data = frames_of(frames_path, split)
    graph = export_to_nir(net, torch.zeros((1,) + data.shape[2:]), ignore_dims=[0])
    nir.write(out, graph)
    votes = np.zeros((data.shape[0], nodes["vote"]["weight"].shape[0]))
    with torch.no_grad():
        for n in range(data.shape[0]):
            for m in net:
                if isinstance(m, snn.Leaky):
                    m.reset_mem()
            for t in range(data.shape[1]):
                votes[n] += net(torch.from_numpy(data[n, t])[None])[0].numpy()
    np.save(votes_path, votes)
    print(f"snntorch: wrote {out} ({len(graph.nodes)} nodes); its own votes: {int(votes.sum())} in all")
    return 0 if votes.sum() > 0 else 1


def compare_votes(votes_path, eval_path):
    votes = np.load(votes_path)
    with h5py.File(eval_path, "r") as e:
        counts, predicted = np.rint(e["counts"][()] * 10), e["predicted"][()]
    bad = [f"sample {n}: snntorch {votes[n].astype(int).tolist()}, plif-eval {counts[n].astype(int).tolist()}"
           for n in range(votes.shape[0])
           if not np.array_equal(votes[n], counts[n]) or int(np.argmax(votes[n])) != predicted[n]]
    print(f"snntorch -> plif-import: {votes.shape[0] - len(bad)} of {votes.shape[0]} samples with snnTorch's own "
          f"votes and class in plif-eval ({int(votes.sum())} votes)")
    print("\n".join(bad))
    return 1 if bad else 0


if __name__ == "__main__":
    command, args = sys.argv[1], sys.argv[2:]
    if command == "run":
        sys.exit(run(*args))
    if command == "snntorch-export":
        sys.exit(snntorch_export(*args))
    if command == "compare-votes":
        sys.exit(compare_votes(*args))
    sys.exit(f"unknown command {command}")
