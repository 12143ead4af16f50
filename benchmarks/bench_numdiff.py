"""Accuracy and cost of calcml.numdiff's derivatives, next to numdifftools.

For each method: the error over many points x for a set of smooth test functions, the
evaluations of f per derivative, the correct digits bought per evaluation, and the time
of one call (median of repeated timeit runs). numdifftools is a benchmark-only
dependency (dependency group ``bench``); it is skipped when absent.

Errors are relative to the derivative's natural scale,
``S(x) = max(|f'(x)|, |f(x)| / max(1, |x|), 1e-3)`` (as in tests/test_numdiff.py):
pure relative error is unbounded where f'(x) = 0 for any floating-point method. The
exact derivatives come from SymPy, evaluated with mpmath at 30 digits.

    .venv/bin/python benchmarks/bench_numdiff.py [--points 200] [--repeats 7]
"""

from __future__ import annotations

import argparse
import math
import statistics
import timeit
from collections.abc import Callable

import mpmath
import numpy as np
import sympy as sp

from calcml.numdiff import METHODS, derivative

X = sp.Symbol("x")
FUNCTIONS = {  # name: (NumPy version accepting complex input, SymPy expression)
    "exp(x) sin(x)": (lambda x: np.exp(x) * np.sin(x), sp.exp(X) * sp.sin(X)),
    "sigmoid": (lambda x: 1 / (1 + np.exp(-x)), 1 / (1 + sp.exp(-X))),
    "log(1+x²)": (lambda x: np.log1p(x * x), sp.log(1 + X**2)),
    "tanh": (np.tanh, sp.tanh(X)),
    "arctan": (np.arctan, sp.atan(X)),
    "x³ − 2x": (lambda x: x**3 - 2 * x, X**3 - 2 * X),
    "x exp(−x²)": (lambda x: x * np.exp(-x * x), X * sp.exp(-(X**2))),
    "1/(1+x²)": (lambda x: 1 / (1 + x * x), 1 / (1 + X**2)),
    "sin(10x)": (lambda x: np.sin(10 * x), sp.sin(10 * X)),  # a short length scale
}


def references(xs: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """f and f' at xs, exact to float precision, for every test function."""
    mpmath.mp.dps = 30
    out = {}
    for name, (_, expr) in FUNCTIONS.items():
        f_mp = sp.lambdify(X, expr, "mpmath")
        df_mp = sp.lambdify(X, sp.diff(expr, X), "mpmath")
        values = np.array([float(f_mp(mpmath.mpf(float(x)))) for x in xs])
        slopes = np.array([float(df_mp(mpmath.mpf(float(x)))) for x in xs])
        out[name] = (values, slopes)
    return out


def scaled_errors(estimate, values, slopes, xs):
    scale = np.maximum.reduce(
        [np.abs(slopes), np.abs(values) / np.maximum(1, np.abs(xs)), np.full(xs.shape, 1e-3)]
    )
    return np.abs(estimate - slopes) / scale


class Counted:
    """Wraps f and counts the points it is evaluated at (an array counts each entry)."""

    def __init__(self, f: Callable):
        self.f, self.points = f, 0

    def __call__(self, x):
        self.points += np.size(x)
        return self.f(x)


def methods() -> dict[str, Callable[[Callable, float], float]]:
    """One scalar-derivative function per contender."""
    table = {f"calcml {m}": (lambda f, x, m=m: derivative(f, x, method=m)) for m in METHODS}
    try:
        import numdifftools as nd
    except ImportError:
        print("numdifftools is not installed: its rows are skipped")
        return table
    table["numdifftools central"] = lambda f, x: float(nd.Derivative(f)(x))
    table["numdifftools complex"] = lambda f, x: float(nd.Derivative(f, method="complex")(x))
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=200, help="points x in [-4, 4]")
    parser.add_argument("--repeats", type=int, default=7, help="timeit repeats")
    args = parser.parse_args()

    xs = np.linspace(-4.0, 4.0, args.points)
    refs = references(xs)
    contenders = methods()

    print(f"Accuracy over {args.points} points in [-4, 4], errors scaled as in the docstring")
    print(f"{'function':14s}" + "".join(f" {name:>20s}" for name in contenders))
    summary = {name: [] for name in contenders}
    for fname, (f, _) in FUNCTIONS.items():
        values, slopes = refs[fname]
        row = f"{fname:14s}"
        for name, method in contenders.items():
            estimates = np.array([method(f, float(x)) for x in xs])
            errs = scaled_errors(estimates, values, slopes, xs)
            if fname != "sin(10x)":
                summary[name].append(errs)
            row += f" {np.median(errs):11.1e} / {errs.max():7.1e}"
        print(row)
    print(
        "(each cell: median / max; the summary below leaves out sin(10x), whose length "
        "scale 0.1 no default step knows about)"
    )

    f_time = FUNCTIONS["sigmoid"][0]
    print(
        f"\n{'method':24s} {'median err':>11s} {'max err':>9s} {'f evals':>8s} "
        f"{'digits/eval':>11s} {'µs per call':>12s}"
    )
    for name, method in contenders.items():
        errs = np.concatenate(summary[name])
        counted = Counted(f_time)
        method(counted, 0.7)
        digits = -math.log10(max(float(np.median(errs)), 1e-17))
        timer = timeit.Timer(lambda method=method: method(f_time, 0.7))
        number = max(1, int(0.05 / max(timer.timeit(3) / 3, 1e-9)))
        per_call = statistics.median(timer.repeat(repeat=args.repeats, number=number)) / number
        print(
            f"{name:24s} {np.median(errs):11.1e} {errs.max():9.1e} {counted.points:8d} "
            f"{digits / counted.points:11.2f} {per_call * 1e6:12.1f}"
        )

    # vectorised: one call for a whole array of points (numdifftools loops inside)
    xs_big = np.linspace(-4.0, 4.0, 10_000)
    print(f"\nOne call on {xs_big.size} points (sigmoid), median of {args.repeats} runs:")
    for m in METHODS:
        runs = timeit.repeat(
            lambda m=m: derivative(f_time, xs_big, method=m), number=1, repeat=args.repeats
        )
        print(f"  calcml {m:11s} {statistics.median(runs) * 1e3:8.2f} ms")


if __name__ == "__main__":
    main()
