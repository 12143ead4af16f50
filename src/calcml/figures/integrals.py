"""Figures of lesson 10 (``notebooks/10-integrals-overview``). Each helper draws on ``ax``
(the current axes if ``None``) and returns it.

* :func:`plot_riemann_sum` — the strips of a left, right or midpoint Riemann sum under a
  curve, signed area shaded above and below the axis (the figure of the n slider);
* :func:`plot_area_function` — the area function A(x) = ∫_a^x f with f below it: the
  slope of A is f (the fundamental theorem);
* :func:`plot_rule_errors` — the error of integration rules against the number of
  points, on log-log axes, with slope guides (observed orders).

Matplotlib is imported inside the functions, so importing this module is cheap.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from calcml.figures._common import (
    _axes,
    _axes_lines,
    _check_f,
    _check_interval,
    _log_curves,
    _log_scale,
    _values,
)

__all__ = ["plot_area_function", "plot_riemann_sum", "plot_rule_errors"]

POSITIVE, NEGATIVE = "tab:blue", "tab:red"  # signed area: above and below the axis


def plot_riemann_sum(f, a: float, b: float, n: int, rule: str = "left", *, ax=None):
    """The ``n`` strips of a Riemann sum of ``f`` on [a, b] under the graph of ``f``.

    Each strip's height is ``f`` at its left end, right end or midpoint (``rule``),
    marked by a dot; strips above the axis are blue, below red (signed area). The title
    gives the sum, so that the slider shows it approach the integral.
    """
    from calcml.integrate import riemann_sum

    _check_f(f)
    a, b = _check_interval((a, b), "the interval (a, b)")
    value = riemann_sum(f, a, b, n, rule)  # checks n and rule
    ax = _axes(ax)
    h = (b - a) / n
    offset = {"left": 0.0, "right": 1.0, "midpoint": 0.5}[rule]
    lefts = a + np.arange(n) * h
    tags = lefts + offset * h
    heights = _values(f, tags)
    colours = np.where(heights >= 0, POSITIVE, NEGATIVE)
    ax.bar(lefts, heights, width=h, align="edge", color=colours, alpha=0.35,
           edgecolor="black", linewidth=0.6 if n <= 60 else 0)
    if n <= 60:
        ax.plot(tags, heights, "o", color="black", markersize=3, label=f"height: f at the {rule}"
                + (" point" if rule == "midpoint" else " end"))
    xs = np.linspace(a, b, 600)
    ax.plot(xs, _values(f, xs), color="black", linewidth=2, label="y = f(x)")
    _axes_lines(ax)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.set_title(f"{rule} sum, n = {n}: {value:.6f}")
    ax.legend(loc="upper left", fontsize="small")
    return ax


def plot_area_function(f, a: float, b: float, *, x0: float | None = None, axes=None):
    """Two panels: f with the area from a to x0 shaded, and the area function
    A(x) = ∫_a^x f(t) dt (trapezoid rule on a fine grid) with its tangent at x0, whose
    slope is f(x0) — the fundamental theorem of calculus, seen.

    ``axes`` is a pair of axes (top: f, bottom: A); by default a new figure.
    """
    import matplotlib.pyplot as plt

    _check_f(f)
    a, b = _check_interval((a, b), "the interval (a, b)")
    x0 = (a + b) / 2 if x0 is None else float(x0)
    if not a < x0 <= b:
        raise ValueError(f"x0 must lie in ({a}, {b}], got {x0}")
    if axes is None:
        _fig, axes = plt.subplots(2, 1, figsize=(7, 6), sharex=True)
    top, bottom = axes
    xs = np.linspace(a, b, 1201)
    ys = _values(f, xs)
    area = np.concatenate([[0.0], np.cumsum((ys[1:] + ys[:-1]) / 2 * np.diff(xs))])
    top.plot(xs, ys, color="black", linewidth=2, label="y = f(t)")
    shade = xs <= x0
    top.fill_between(xs[shade], ys[shade], color=POSITIVE, alpha=0.3,
                     label=f"A({x0:g}) = area from {a:g} to {x0:g}")
    top.axvline(x0, color="0.5", linestyle=":")
    _axes_lines(top)
    top.set_ylabel("f(t)")
    top.legend(loc="upper left", fontsize="small")
    A0 = float(np.interp(x0, xs, area))
    slope = float(_values(f, np.array([x0]))[0])
    bottom.plot(xs, area, color=POSITIVE, linewidth=2, label="A(x) = ∫ f from a to x")
    half = (b - a) / 6
    tx = np.array([x0 - half, x0 + half])
    bottom.plot(tx, A0 + slope * (tx - x0), "--", color="tab:orange",
                label=f"tangent at x = {x0:g}: slope f({x0:g}) = {slope:.3g}")
    bottom.plot([x0], [A0], "o", color="tab:orange")
    bottom.axvline(x0, color="0.5", linestyle=":")
    _axes_lines(bottom)
    bottom.set_xlabel("x")
    bottom.set_ylabel("A(x)")
    bottom.legend(loc="upper left", fontsize="small")
    return axes


def plot_rule_errors(ns, errors: Mapping[str, np.ndarray], *, guides: Mapping[str, int] | None = None,
                     ax=None):
    """|error| of integration rules against the number of strips n, on log-log axes.

    ``guides`` maps a label to an order p: a dashed line ∝ n^(−p) starting 4 times above
    the first point of the curve of the same label (the slope an order-p rule should
    follow, drawn beside the curve rather than on it).
    Exact zeros are drawn at 1e-17.
    """
    ns = _log_curves(ns, errors, "ns")
    ax = _axes(ax)
    markers = "osD^v<>"
    for k, (label, err) in enumerate(errors.items()):
        err = np.asarray(err, dtype=float)
        if err.shape != ns.shape:
            raise ValueError(f"errors[{label!r}] has shape {err.shape}, ns has {ns.shape}")
        err = np.where(err > 0, err, 1e-17)
        ax.plot(ns, err, marker=markers[k % len(markers)], markersize=4, color=f"C{k}",
                label=label)
        if guides and label in guides:
            p = guides[label]
            ax.plot(ns, 4 * err[0] * (ns / ns[0]) ** (-p), linestyle="--", color=f"C{k}",
                    linewidth=1, label=f"slope −{p}")
    _log_scale(ax, "x")
    _log_scale(ax, "y")
    ax.set_xlabel("number of strips n")
    ax.set_ylabel("|error|")
    ax.legend(loc="lower left", fontsize="small", ncol=2)
    return ax
