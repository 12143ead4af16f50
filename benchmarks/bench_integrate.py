"""calcml.integrate against SciPy and SymPy: evaluation counts of quad, time of the explainer.

**quad vs scipy.integrate.quad** — for each integrand, at the same relative tolerance
``1e-10`` (SciPy: ``epsabs=0, epsrel=1e-10, limit=1000``): evaluations of ``f`` and the
relative error against the exact value. Goal (lesson 10 issue): on smooth integrands
error ≤ 1e-10 with no more evaluations than SciPy; ≤ 1e-8 on endpoint singularities
and kinks (where SciPy's extrapolation needs fewer evaluations).

**integral_steps vs manualintegrate** — for a set of textbook integrals, the median over
``--repeats`` runs (SymPy's cache cleared before each) of SymPy's
``manualintegrate(f, x)`` (the answer, no explanation) and of ``integral_steps(f)``
(every step, the teacher's route, the simplified answer). Goal: median ≤ 200 ms, none
above 1 s.

Run: ``.venv/bin/python benchmarks/bench_integrate.py [--repeats 3]``
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
import warnings

import numpy as np

SMOOTH = [
    ("e^x on [0, 1]", np.exp, 0, 1, math.e - 1),
    ("1/(1+x^2) on [0, 5]", lambda x: 1 / (1 + x**2), 0, 5, math.atan(5)),
    ("Runge 1/(1+25x^2) on [-1, 1]", lambda x: 1 / (1 + 25 * x**2), -1, 1, 2 * math.atan(5) / 5),
    ("sin(10x)^2 on [0, pi]", lambda x: np.sin(10 * x) ** 2, 0, math.pi, math.pi / 2),
    ("e^(-x^2) on [-5, 5]", lambda x: np.exp(-(x**2)), -5, 5, math.sqrt(math.pi) * math.erf(5)),
    ("x^10 on [0, 1]", lambda x: x**10, 0, 1, 1 / 11),
    ("cos(30x) on [0, 1]", lambda x: np.cos(30 * x), 0, 1, math.sin(30) / 30),
    ("sigmoid on [-10, 10]", lambda x: 1 / (1 + np.exp(-x)), -10, 10, 10.0),
    ("x sin x on [0, 10]", lambda x: x * np.sin(x), 0, 10, math.sin(10) - 10 * math.cos(10)),
    ("1/(2+cos x) on [0, 2pi]", lambda x: 1 / (2 + np.cos(x)), 0, 2 * math.pi,
     2 * math.pi / math.sqrt(3)),
    ("normal pdf on [-3, 3]", lambda x: np.exp(-(x**2) / 2) / math.sqrt(2 * math.pi), -3, 3,
     math.erf(3 / math.sqrt(2))),
    ("e^(-x^2) on R", lambda x: np.exp(-(x**2)), -np.inf, np.inf, math.sqrt(math.pi)),
    ("1/(1+x^2) on [0, oo)", lambda x: 1 / (1 + x**2), 0, np.inf, math.pi / 2),
    ("x^2 e^-x on [0, oo)", lambda x: x**2 * np.exp(-x), 0, np.inf, 2.0),
]
HARD = [
    ("sqrt(x) on [0, 1]", np.sqrt, 0, 1, 2 / 3),
    ("1/sqrt(x) on [0, 1]", lambda x: 1 / np.sqrt(x), 0, 1, 2.0),
    ("ln x on [0, 1]", np.log, 0, 1, -1.0),
    ("|x - 1/3| on [0, 1]", lambda x: np.abs(x - 1 / 3), 0, 1, 5 / 18),
    ("x^-1.5 on [1, oo)", lambda x: x**-1.5, 1, np.inf, 2.0),
    ("x^-0.9 on [0, 1]", lambda x: x**-0.9, 0, 1, 10.0),
    ("1/sqrt(1-x^2) on [-1, 1]", lambda x: 1 / np.sqrt(1 - x**2), -1, 1, math.pi),
    ("e^-x/sqrt(x) on [0, oo)", lambda x: np.exp(-x) / np.sqrt(x), 0, np.inf,
     math.sqrt(math.pi)),
]
TEXTBOOK = [
    "x*exp(x)", "exp(x)*sin(x)", "1/(x*(x+1))", "x*cos(x^2)", "log(x)", "1/(1+x^2)",
    "sin(x)^2", "sin(x)^3", "x^2*exp(-x)", "1/(1+exp(-x))", "exp(-x^2)", "x/(x^2+1)",
    "(2*x+3)/(x^2+3*x+2)", "1/(x^2-1)", "tan(x)", "x^3*log(x)", "atan(x)", "sqrt(1-x^2)",
    "exp(x)/(1+exp(x))", "1/(x^2+2*x+5)", "cos(x)^4", "(x^3+1)/(x^2-1)", "x*sin(x)",
    "1/(x*log(x))", "exp(-x)/(1+exp(-x))^2", "x^5*exp(x^3)", "1/((x-1)*(x-2)*(x-3))",
    "sin(2*x)*cos(3*x)", "x*sqrt(x+1)", "sec(x)^2", "(x+1)/(x^2+1)^2",
]


def quad_table() -> None:
    from scipy.integrate import quad as scipy_quad

    from calcml.integrate import quad

    print(f"{'integrand':32} {'calcml':>7} {'SciPy':>7} {'ratio':>6}  {'rel. error':>10} "
          f"{'SciPy err':>10}")
    for title, cases in (("smooth", SMOOTH), ("singular ends, kinks", HARD)):
        print(f"-- {title}")
        ratios = []
        for name, f, a, b, exact in cases:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                ours = quad(f, a, b, tol=1e-10)
                value, _err, info = scipy_quad(f, a, b, epsabs=0, epsrel=1e-10, limit=1000,
                                               full_output=1)[:3]
            ratios.append(ours.n_evals / info["neval"])
            flag = "" if ours.converged else "  (not converged)"
            print(f"{name:32} {ours.n_evals:7d} {info['neval']:7d} {ratios[-1]:6.2f}  "
                  f"{abs(ours.value - exact) / abs(exact):10.1e} "
                  f"{abs(value - exact) / abs(exact):10.1e}{flag}")
        print(f"   median ratio of evaluations (calcml/SciPy): {statistics.median(ratios):.2f}, "
              f"largest {max(ratios):.2f}")


def steps_table(repeats: int) -> None:
    import sympy as sp
    from sympy.core.cache import clear_cache
    from sympy.integrals.manualintegrate import manualintegrate

    from calcml.integrate import integral_steps
    from calcml.parsing import parse_expression

    integral_steps("x*exp(x)")  # warm-up (printers, SymPy's lazily built tables)
    x = sp.Symbol("x", real=True)
    rows = []
    for text in TEXTBOOK:
        f = parse_expression(text).xreplace({sp.Symbol("x"): x})
        t_mi, t_st = [], []
        for _ in range(repeats):
            clear_cache()
            start = time.perf_counter()
            manualintegrate(f, x)
            t_mi.append(time.perf_counter() - start)
            clear_cache()
            start = time.perf_counter()
            s = integral_steps(text)
            t_st.append(time.perf_counter() - start)
        rows.append((text, statistics.median(t_mi), statistics.median(t_st), s.rules()[0]))
    print(f"{'integrand':26} {'manualintegrate':>15} {'integral_steps':>14}  first rule")
    for text, a, b, rule in rows:
        print(f"{text:26} {a * 1e3:12.0f} ms {b * 1e3:11.0f} ms  {rule}")
    mi = [r[1] for r in rows]
    st = [r[2] for r in rows]
    print(f"median: manualintegrate {statistics.median(mi) * 1e3:.0f} ms, integral_steps "
          f"{statistics.median(st) * 1e3:.0f} ms; slowest: manualintegrate {max(mi) * 1e3:.0f} ms, "
          f"integral_steps {max(st) * 1e3:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print("== quad: evaluations at tol = 1e-10 ==")
    quad_table()
    print("\n== integral_steps: time on textbook integrals ==")
    steps_table(args.repeats)


if __name__ == "__main__":
    main()
