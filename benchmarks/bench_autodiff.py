"""How much does the course's autodiff engine cost over hand-written NumPy, and over PyTorch?

Trains a 64-128-10 tanh MLP on the digits data (80/20 split, float64, SGD lr 0.1,
20 epochs, fixed seed) in several ways, from the same initial weights and the same batches:

``numpy``     forward and backward written out by hand: the floor, no autodiff overhead
``calcml``    :mod:`calcml.autodiff` (``MLP`` + ``cross_entropy`` + ``backward``)
``calcml plain loop``  the loop a learner writes: ``(Tensor(xb) @ W1 + b1).tanh() @ W2 + b2``,
              ``cross_entropy``, ``zero_grad``, ``backward``, ``p.data -= lr * p.grad``
``bare graph (bound)``  the plain loop on a graph engine with calcml's arithmetic, nodes and
              walk but no checks, rule table or broadcasting: not usable, a bound on what
              any engine recording a Python graph could reach in that loop
``torch``     PyTorch CPU eager (``nn.Linear``, ``F.cross_entropy``, ``optim.SGD``), when installed
``torch plain loop``  the plain loop written in PyTorch (``torch.tensor(xb)``, one thread)
``numpy+torch.tanh``  the floor with PyTorch's vectorised tanh kernel in place of NumPy's
              (when PyTorch is installed): the fastest any NumPy-based engine could be here

Reports the median of ``--repeats`` runs of each (interleaved, in rotating order, so that
a busy machine slows all of them alike; the repeats cycle through ``LAYOUTS`` shifts of
the heap, so that no trainer's median is one memory layout's luck), the ratios, the minor
page faults per step, the thread counts, and checks that all reach the same losses (to
1e-9). PyTorch is only a benchmark tool, never a course dependency; without it that
column is skipped.

glibc's allocator keeps its default policy unless ``--pin-malloc`` fixes its thresholds
(see :func:`pin_allocator`). ``--instructions`` counts instructions per step with
valgrind's callgrind instead of timing: repeatable on a busy machine, but blind to page
faults, and it counts a ``rep movsb`` copy byte by byte (copies look dearer than they are).

Run: ``.venv/bin/python benchmarks/bench_autodiff.py [--repeats 7] [--batch-sizes 64 512]``;
``--hidden 4 --batch-sizes 4`` measures the per-step overhead of each framework alone.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import statistics
import time

import numpy as np

from calcml.autodiff import Tensor, cross_entropy
from calcml.autodiff.nn import MLP, init_params, train_step
from calcml.datasets import digits_split

SIZES = (64, 128, 10)
LR = 0.1
PAUSE = 0.3  # seconds between timed runs: OpenMP threads of the previous run spin for a while
# Where malloc puts each array decides whether it starts on a 64-byte boundary, and an
# unaligned operand makes a kernel slower (x @ W: 12 µs aligned, 15-17 µs not): one
# process's layout can make a trainer a few per cent faster or slower than another's, for
# the whole run. Repeat r holds a block of LAYOUT_PAD + 16·(r mod LAYOUTS) bytes while it
# runs, the same for every trainer, so that the repeats see LAYOUTS different layouts and
# the median is not one layout's luck.
LAYOUTS = 4
LAYOUT_PAD = 20_000


# --- data ----------------------------------------------------------------------------------
def load_data(seed=0):
    """Digits scaled to [0, 1], split 80/20 with a fixed permutation."""
    return digits_split(np.random.default_rng(seed), test_fraction=0.2)


def make_batches(X, y, batch_size, num_epochs, rng):
    """Every step's (X, y) batch, drawn once so that all trainers see the same ones."""
    batches = []
    for _ in range(num_epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            rows = order[start:start + batch_size]
            batches.append((np.ascontiguousarray(X[rows]), y[rows].astype(np.int64)))
    return batches


def aligned_copy(a):
    """A copy of ``a`` starting on a 64-byte boundary, as the engine holds its parameters.

    A matrix product is slower when an operand is not aligned (here x @ W1 took 12 µs with
    W1 aligned, 15-17 µs at malloc's other offsets), so the floor holds its weights as the
    engine does: otherwise the ratio would measure where malloc put the floor's copy."""
    buf = np.empty(a.nbytes + 64, np.uint8)
    start = -buf.ctypes.data % 64
    out = buf[start:start + a.nbytes].view(a.dtype).reshape(a.shape)
    out[...] = a
    return out


# --- the three trainers: each returns the seconds its loop took and the loss of every step -
def train_numpy(params, batches, lr=LR, tanh=np.tanh):
    """Hand-written forward and backward passes: the same arithmetic, no graph.

    ``tanh`` is the activation's kernel (NumPy's by default); :func:`torch_tanh_floor`
    swaps in PyTorch's to show how much of the floor is that one function.
    """
    W1, b1, W2, b2 = (aligned_copy(p) for p in params)
    losses = []
    start = time.perf_counter()
    for Xb, yb in batches:
        n = len(yb)
        # forward
        z1 = Xb @ W1
        z1 += b1
        h = tanh(z1)
        z2 = h @ W2
        z2 += b2
        shifted = z2 - z2.max(axis=1, keepdims=True)
        e = np.exp(shifted)
        s = e.sum(axis=1, keepdims=True)
        picks = np.arange(0, z2.size, z2.shape[1]) + yb  # flat index of z2[i, y_i]
        loss = (np.log(s).sum() - shifted.take(picks).sum()) / n
        # backward
        dz2 = e * (1.0 / n) / s  # (softmax − onehot)/n
        dz2.reshape(-1)[picks] -= 1.0 / n
        dW2 = h.T @ dz2
        db2 = dz2.sum(axis=0)
        dh = dz2 @ W2.T
        dz1 = dh * (1.0 - h * h)  # tanh' = 1 − tanh²
        dW1 = Xb.T @ dz1
        db1 = dz1.sum(axis=0)
        # update
        W1 -= lr * dW1
        b1 -= lr * db1
        W2 -= lr * dW2
        b2 -= lr * db2
        losses.append(float(loss))
    return time.perf_counter() - start, losses


def train_calcml(params, batches, lr=LR):
    """The course's engine: the graph is recorded, then ``backward`` walks it."""
    model = MLP(params, activation="tanh")
    start = time.perf_counter()
    losses = [train_step(model, Xb, yb, lr) for Xb, yb in batches]
    return time.perf_counter() - start, losses


def train_plain(params, batches, lr=LR):
    """The loop a learner writes, the way they would in PyTorch: no fused ``linear`` layer.

    ``(Tensor(xb) @ W1 + b1).tanh() @ W2 + b2``, ``cross_entropy``, each parameter's
    gradient zeroed, ``backward()``, then ``p.data -= lr * p.grad``. Five nodes and a loss
    per step, each paying the engine's per-node cost.
    """
    W1, b1, W2, b2 = (Tensor(p, requires_grad=True) for p in params)
    parameters = (W1, b1, W2, b2)
    losses = []
    start = time.perf_counter()
    for Xb, yb in batches:
        logits = (Tensor(Xb) @ W1 + b1).tanh() @ W2 + b2
        loss = cross_entropy(logits, yb)
        for p in parameters:
            p.zero_grad()
        loss.backward()
        for p in parameters:
            p.data -= lr * p.grad
        losses.append(loss.item())
    return time.perf_counter() - start, losses


# --- a bound: the plain loop on a graph engine with no checks at all ------------------------
class _Bare:
    """A node of the bare engine: value, gradient, inputs, saved values, operation."""

    __slots__ = ("args", "data", "grad", "id", "op", "parents")


_bare_ids = itertools.count()


def _bare(op, data, parents=(), args=()):
    node = _Bare()
    node.data, node.grad, node.parents, node.args, node.op = data, None, parents, args, op
    node.id = next(_bare_ids)
    return node


def _bare_backward(root):
    """The walk of calcml's engine without its checks, broadcasting or general rules."""
    nodes, seen, stack = [root], {root}, [root]
    while stack:
        for p in stack.pop().parents:
            if p.parents and p not in seen:
                seen.add(p)
                nodes.append(p)
                stack.append(p)
    nodes.sort(key=lambda t: t.id, reverse=True)
    for node in nodes:
        node.grad = None
    root.grad = np.ones(())
    for node in nodes:
        g, op = node.grad, node.op
        if op == "ce":
            e, s, picks = node.args
            scale = float(g) / len(picks)
            d = e * scale
            d /= s
            d.reshape(-1)[picks] -= scale
            node.parents[0].grad = d
        elif op == "add":  # a matrix plus a bias row
            node.parents[0].grad = g
            node.parents[1].grad = np.add.reduce(g, 0)
        elif op == "matmul":
            (x, y), (px, py) = node.args, node.parents
            if px.parents:
                px.grad = g @ y.T
            py.grad = x.T @ g
        else:  # tanh
            d = node.data * node.data
            np.subtract(1.0, d, out=d)
            d *= g
            node.parents[0].grad = d


def train_bare(params, batches, lr=LR):
    """The plain loop on a bare graph engine: calcml's arithmetic, nodes and walk, nothing
    else (no type, shape, target, version or walked-graph checks, no rule table, no
    broadcasting, no read-only sharing). Not a usable engine: a bound on what any engine
    that records a Python graph could reach in this loop."""
    W1, b1, W2, b2 = (_bare(None, aligned_copy(p)) for p in params)
    parameters = (W1, b1, W2, b2)
    starts = {}
    losses = []
    start = time.perf_counter()
    for Xb, yb in batches:
        x = _bare(None, Xb.copy())
        a = _bare("matmul", x.data @ W1.data, (x, W1), (x.data, W1.data))
        z = _bare("add", a.data + b1.data, (a, b1))
        h = _bare("tanh", np.tanh(z.data), (z,))
        u = _bare("matmul", h.data @ W2.data, (h, W2), (h.data, W2.data))
        logits = _bare("add", u.data + b2.data, (u, b2))
        zd = logits.data
        shifted = zd - np.maximum.reduce(zd, axis=1, keepdims=True)
        e = np.exp(shifted)
        s = np.add.reduce(e, axis=1, keepdims=True)
        n, c = zd.shape
        if (n, c) not in starts:
            starts[n, c] = np.arange(0, n * c, c)
        picks = starts[n, c] + yb
        value = (np.add.reduce(np.log(s), axis=None) - np.add.reduce(shifted.take(picks))) / n
        loss = _bare("ce", np.asarray(value), (logits,), (e, s, picks))
        for p in parameters:
            p.grad = None
        _bare_backward(loss)
        for p in parameters:
            p.data -= lr * p.grad
        losses.append(float(loss.data))
    return time.perf_counter() - start, losses


TRAINERS = {"numpy": train_numpy, "calcml": train_calcml, "calcml plain loop": train_plain,
            "bare graph (bound)": train_bare}


def torch_trainer(threads):
    """A PyTorch CPU eager trainer using ``threads`` intra-op threads, or None without torch."""
    try:
        import torch
        from torch import nn
        from torch.nn import functional as F
    except ImportError:
        return None

    def train_torch(params, batches, lr=LR):
        torch.set_num_threads(threads)
        W1, b1, W2, b2 = params
        (d_in, d_hidden), d_out = W1.shape, W2.shape[1]
        model = nn.Sequential(nn.Linear(d_in, d_hidden, dtype=torch.float64), nn.Tanh(),
                              nn.Linear(d_hidden, d_out, dtype=torch.float64))
        with torch.no_grad():  # the same initial weights (nn.Linear stores Wᵀ)
            for layer, W, b in ((model[0], W1, b1), (model[2], W2, b2)):
                layer.weight.copy_(torch.from_numpy(W.T))
                layer.bias.copy_(torch.from_numpy(b))
        optimizer = torch.optim.SGD(model.parameters(), lr=lr)
        torch_batches = [(torch.from_numpy(Xb), torch.from_numpy(yb)) for Xb, yb in batches]
        losses = []
        start = time.perf_counter()
        for Xb, yb in torch_batches:
            optimizer.zero_grad()
            loss = F.cross_entropy(model(Xb), yb)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        return time.perf_counter() - start, losses

    return train_torch


def torch_plain_trainer():
    """The plain loop of :func:`train_plain` written in PyTorch (one thread), or None without
    torch: ``torch.tensor(xb)`` (a copy, as ``Tensor(xb)``), ``(x @ W1 + b1).tanh() @ W2 +
    b2``, ``F.cross_entropy``, each gradient set to None, ``backward()``, then
    ``p -= lr * p.grad`` under ``torch.no_grad()``: what a PyTorch user writes by hand."""
    try:
        import torch
        from torch.nn import functional as F
    except ImportError:
        return None

    def train_torch_plain(params, batches, lr=LR):
        torch.set_num_threads(1)
        parameters = [torch.tensor(p, requires_grad=True) for p in params]
        W1, b1, W2, b2 = parameters
        targets = [torch.from_numpy(yb) for _, yb in batches]
        losses = []
        start = time.perf_counter()
        for (Xb, _), yb in zip(batches, targets, strict=True):
            logits = (torch.tensor(Xb) @ W1 + b1).tanh() @ W2 + b2
            loss = F.cross_entropy(logits, yb)
            for p in parameters:
                p.grad = None
            loss.backward()
            with torch.no_grad():
                for p in parameters:
                    p -= lr * p.grad
            losses.append(loss.item())
        return time.perf_counter() - start, losses

    return train_torch_plain


def torch_tanh_floor():
    """The NumPy floor with PyTorch's tanh kernel in place of NumPy's, or None without torch.

    On x86 CPUs without AVX-512, NumPy evaluates float64 ``tanh`` with the C library, one
    entry at a time, while PyTorch uses a vectorised kernel. No engine built on NumPy can be
    faster than its floor, so ``torch ÷ this`` bounds the speed-up any such engine could
    show over PyTorch, even with PyTorch's own tanh. (``torch.from_numpy`` shares memory: no
    copies are added.)
    """
    try:
        import torch
    except ImportError:
        return None

    def tanh(x):
        return torch.tanh(torch.from_numpy(x)).numpy()

    def train_floor_torch_tanh(params, batches, lr=LR):
        torch.set_num_threads(1)
        return train_numpy(params, batches, lr, tanh=tanh)

    return train_floor_torch_tanh


# --- timing --------------------------------------------------------------------------------
def run(trainer, params, batches):
    """Seconds for one training run (the loop only, not the setup), its losses, and the
    minor page faults per step (of the whole run: the setup adds a few per run)."""
    before = _minor_faults()
    seconds, losses = trainer(params, batches)
    return seconds, np.asarray(losses), (_minor_faults() - before) / len(batches)


def _minor_faults():
    """Minor page faults of this process so far (0 where getrusage is missing)."""
    try:
        import resource
    except ImportError:  # not on Windows
        return 0
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def pin_allocator():
    """Stop glibc from handing freed memory back to the OS between training steps.

    glibc's ``free`` returns the top of the heap to the OS once more than a threshold is
    free there (128 KB at first, adjusted as the program runs), and serves large arrays
    with fresh ``mmap`` pages. A trainer that frees all of a step's arrays at once (an
    autodiff graph going out of scope) then page-faults every array back in at the next
    step, while one that frees them one by one (the hand-written loop, rebinding names) may
    not: the timings would measure the allocator's bookkeeping and the allocation history
    of the process, not the arithmetic (at batch 512 this made the same engine 1.0× or 1.7×
    the floor from run to run). Fixed thresholds (``mallopt``) apply equally to every
    trainer. Returns a description for the report (nothing is changed off glibc).
    """
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError, TypeError):
        return "allocator: left as it is (no glibc mallopt here)"
    m_trim_threshold, m_top_pad, m_mmap_threshold = -1, -2, -3
    ok = all(mallopt(option, value) == 1 for option, value in (
        (m_trim_threshold, 256 << 20), (m_top_pad, 64 << 20), (m_mmap_threshold, 32 << 20)))
    return ("allocator: glibc mallopt trim threshold 256 MiB, top pad 64 MiB, mmap threshold "
            "32 MiB (same for every trainer)" if ok
            else "allocator: mallopt refused; glibc's default policy")


