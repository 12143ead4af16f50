"""Adam through the course's engine vs ``torch.optim.Adam`` on PyTorch CPU.

Trains the 64-32-10 tanh MLP of lesson 11 on the digits data (float64, Adam lr 0.01,
minibatches of 32, fixed seed) from the same initial weights and the same batches, checks
that every step's loss agrees to 1e-9, and reports the median time of ``--repeats`` runs
of each and their ratio. Without PyTorch only the engine's figures are printed.

Run: ``.venv/bin/python benchmarks/bench_optim.py [--repeats 5] [--epochs 5]``; with
PyTorch in another venv: ``PYTHONPATH=src /tmp/tv/bin/python benchmarks/bench_optim.py``.
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from calcml.autodiff import cross_entropy
from calcml.autodiff.nn import MLP, init_params
from calcml.datasets import digits_split
from calcml.optimize import Adam

SIZES, LR, BATCH = (64, 32, 10), 0.01, 32


def batches(num_epochs, seed=0):
    X, y, _, _ = digits_split(np.random.default_rng(seed), test_fraction=0.2)
    rng = np.random.default_rng(seed + 1)
    out = []
    for _ in range(num_epochs):
        order = rng.permutation(len(X))
        for s in range(0, len(X), BATCH):
            rows = order[s:s + BATCH]
            out.append((np.ascontiguousarray(X[rows]), y[rows].astype(np.int64)))
    return out


def train_engine(params, data):
    net = MLP([p.copy() for p in params], activation="tanh")
    opt = Adam(net.params, lr=LR)
    losses = []
    start = time.perf_counter()
    for Xb, yb in data:
        opt.zero_grad()
        loss = cross_entropy(net(Xb), yb)
        loss.backward()
        opt.step()
        losses.append(float(loss.data))
    return time.perf_counter() - start, np.array(losses)


def train_torch(params, data):
    import torch

    ps = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in params]
    opt = torch.optim.Adam(ps, lr=LR)
    tdata = [(torch.from_numpy(Xb), torch.from_numpy(yb)) for Xb, yb in data]
    losses = []
    start = time.perf_counter()
    for Xb, yb in tdata:
        opt.zero_grad()
        h = Xb
        for i in range(0, len(ps), 2):
            h = h @ ps[i] + ps[i + 1]
            if i < len(ps) - 2:
                h = torch.tanh(h)
        loss = torch.nn.functional.cross_entropy(h, yb)
        loss.backward()
        opt.step()
        losses.append(float(loss.detach()))
    return time.perf_counter() - start, np.array(losses)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    data = batches(args.epochs)
    params = init_params(SIZES, np.random.default_rng(1))
    try:
        import torch

        torch.set_num_threads(1)
        trainers = {"calcml": train_engine, "torch": train_torch}
    except ImportError:
        trainers = {"calcml": train_engine}
        print("PyTorch is not installed: engine figures only")
    times, losses = {k: [] for k in trainers}, {}
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1, user_api="blas"):
        for _ in range(args.repeats):
            for name, trainer in trainers.items():
                seconds, losses[name] = trainer(params, data)
                times[name].append(seconds)
    steps = len(data)
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"{name:>7}: median {med:.3f} s for {steps} Adam steps ({1e6 * med / steps:.0f} µs/step), "
              f"final batch loss {losses[name][-1]:.6f}")
    if "torch" in times:
        diff = float(np.abs(losses["calcml"] - losses["torch"]).max())
        print(f"largest per-step loss difference calcml vs torch: {diff:.1e} "
              f"({'OK' if diff <= 1e-9 else 'FAILED'}: ≤ 1e-9)")
        print(f"ratio calcml / torch: {statistics.median(times['calcml']) / statistics.median(times['torch']):.2f}")


if __name__ == "__main__":
    main()
