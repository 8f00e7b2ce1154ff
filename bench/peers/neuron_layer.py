"""One spiking neuron layer alone, forward + backward over T steps, with a
peer library: the part of the step that bench_neuron_layer times for
plifkit's fused kernel. Input x [B, T, M] drawn like a BatchNorm output,
upstream gradient random (as max pooling's backward hands it over); decays
per neuron where the peer has them (SpikingJelly: per layer).

Prints one `neuron_fwd_bwd_s M seconds` line per size (median of --repeats).

    python neuron_layer.py --peer spikingjelly|snntorch|norse
                           [--sizes 32768,131072,524288 --B 16 --T 20
                            --repeats 3 --threads 2 --device cpu]
"""

import argparse
import statistics
import sys
import time

import torch

import train_step as peers


def layer_seconds(args, M):
    torch.manual_seed(2020)
    x = (torch.randn(args.B, args.T, M) + 0.5).to(args.device)
    grad = torch.randn_like(x)
    if args.peer == "spikingjelly":
        from spikingjelly.activation_based import functional
        neuron = peers.spikingjelly_neuron(args).to(args.device)
        xs, gs = x.transpose(0, 1).contiguous(), grad.transpose(0, 1).contiguous()
    else:
        make = peers.snntorch_neuron if args.peer == "snntorch" else peers.norse_neuron
        neuron = make(args, (M,)).to(args.device)
        xs, gs = x.unbind(1), grad.unbind(1)  # T contiguous [B, M] steps
        xs, gs = [t.contiguous() for t in xs], [t.contiguous() for t in gs]
    times = []
    for _ in range(args.repeats + 1):
        peers.sync(args.device)
        t0 = time.perf_counter()
        if args.peer == "spikingjelly":
            functional.reset_net(neuron)
            xi = xs.detach().requires_grad_(True)
            neuron(xi).backward(gs)
        else:
            state, spikes = None, []
            inputs = [t.detach().requires_grad_(True) for t in xs]
            for xt in inputs:
                s, state = neuron(xt, state)
                spikes.append(s)
            torch.autograd.backward(spikes, list(gs))
        peers.sync(args.device)
        times.append(time.perf_counter() - t0)
    return statistics.median(times[1:])  # the first run warms up


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--peer", choices=sorted(peers.PEERS), required=True)
    ap.add_argument("--sizes", default="32768,131072,524288")
    ap.add_argument("--B", type=int, default=16)
    ap.add_argument("--T", type=int, default=20)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--device", default="cpu")
    args = ap.parse_args()
    args.tau = "layer" if args.peer == "spikingjelly" else "neuron"
    if args.threads > 0:
        torch.set_num_threads(args.threads)
    print(f"peer {args.peer} tau {args.tau} device {args.device} threads {torch.get_num_threads()}")
    for M in (int(m) for m in args.sizes.split(",")):
        print(f"neuron_fwd_bwd_s {M} {layer_seconds(args, M):.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
