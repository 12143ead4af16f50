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
import warnings
from collections.abc import Callable

import mpmath
import numpy as np
import sympy as sp

from calcml.numdiff import METHODS, derivative, hessian

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

    near_edges(args.repeats)
    hessians(args.repeats)


def near_edges(repeats: int) -> None:
    """Accuracy at distances 1e-9 ... 1e-1 from where log and sqrt stop being finite."""
    distances = np.logspace(-9, -1, 17)
    print(
        f"\nNear a domain edge: relative error at {distances.size} distances 1e-9 … 1e-1 "
        "from 0 (median / max)"
    )
    rows = {
        "calcml central": lambda f, x: derivative(f, x),
        "calcml richardson": lambda f, x: derivative(f, x, method="richardson"),
    }
    try:
        import numdifftools as nd

        rows["numdifftools central"] = lambda f, x: np.array(
            [float(nd.Derivative(f)(t)) for t in x]
        )
    except ImportError:
        pass
    for name, method in rows.items():
        cells = []
        for f, df in ((np.log, lambda x: 1 / x), (np.sqrt, lambda x: 0.5 / np.sqrt(x))):
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")  # numdifftools warns of its NaN slices
                errs = np.abs(np.asarray(method(f, distances)) / df(distances) - 1)
            finite = errs[np.isfinite(errs)]
            nan = f", NaN at {errs.size - finite.size}" if finite.size < errs.size else ""
            cells.append(f"{np.median(finite):8.1e} / {finite.max():7.1e}{nan}")
        print(f"  {name:22s} log: {cells[0]}   sqrt: {cells[1]}")


def _plain_hessian(f, x):
    """The Hessian as calcml computed it before issue 8: second differences at eps**(1/4)."""
    h = (x + np.finfo(float).eps ** 0.25 * np.maximum(1, np.abs(x))) - x
    n = x.size

    def at(*moves):
        p = x.copy()
        for i, step in moves:
            p[i] += step
        return f(p)

    H = np.empty((n, n))
    for i in range(n):
        H[i, i] = (at((i, h[i])) - 2 * at() + at((i, -h[i]))) / h[i] ** 2
        for j in range(i):
            H[i, j] = H[j, i] = (
                at((i, h[i]), (j, h[j]))
                - at((i, h[i]), (j, -h[j]))
                - at((i, -h[i]), (j, h[j]))
                + at((i, -h[i]), (j, -h[j]))
            ) / (4 * h[i] * h[j])
    return H


def _hessian_cases():
    rng = np.random.default_rng(0)
    cases = []

    def rosenbrock(v):
        return (1 - v[0]) ** 2 + 100 * (v[1] - v[0] ** 2) ** 2

    def rosenbrock_h(v):
        return np.array([[2 - 400 * (v[1] - 3 * v[0] ** 2), -400 * v[0]], [-400 * v[0], 200]])

    cases += [
        ("Rosenbrock", rosenbrock, rosenbrock_h, np.array(p))
        for p in ([-1.2, 1.0], [1.0, 1.0], [2.0, 3.0])
    ]
    X_data, y = rng.normal(size=(50, 10)), (rng.random(50) < 0.5).astype(float)

    def logistic(w):
        z = X_data @ w
        return np.mean(np.logaddexp(0, z) - y * z)

    def logistic_h(w):
        p = 1 / (1 + np.exp(-(X_data @ w)))
        return (X_data.T * (p * (1 - p))) @ X_data / len(y)

    cases += [("logistic, 10 weights", logistic, logistic_h, rng.normal(size=10)) for _ in range(3)]
    for size in (1e-3, 1.0, 1e3):
        for position in (1e-3, 1.0, 1e3):
            a = rng.normal(size=(4, 4))
            a = size * (a + a.T)
            b = rng.normal(size=4)
            cases.append(
                (
                    f"quadratic |A|~{size:g} |x|~{position:g}",
                    lambda v, a=a, b=b: 0.5 * v @ a @ v + b @ v,
                    lambda v, a=a: a,
                    position * rng.normal(size=4),
                )
            )
    return cases


def hessians(repeats: int) -> None:
    """calcml.numdiff.hessian against its previous form and numdifftools' Hessian."""
    contenders = {"calcml hessian": hessian, "plain, eps^(1/4) (before)": _plain_hessian}
    try:
        import numdifftools as nd

        contenders["numdifftools Hessian"] = lambda f, x: nd.Hessian(f)(x)
    except ImportError:
        pass
    cases = _hessian_cases()
    print(
        "\nHessians: relative error ‖H - H*‖/‖H*‖ (Rosenbrock, a logistic loss, quadratic "
        "forms at 9 scales)"
    )
    print(
        f"  {'method':28s} {'median':>8s} {'worst':>8s} {'f evals (n=2)':>14s} {'ms (n=10)':>10s}"
    )
    rosen_f, rosen_x = cases[0][1], cases[0][3]
    logistic_f, logistic_x = cases[3][1], cases[3][3]
    for name, method in contenders.items():
        errors = [
            np.linalg.norm(method(f, x) - H(x)) / np.linalg.norm(H(x)) for _, f, H, x in cases
        ]
        counted = Counted(rosen_f)
        method(counted, rosen_x.copy())
        runs = timeit.repeat(
            lambda method=method: method(logistic_f, logistic_x.copy()), number=1, repeat=repeats
        )
        print(
            f"  {name:28s} {np.median(errors):8.1e} {max(errors):8.1e} "
            f"{counted.points:>14d} {statistics.median(runs) * 1e3:10.1f}"
        )


if __name__ == "__main__":
    main()
