"""How long does a convergence verdict take, next to SymPy's ``Sum.is_convergent``, and
which of the two is right?

For a set of textbook series with known answers (those of ``tests/test_series.py``),
the median over ``--repeats`` runs (SymPy's cache cleared before each) of:

``calcml``  ``calcml.series.convergence(term, start=...)`` — the verdict with its steps,
            under its default time limit of 1 s
``sympy``   ``Sum(term, (n, start, oo)).is_convergent()`` — SymPy's answer, stopped after
            ``--sympy-limit`` seconds (then counted as that many seconds, no answer)

Target (lesson 09 issue): the median verdict time at most SymPy's median on the same set,
and no verdict above 1 s. Also printed: how many verdicts each gets right, wrong, or
leaves undecided (calcml's ``None``; SymPy's exceptions and time-outs).

Run: ``.venv/bin/python benchmarks/bench_series.py [--repeats 3]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))


def main() -> None:
    import sympy as sp
    from sympy.core.cache import clear_cache
    from test_series import KNOWN

    from calcml.series import _deadline, _OutOfTime, convergence, parse_term

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sympy-limit", type=float, default=10.0)
    args = parser.parse_args()

    n = sp.Symbol("n", integer=True, positive=True)

    def ours(term, start):
        return convergence(term, start=start).converges

    def sympys(term, start):
        expr = parse_term(term).subs(sp.Symbol("n"), n)
        try:
            with _deadline(args.sympy_limit):
                answer = sp.Sum(expr, (n, start, sp.oo)).is_convergent()
        except _OutOfTime:
            return "time-out"
        except Exception:  # noqa: BLE001 — SymPy raises on some series
            return "error"
        return bool(answer) if answer in (sp.true, sp.false) else None

    def timed(fn, term, start):
        times, answer = [], None
        for _ in range(args.repeats):
            clear_cache()
            t0 = time.perf_counter()
            answer = fn(term, start)
            times.append(time.perf_counter() - t0)
        return statistics.median(times), answer

    ours("1/n^2", 1)  # warm-up: imports, mpmath, SymPy's first limit
    print(f"median of {args.repeats} runs, seconds; Python {sys.version.split()[0]}, "
          f"SymPy {sp.__version__}")
    print(f"{'series':24s}{'known':>7s}{'calcml':>9s}{'answer':>8s}{'sympy':>9s}{'answer':>10s}")
    ours_t, sympy_t = [], []
    tally = {"calcml": {"right": 0, "wrong": 0, "undecided": 0},
             "sympy": {"right": 0, "wrong": 0, "undecided": 0}}
    for term, start, known, _absolute in KNOWN:
        t_ours, a_ours = timed(ours, term, start)
        t_sympy, a_sympy = timed(sympys, term, start)
        ours_t.append(t_ours)
        sympy_t.append(t_sympy)
        for who, answer in (("calcml", a_ours), ("sympy", a_sympy)):
            key = "undecided" if not isinstance(answer, bool) else (
                "right" if answer is known else "wrong")
            tally[who][key] += 1
        print(f"{term:24s}{known!s:>7s}{t_ours:9.3f}{a_ours!s:>8s}{t_sympy:9.3f}"
              f"{a_sympy!s:>10s}{'  ← SymPy wrong' if a_sympy is (not known) else ''}")
    print(f"\n{'median over series':24s}{'':7s}{statistics.median(ours_t):9.3f}{'':8s}"
          f"{statistics.median(sympy_t):9.3f}")
    print(f"{'largest':24s}{'':7s}{max(ours_t):9.3f}{'':8s}{max(sympy_t):9.3f}")
    for who, counts in tally.items():
        print(f"{who}: {counts['right']} right, {counts['wrong']} wrong, "
              f"{counts['undecided']} undecided of {len(KNOWN)}")
    ratio = statistics.median(o / s for o, s in zip(ours_t, sympy_t, strict=True))
    print(f"median of per-series ratios calcml/sympy: {ratio:.2f}")


if __name__ == "__main__":
    main()
