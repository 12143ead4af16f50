"""Figures of lesson 09 (``notebooks/09-taylor-series``): partial sums, the integral
test's rectangles, Taylor polynomials and what happens beyond the radius of convergence.

* :func:`plot_partial_sums` — S_N against N for several series, with their sums;
* :func:`plot_integral_test` — the terms a_n as unit-wide bars on the curve f(x);
* :func:`plot_taylor` — a function and its Taylor polynomial of one degree (the slider);
* :func:`plot_taylor_family` — several degrees at once, the interval of convergence shaded.

Each helper draws on ``ax`` (the current axes if ``None``) and returns it. Matplotlib
is imported inside the functions. The mathematics comes from :mod:`calcml.series`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from calcml.figures._common import _axes, _check_interval, _check_point

__all__ = ["plot_integral_test", "plot_partial_sums", "plot_taylor", "plot_taylor_family"]


def _legend_below(ax, ncol: int = 2) -> None:
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=ncol, fontsize="small",
              frameon=False)


def plot_partial_sums(series: Mapping, n_max: int = 50, *, start: int = 1,
                      sums: Mapping | None = None, log_x: bool = False, ax=None):
    """Partial sums S_N (N = start … n_max) of each ``label → term`` in ``series``.

    ``sums`` maps a label to the value the partial sums approach (drawn dashed, in the
    curve's colour). Terms are strings or SymPy expressions in ``n``
    (:func:`calcml.series.partial_sums` computes them stably).
    """
    from calcml.series import partial_sums

    if not isinstance(series, Mapping) or not series:
        raise TypeError("series must be a non-empty mapping of label to term, e.g. "
                        "{'1/n^2': '1/n^2'}")
    ax = _axes(ax)
    sums = dict(sums or {})
    for i, (label, term) in enumerate(series.items()):
        S = partial_sums(term, n_max, start=start)
        N = np.arange(start, n_max + 1)
        ax.plot(N, S, ".-" if n_max <= 60 else "-", ms=3, color=f"C{i}", label=f"Σ {label}")
        if label in sums:
            ax.axhline(float(sums[label]), color=f"C{i}", ls="--", lw=0.9,
                       label=f"limit of Σ {label}")
    if log_x:
        ax.set_xscale("log")
    ax.set_xlabel("N (number of terms)")
    ax.set_ylabel("partial sum $S_N$")
    _legend_below(ax)
    return ax


def plot_integral_test(f, n_max: int = 10, *, start: int = 1, xmax: float | None = None,
                       ax=None):
    """The terms f(n) as bars of width 1 on [n, n+1] under/over the curve y = f(x).

    With f decreasing, the bar on [n, n+1] has height f(n) ≥ f(x) there, so
    Σ_{n=start}^{N} f(n) ≥ ∫_start^{N+1} f(x) dx: a divergent integral forces a divergent
    series (and bars on [n−1, n] give the bound the other way).
    """
    if not callable(f):
        raise TypeError(f"f must be a function of x, got {type(f).__name__}")
    ax = _axes(ax)
    ns = np.arange(start, n_max + 1)
    heights = np.array([float(f(float(k))) for k in ns])
    ax.bar(ns, heights, width=1.0, align="edge", color="C0", alpha=0.35, edgecolor="C0",
           label="terms $a_n = f(n)$ (bar on $[n, n+1]$)")
    xs = np.linspace(start, xmax or n_max + 1, 400)
    ax.plot(xs, [float(f(float(t))) for t in xs], color="C1", lw=2, label="$y = f(x)$")
    ax.set_xlabel("x (and n)")
    ax.set_ylabel("y")
    _legend_below(ax)
    return ax


def plot_taylor(f, degree: int = 3, *, x0: float = 0.0, xlim=(-4.0, 4.0), ylim=None,
                ax=None):
    """``f`` (a string or SymPy expression in x) and its Taylor polynomial of ``degree`` at x0."""
    import sympy

    from calcml.series import taylor_polynomial

    lo, hi = _check_interval(xlim, "xlim")
    x0 = _check_point(x0, "x0")
    ax = _axes(ax)
    x = sympy.Symbol("x")
    T = taylor_polynomial(f, x0=sympy.nsimplify(x0), order=degree)
    from calcml.parsing import parse_expression

    F = sympy.lambdify(x, parse_expression(f), "numpy")
    P = sympy.lambdify(x, T, "numpy")
    xs = np.linspace(lo, hi, 600)
    with np.errstate(all="ignore"):
        ys = np.broadcast_to(np.asarray(F(xs), dtype=float), xs.shape)
        ps = np.broadcast_to(np.asarray(P(xs), dtype=float), xs.shape)
    ax.plot(xs, ys, color="k", lw=2.2, label=f"f(x) = {f}")
    ax.plot(xs, ps, color="C3", lw=1.6, ls="--", label=f"Taylor polynomial of degree {degree}")
    with np.errstate(all="ignore"):
        f0 = float(F(np.array([x0]))[0]) if np.ndim(F(np.array([x0]))) else float(F(x0))
    ax.plot([x0], [f0], "o", color="C3", ms=6, zorder=5, label=f"expansion point x0 = {x0:g}")
    if ylim is None:
        finite = ys[np.isfinite(ys)]
        spread = finite.max() - finite.min() if finite.size else 1.0
        ylim = (finite.min() - 0.3 * spread - 0.1, finite.max() + 0.3 * spread + 0.1)
    ax.set_ylim(*ylim)
    ax.set_xlim(lo, hi)
    ax.axhline(0, color="0.7", lw=0.8)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(f"degree {degree}")
    _legend_below(ax, ncol=1)
    return ax


def plot_taylor_family(f, degrees: Sequence[int], *, x0: float = 0.0, xlim=(-2.0, 2.0),
                       ylim=(-3.0, 3.0), radius: float | None = None, ax=None):
    """``f`` with its Taylor polynomials of several degrees; the interval |x − x0| < radius
    shaded: inside it the polynomials close in on f, outside they run away."""
    import sympy

    from calcml.parsing import parse_expression
    from calcml.series import taylor_polynomial

    lo, hi = _check_interval(xlim, "xlim")
    x0 = _check_point(x0, "x0")
    ax = _axes(ax)
    x = sympy.Symbol("x")
    F = sympy.lambdify(x, parse_expression(f), "numpy")
    xs = np.linspace(lo, hi, 600)
    if radius is not None:
        ax.axvspan(max(lo, x0 - radius), min(hi, x0 + radius), color="C2", alpha=0.12,
                   label=f"|x − {x0:g}| < R = {radius:g}")
    if not degrees or any(not isinstance(d, int) or d < 0 for d in degrees):
        raise ValueError(f"degrees must be whole numbers ≥ 0, got {degrees!r}")
    u = sympy.Symbol("u")
    highest = taylor_polynomial(f, x0=sympy.nsimplify(x0), order=max(degrees))
    in_u = sympy.Poly(sympy.expand(highest.subs(x, u + sympy.nsimplify(x0))), u)
    for i, d in enumerate(degrees):  # T_d is T_max cut after (x − x0)^d
        T_d = sum(c * (x - sympy.nsimplify(x0)) ** m for (m,), c in in_u.terms() if m <= d)
        P = sympy.lambdify(x, sympy.sympify(T_d), "numpy")
        with np.errstate(all="ignore"):
            ax.plot(xs, np.broadcast_to(np.asarray(P(xs), dtype=float), xs.shape),
                    color=f"C{i % 10}", lw=1.2, ls="--", label=f"degree {d}")
    with np.errstate(all="ignore"):
        ax.plot(xs, np.asarray(F(xs), dtype=float), color="k", lw=2.2, label=f"f(x) = {f}")
    ax.set_xlim(lo, hi)
    ax.set_ylim(*ylim)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    _legend_below(ax, ncol=3)
    return ax