def blas_info():
    """NumPy's BLAS library and its thread count (threadpoolctl, shipped with scikit-learn)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "unknown BLAS (threadpoolctl missing)"
    infos = [i for i in threadpool_info() if i.get("user_api") == "blas"]
    return ", ".join(f"{i['internal_api']} {i['version']} with {i['num_threads']} thread(s)"
                     for i in infos) or "no BLAS found"


def benchmark(batch_size, num_epochs, repeats, threads, hidden=SIZES[1], rng_seed=1):
    X_train, y_train, _, _ = load_data()
    params = init_params((SIZES[0], hidden, SIZES[2]), np.random.default_rng(0))
    batches = make_batches(X_train, y_train, batch_size, num_epochs,
                           np.random.default_rng(rng_seed))
    trainers = dict(TRAINERS)
    if threads and (ceiling := torch_tanh_floor()) is not None:
        trainers["numpy+torch.tanh"] = ceiling
    for n in threads:
        trainer = torch_trainer(n)
        if trainer is not None:
            trainers[f"torch ({n} thr)"] = trainer
    if 1 in threads and (trainer := torch_plain_trainer()) is not None:
        trainers["torch plain loop"] = trainer
    for trainer in trainers.values():  # warm up: imports, allocator, BLAS threads
        run(trainer, params, batches[: 2 * max(1, 512 // batch_size)])
    times = {name: [] for name in trainers}
    faults = {name: [] for name in trainers}
    losses = {}
    names = list(trainers)
    for r in range(repeats):  # interleaved: a busy machine slows all of them alike
        for name in names[r % len(names):] + names[:r % len(names)]:  # rotate who goes first
            time.sleep(PAUSE)  # let the previous trainer's worker threads stop spinning
            shift = np.empty(LAYOUT_PAD + 16 * (r % LAYOUTS), np.uint8)  # see LAYOUTS
            seconds, losses[name], per_step = run(trainers[name], params, batches)
            del shift
            times[name].append(seconds)
            faults[name].append(per_step)
    reference = losses["numpy"]
    agreement = {name: float(np.max(np.abs(l - reference))) for name, l in losses.items()}
    return {"batch_size": batch_size, "hidden": hidden, "steps": len(batches), "times": times,
            "median": {k: statistics.median(v) for k, v in times.items()},
            "faults": {k: statistics.median(v) for k, v in faults.items()},
            "final_loss": float(reference[-1]), "max_loss_difference": agreement}


def report(result):
    med = result["median"]
    floor = med["numpy"]
    lines = [(f"\nhidden {result['hidden']}, batch {result['batch_size']}: "
              f"{result['steps']} SGD steps, "
             f"final batch loss {result['final_loss']:.12f}"),
             (f"{'trainer':<20}{'median s':>10}{'min s':>10}{'µs/step':>10}"
             f"{'÷ numpy':>10}{'÷ calcml':>10}{'max |Δloss|':>14}{'faults/step':>13}")]
    for name, m in med.items():
        lines.append(f"{name:<20}{m:>10.4f}{min(result['times'][name]):>10.4f}"
                     f"{1e6 * m / result['steps']:>10.1f}{m / floor:>10.3f}"
                     f"{m / med['calcml']:>10.2f}{result['max_loss_difference'][name]:>14.1e}"
                     f"{result['faults'][name]:>13.1f}")
    times = result["times"]
    targets = (("calcml", 1.25 if result["batch_size"] <= 64 else 1.1),
               ("calcml plain loop", 1.1), ("bare graph (bound)", 1.1))
    for name, target in targets:
        ratio = med[name] / floor
        paired = statistics.median(c / n for c, n in zip(times[name], times["numpy"],
                                                          strict=True))
        lines.append(f"{name} ÷ numpy floor = {ratio:.3f} (target ≤ {target}: "
                     f"{'met' if ratio <= target else 'missed'}); median of the per-repeat "
                     f"ratios {paired:.3f} (runs side by side share the machine's slow spells)")
    if "torch plain loop" in med:
        lines.append(f"the plain loop: torch ÷ calcml = "
                     f"{med['torch plain loop'] / med['calcml plain loop']:.2f} (the same loop "
                     "in each, one thread)")
    torch_names = [k for k in med if k.startswith("torch") and k != "torch plain loop"]
    if torch_names:
        best = min(torch_names, key=med.get)  # the fairest comparison: PyTorch at its fastest
        speedup = med[best] / med["calcml"]
        lines.append(f"{best} ÷ calcml = {speedup:.2f}"
                     + (f" (target ≥ 2.5: {'met' if speedup >= 2.5 else 'missed'})"
                        if result["batch_size"] == 64 else ""))
        if "numpy+torch.tanh" in med:
            lines.append(f"ceiling for any NumPy engine: {best} ÷ (numpy floor with torch's tanh)"
                         f" = {med[best] / med['numpy+torch.tanh']:.2f}")
    return "\n".join(lines)


# --- instruction counts (valgrind's callgrind): repeatable where wall-clock time is noisy ---
def count_steps(name, batch_size, warmup=10, steps=40, hidden=SIZES[1]):
    """Run ``steps`` steps of one trainer between two markers (under callgrind: the region).

    The markers are calls of ``time.perf_counter_ns``, which nothing else here calls;
    ``--dump-before=time_perf_counter_ns`` makes callgrind dump its counters there.
    """
    from threadpoolctl import threadpool_limits

    X_train, y_train, _, _ = load_data()
    params = init_params((SIZES[0], hidden, SIZES[2]), np.random.default_rng(0))
    batches = make_batches(X_train, y_train, batch_size, 20, np.random.default_rng(1))
    with threadpool_limits(limits=1, user_api="blas"):
        TRAINERS[name](params, batches[:warmup])  # imports, caches, the allocator's pools
        time.perf_counter_ns()
        TRAINERS[name](params, batches[warmup:warmup + steps])
        time.perf_counter_ns()


def instructions_per_step(name, batch_size, steps=40):
    """Instructions per training step of one trainer, counted by callgrind in a subprocess."""
    import re
    import subprocess
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cg.out")
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                        "--dump-before=time_perf_counter_ns", sys.executable, __file__,
                        "--count-steps", name, str(batch_size), str(steps)],
                       check=True, capture_output=True, env={**os.environ,
                                                             "OPENBLAS_NUM_THREADS": "1"})
        with open(out + ".2", encoding="utf-8") as fh:  # dump 1: start-up; 2: the steps
            total = int(re.search(r"^summary:\s*(\d+)", fh.read(), re.MULTILINE).group(1))
    return total / steps


def report_instructions(batch_sizes, steps=40):
    """A table of instructions per step and their ratio to the floor's."""
    lines = [f"{'instructions per step (callgrind)':<36}" + "".join(
        f"{'batch ' + str(b):>16}" for b in batch_sizes)]
    counts = {name: [instructions_per_step(name, b, steps) for b in batch_sizes]
              for name in TRAINERS}
    for name, row in counts.items():
        cells = "".join(f"{c / 1e6:>9.3f} M {c / f:>4.2f}×"
                        for c, f in zip(row, counts["numpy"], strict=True))
        lines.append(f"{name:<36}{cells}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[64, 512])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--hidden", type=int, default=SIZES[1],
                        help="hidden units (a tiny value such as 4 isolates per-step overhead)")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--blas-threads", type=int, default=1,
                        help="NumPy BLAS threads (default 1, matched with 1 torch thread)")
    parser.add_argument("--torch-threads", type=int, nargs="+", default=None,
                        help="torch thread counts to time (default: 1 and torch's default)")
    parser.add_argument("--json", help="also write the raw timings to this file")
    parser.add_argument("--instructions", action="store_true",
                        help="count instructions per step with valgrind's callgrind instead "
                             "of timing (repeatable on a busy machine; needs valgrind)")
    parser.add_argument("--count-steps", nargs=3, metavar=("TRAINER", "BATCH", "STEPS"),
                        help=argparse.SUPPRESS)  # the subprocess run under callgrind
    parser.add_argument("--pin-malloc", action="store_true",
                        help="fix glibc's trim/mmap thresholds for every trainer (see "
                             "pin_allocator); by default glibc's own policy, as a learner has")
    args = parser.parse_args(argv)
    if args.count_steps:
        name, batch, steps = args.count_steps
        count_steps(name, int(batch), steps=int(steps), hidden=args.hidden)
        return 0
    if args.instructions:
        print(report_instructions(args.batch_sizes))
        return 0
    if args.repeats < 5:
        parser.error(f"--repeats must be at least 5 for a meaningful median, got {args.repeats}")

    threads = args.torch_threads
    try:
        import torch

        default_threads = torch.get_num_threads()
        torch_version = f"torch {torch.__version__}, default {default_threads} thread(s)"
        threads = threads or sorted({1, default_threads})
    except ImportError:
        torch_version = "torch not installed: its column is skipped"
        threads = []

    from threadpoolctl import threadpool_limits

    print(f"Python {platform.python_version()}, NumPy {np.__version__}, {os.cpu_count()} CPU(s)")
    print(pin_allocator() if args.pin_malloc else "allocator: glibc's default policy")
    print(f"BLAS (default): {blas_info()}")
    print(torch_version)
    results = []
    with threadpool_limits(limits=args.blas_threads, user_api="blas"):
        print(f"BLAS (timed):   {blas_info()}; torch threads timed: {threads or '-'}")
        for batch_size in args.batch_sizes:
            result = benchmark(batch_size, args.epochs, args.repeats, threads, args.hidden)
            results.append(result)
            print(report(result), flush=True)
    worst = max(d for r in results for d in r["max_loss_difference"].values())
    print(f"\nall trainers reach the same losses: max |Δloss| = {worst:.1e} "
          f"({'OK' if worst <= 1e-9 else 'DIFFERENT'} at tolerance 1e-9)")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(results, fh, indent=1)
    return 0 if worst <= 1e-9 else 1


if __name__ == "__main__":
    raise SystemExit(main())
