"""One training step of the study's network written with a peer library.

The network of bench/train_step.sh (Fang et al.'s DVS128 Gesture network):
`layers` blocks of Conv2d(3x3, no bias) -> BatchNorm2d -> spiking neuron ->
MaxPool2d(2), then Dropout -> Linear(flat, flat/4) -> neuron -> Dropout ->
Linear(flat/4, 110) -> neuron, voted in groups of ten and summed over T; the
loss is the mean squared error of the firing rates against the one-hot label,
and one Adam step follows. Each peer runs with its fastest path on the
device: SpikingJelly in multi-step mode (all T steps of a layer at once,
SpikingJelly 2 choosing its own fastest kernel for the device),
snnTorch and Norse one time step at a time through the whole network (the
way both are built to run).

Prints `key value` lines: the median step time over --steps steps after one
warm-up step, and the process's peak resident memory (one configuration per
process, so the peak is this configuration's alone).

    python train_step.py --peer spikingjelly|snntorch|norse --tau layer|neuron
                         [--channels 32 --T 20 --batch 16 --size 128
                          --layers 5 --steps 2 --threads 2 --device cpu]
"""

import argparse
import math
import resource
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

CLASSES = 11
VOTE = 10
INIT_TAU = 2.0


class Unsupported(Exception):
    """The peer has no way to express the asked configuration."""


def neuron_shape(channels, size, layer):
    return (channels, size >> layer, size >> layer)


# --- SpikingJelly: multi-step ParametricLIFNode over [T, B, ...] ---------------


def spikingjelly_neuron(args):
    """SpikingJelly's multi-step ParametricLIFNode, called on [T, B, ...]."""
    from spikingjelly.activation_based import neuron, surrogate

    if args.tau == "neuron":
        raise Unsupported("ParametricLIFNode learns one tau per layer (a scalar w)")
    # SpikingJelly 2 picks its fastest registered kernel for the tensors'
    # device itself (no backend argument any more).
    return neuron.ParametricLIFNode(init_tau=INIT_TAU, detach_reset=True,
                                    surrogate_function=surrogate.ATan(), step_mode="m")


