"""The reference study's own training step, timed.

Imports the network from the reference's `models.py` (the folder is given
with --code; the reference's repository is not part of plifkit) on the old
SpikingJelly it was written for, and runs the training step of its
`train_val.py` on random event frames: zero the gradients, the network over
all T steps (the reference's per-time-step loop), MSE of the firing rates
against the one-hot label plus reg_lambda * Var(w) of every per-neuron PLIF
layer, backward, one Adam step, SpikingJelly's reset of the neurons' state.

Prints `key value` lines like bench_train_step: the median step time over
--steps steps after one warm-up step, the process's peak resident memory,
minor page faults and system seconds per timed step.

    python step.py --code DIR --tau layer|neuron [--channels 32 --T 20
                   --batch 16 --steps 3 --threads 2 --density 0.01]

The reference shapes its per-neuron taus for 128 channels of 128x128 input
and five layers (models.py builds them with fixed sizes), so --tau neuron
needs --channels 128.
"""

import argparse
import resource
import statistics
import sys
import time

CLASSES = 11
SIZE = 128
LAYERS = 5


def usage():
    return resource.getrusage(resource.RUSAGE_SELF)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--code", required=True, help="folder holding the reference's models.py")
    ap.add_argument("--tau", choices=["layer", "neuron"], default="neuron")
    ap.add_argument("--channels", type=int, default=32)
    ap.add_argument("--T", type=int, default=20)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--density", type=float, default=0.01,
                    help="fraction of non-zero event counts in the input frames")
    args = ap.parse_args()
    if args.tau == "neuron" and args.channels != 128:
        sys.exit("step.py: the reference's per-neuron layers are shaped for --channels 128")

    sys.path.insert(0, args.code)
    import torch
    import torch.nn.functional as F
    from spikingjelly.clock_driven import functional
    import models  # the reference's; it seeds torch with 2020 on import

    torch.set_num_threads(args.threads)
    per_neuron = args.tau == "neuron"
    net = models.DVS128GestureNet(T=args.T, init_tau=2.0, tau_std_dev=0.1 if per_neuron else 0.0,
                                  use_plif=True, use_max_pool=True, alpha_learnable=False,
                                  detach_reset=True, channels=args.channels,
                                  number_layer=LAYERS, tau_per_neuron=per_neuron)
    net.train()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
    reg_lambda = 0.01 if per_neuron else 0.0
    plif_layers = [m for m in net.modules() if isinstance(m, models.PLIFNode)]

    generator = torch.Generator().manual_seed(1)
    shape = (args.batch, args.T, 2, SIZE, SIZE)
    events = torch.rand(shape, generator=generator) < args.density
    frames = events.float() * torch.randint(1, 4, shape, generator=generator).float()
    labels = torch.randint(0, CLASSES, (args.batch,), generator=generator)
    one_hot = F.one_hot(labels, CLASSES).float()

    def step():
        optimizer.zero_grad()
        rates = net(frames) / args.T
        loss = F.mse_loss(rates, one_hot)
        if reg_lambda != 0.0:
            for layer in plif_layers:
                loss = loss + reg_lambda * layer.w.var()
        loss.backward()
        optimizer.step()
        functional.reset_net(net)

    step()  # warm-up: first-touch allocations, oneDNN's primitive caches
    times = []
    before = usage()
    for _ in range(args.steps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    after = usage()

    import spikingjelly
    print("implementation reference (models.py, PyTorch %s)" % torch.__version__)
    print("spikingjelly %s" % spikingjelly.__path__[0])
    print("tau %s" % args.tau)
    print("channels %d" % args.channels)
    print("batch %d" % args.batch)
    print("T %d" % args.T)
    print("threads %d" % args.threads)
    print("steps %d" % args.steps)
    print("step_median_s %.4f" % statistics.median(times))
    print("peak_rss_mib %.0f" % (after.ru_maxrss / 1024.0))
    print("minor_faults_per_step %.0f" % ((after.ru_minflt - before.ru_minflt) / args.steps))
    print("system_s_per_step %.3f" % ((after.ru_stime - before.ru_stime) / args.steps))


if __name__ == "__main__":
    main()
