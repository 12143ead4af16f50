"""How long does the step-by-step explainer take, next to SymPy's plain derivative?

For a set of textbook expressions (the kind lesson 03 and its exercises use), the
median over ``--repeats`` runs of:

``diff``          ``sympy.diff(expr, x)`` — the answer, no explanation, not simplified
``diff+simplify`` ``sympy.simplify(sympy.diff(expr, x))`` — the answer, simplified
``steps raw``     ``derivative_steps(expr, x, simplify=False)`` — every step, no tidying
``steps``         ``derivative_steps(expr, x)`` — every step and the tidied answer
``steps (str)``   ``derivative_steps(text)`` — the same from the learner's string (parsing)

Target (lesson 03 issue): a typical textbook expression well under 0.5 s. SymPy's
cache is cleared before every timed run; the first call in a process also pays the
warm-up of SymPy's printers, reported on its own.

Run: ``.venv/bin/python benchmarks/bench_symbolic.py [--repeats 7]``
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

TEXTBOOK = [
    "x^2*sin(x)", "exp(-x^2/2)", "1/(1+e^(-x))", "ln(x)", "x^x", "sin(x)/x",
    "sqrt(1 + x^2)", "3x^4 - 5x + 2", "tan(3x)", "atan(x^2)*e^x", "x*ln(x) - x",
    "(x^2 + 1)^3*cos(2x)", "ln(1 + e^x)", "x/(x^2 + 1)", "x^sin(x)", "asin(x/2)",
    "x*(1 + erf(x/sqrt(2)))/2", "e^(sin(x))*cos(x)^2", "(x + 1)/(x - 1)^2", "tanh(2x + 1)",
]  # fmt: skip


def median_time(fn, repeats: int) -> float:
    """Median seconds of ``fn()``, SymPy's cache cleared before each run.

    SymPy caches results (a repeated ``diff`` takes microseconds); a learner's new
    expression finds the cache cold, and so does every run here.
    """
    from sympy.core.cache import clear_cache

    times = []
    for _ in range(repeats):
        clear_cache()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def first_call_seconds() -> float:
    """derivative_steps' first call in a fresh process (after the imports)."""
    code = (
        "import sympy, time; from calcml.symbolic import derivative_steps; "
        "t = time.perf_counter(); derivative_steps('x^2*sin(x)'); "
        "print(time.perf_counter() - t)"
    )
    return float(subprocess.check_output([sys.executable, "-c", code], text=True))


def main() -> None:
    import sympy as sp

    from calcml.parsing import parse_expression
    from calcml.symbolic import derivative_steps

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    x = sp.Symbol("x", real=True)
    exprs = {t: parse_expression(t).subs(sp.Symbol("x"), x) for t in TEXTBOOK}
    derivative_steps(exprs[TEXTBOOK[0]], x)  # warm-up: SymPy's printers and caches

    methods = {
        "diff": lambda t: sp.diff(exprs[t], x),
        "diff+simplify": lambda t: sp.simplify(sp.diff(exprs[t], x)),
        "steps raw": lambda t: derivative_steps(exprs[t], x, simplify=False),
        "steps": lambda t: derivative_steps(exprs[t], x),
        "steps (str)": lambda t: derivative_steps(t),
    }
    print(
        f"median of {args.repeats} runs, milliseconds; Python {sys.version.split()[0]}, "
        f"SymPy {sp.__version__}"
    )
    print(f"{'expression':26s}" + "".join(f"{m:>15s}" for m in methods) + f"{'steps':>7s}")
    table = {m: [] for m in methods}
    for text in TEXTBOOK:
        row = {m: median_time(lambda f=f, t=text: f(t), args.repeats) for m, f in methods.items()}
        for m, seconds in row.items():
            table[m].append(seconds)
        n_steps = len(derivative_steps(exprs[text], x).steps)
        print(f"{text:26s}" + "".join(f"{1e3 * row[m]:15.2f}" for m in methods) + f"{n_steps:7d}")
    print(
        f"{'median over expressions':26s}"
        + "".join(f"{1e3 * statistics.median(table[m]):15.2f}" for m in methods)
    )
    print(f"{'largest':26s}" + "".join(f"{1e3 * max(table[m]):15.2f}" for m in methods))
    ratio = statistics.median(s / d for s, d in zip(table["steps"], table["diff"], strict=True))
    ratio_simplify = statistics.median(
        s / d for s, d in zip(table["steps"], table["diff+simplify"], strict=True)
    )
    print(
        f"\nsteps / diff: median ratio {ratio:.0f}×; steps / (diff + simplify): "
        f"{ratio_simplify:.2f}×"
    )
    print(f"largest 'steps (str)' time: {max(table['steps (str)']):.3f} s (target < 0.5 s)")
    print(f"first call in a fresh process (SymPy warm-up): {first_call_seconds():.3f} s")


if __name__ == "__main__":
    main()