def spikingjelly_net(args):
    from spikingjelly.activation_based import functional, layer

    def plif():
        return spikingjelly_neuron(args)

    blocks = []
    for i in range(args.layers):
        blocks += [layer.Conv2d(2 if i == 0 else args.channels, args.channels, 3, padding=1,
                                bias=False),
                   layer.BatchNorm2d(args.channels), plif(), layer.MaxPool2d(2, 2)]
    flat = args.channels * (args.size >> args.layers) ** 2
    blocks += [layer.Flatten(), layer.Dropout(0.5), layer.Linear(flat, flat // 4, bias=False),
               plif(), layer.Dropout(0.5), layer.Linear(flat // 4, CLASSES * VOTE, bias=False),
               plif()]
    net = nn.Sequential(*blocks)
    functional.set_step_mode(net, "m")

    def run(frames):  # frames [B, T, 2, H, W]
        functional.reset_net(net)
        out = net(frames.transpose(0, 1))  # [T, B, 110]
        return out.view(out.shape[0], out.shape[1], CLASSES, VOTE).mean(-1).sum(0)

    return net, run


# --- time-step loop shared by snnTorch and Norse --------------------------------


class StepNet(nn.Module):
    """The network once per time step; `make_neuron(shape)` builds a neuron
    module called as neuron(x, state) -> (spikes, state)."""

    def __init__(self, args, make_neuron):
        super().__init__()
        self.convs = nn.ModuleList()
        self.norms = nn.ModuleList()
        self.neurons = nn.ModuleList()
        for i in range(args.layers):
            self.convs.append(nn.Conv2d(2 if i == 0 else args.channels, args.channels, 3,
                                        padding=1, bias=False))
            self.norms.append(nn.BatchNorm2d(args.channels))
            self.neurons.append(make_neuron(neuron_shape(args.channels, args.size, i)))
        flat = args.channels * (args.size >> args.layers) ** 2
        self.fc1 = nn.Linear(flat, flat // 4, bias=False)
        self.fc2 = nn.Linear(flat // 4, CLASSES * VOTE, bias=False)
        self.neurons.append(make_neuron((flat // 4,)))
        self.neurons.append(make_neuron((CLASSES * VOTE,)))

    def forward(self, frames):  # [B, T, 2, H, W]
        B, T = frames.shape[:2]
        keep = torch.ones(B, self.fc1.in_features, device=frames.device)
        mask1 = F.dropout(keep, 0.5, self.training)  # one mask per sample for all T
        mask2 = F.dropout(torch.ones(B, self.fc1.out_features, device=frames.device), 0.5,
                          self.training)
        states = [None] * len(self.neurons)
        counts = 0
        for t in range(T):
            x = frames[:, t]
            for i, (conv, norm) in enumerate(zip(self.convs, self.norms)):
                s, states[i] = self.neurons[i](norm(conv(x)), states[i])
                x = F.max_pool2d(s, 2)
            n = len(self.convs)
            s, states[n] = self.neurons[n](self.fc1(x.flatten(1) * mask1), states[n])
            s, states[n + 1] = self.neurons[n + 1](self.fc2(s * mask2), states[n + 1])
            counts = counts + s.view(B, CLASSES, VOTE).mean(-1)
        return counts


def decay_shape(args, shape):
    return (1,) + tuple(shape) if args.tau == "neuron" else ()


def snntorch_neuron(args, shape):
    """snnTorch's Leaky, learnable beta (the decay) per layer or per neuron,
    ATan surrogate, reset to zero; called as neuron(x, mem) -> (spikes, mem)."""
    import snntorch as snn
    from snntorch import surrogate

    class Neuron(nn.Module):
        def __init__(self):
            super().__init__()
            beta = torch.full(decay_shape(args, shape), 1.0 - 1.0 / INIT_TAU)
            self.lif = snn.Leaky(beta=beta, learn_beta=True, threshold=1.0,
                                 spike_grad=surrogate.atan(alpha=2.0), reset_mechanism="zero",
                                 reset_delay=False)

        def forward(self, x, mem):
            if mem is None:
                mem = torch.zeros_like(x)
            return self.lif(x, mem)

    return Neuron()


def norse_neuron(args, shape):
    """Norse's box LIF (no synaptic current), dv = dt * tau_mem_inv * (v_leak
    - v + i), with a learnable inverse time constant per layer or per neuron;
    called as neuron(x, state) -> (spikes, state)."""
    from norse.torch import LIFBoxCell, LIFBoxParameters

    class Neuron(nn.Module):
        def __init__(self):
            super().__init__()
            self.tau_mem_inv = nn.Parameter(torch.full(decay_shape(args, shape), 1000.0 / INIT_TAU))

        def forward(self, x, state):
            p = LIFBoxParameters(tau_mem_inv=self.tau_mem_inv, v_th=torch.as_tensor(1.0),
                                 v_reset=torch.as_tensor(0.0), v_leak=torch.as_tensor(0.0),
                                 method="super", alpha=torch.as_tensor(100.0))
            return LIFBoxCell(p)(x, state)

    return Neuron()


def snntorch_net(args):
    net = StepNet(args, lambda shape: snntorch_neuron(args, shape))
    return net, net


def norse_net(args):
    net = StepNet(args, lambda shape: norse_neuron(args, shape))
    return net, net


PEERS = {"spikingjelly": spikingjelly_net, "snntorch": snntorch_net, "norse": norse_net}


def peak_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def sync(device):
    if device.startswith("cuda"):
        torch.cuda.synchronize()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--peer", choices=sorted(PEERS), required=True)
    ap.add_argument("--tau", choices=["layer", "neuron"], default="layer")
    ap.add_argument("--channels", type=int, default=32)
    ap.add_argument("--T", type=int, default=20)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--size", type=int, default=128)
    ap.add_argument("--layers", type=int, default=5)
    ap.add_argument("--steps", type=int, default=2)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--device", default="cpu")
    args = ap.parse_args()
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    torch.manual_seed(2020)
    try:
        net, run = PEERS[args.peer](args)
    except Unsupported as why:
        print(f"unsupported {why}")
        return 0
    net.to(args.device).train()
    adam = torch.optim.Adam(net.parameters(), lr=1e-3)
    frames = torch.randint(0, 4, (args.batch, args.T, 2, args.size, args.size)).float()
    frames = frames.to(args.device)
    labels = torch.randint(0, CLASSES, (args.batch,), device=args.device)
    one_hot = F.one_hot(labels, CLASSES).float()
    times = []
    for step in range(args.steps + 1):
        sync(args.device)
        t0 = time.perf_counter()
        adam.zero_grad(set_to_none=True)
        loss = F.mse_loss(run(frames) / args.T, one_hot)
        loss.backward()
        adam.step()
        sync(args.device)
        if step > 0:  # step 0 warms up allocators and kernels
            times.append(time.perf_counter() - t0)
        if not math.isfinite(loss.item()):
            print(f"error non-finite loss at step {step}", file=sys.stderr)
            return 1
    print(f"peer {args.peer} tau {args.tau} device {args.device} threads {torch.get_num_threads()}")
    print(f"step_median_s {statistics.median(times):.4f}")
    print(f"peak_rss_mib {peak_rss_mib():.0f}")
    if args.device.startswith("cuda"):
        print(f"peak_gpu_mib {torch.cuda.max_memory_allocated() / 2**20:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
