"""Figures used by the lessons. Each helper draws on ``ax`` (a new one if ``None``) and
returns it; none calls ``plt.show()`` or saves a file.

Lesson 01 (``notebooks/01-functions-and-limits``):

* :func:`plot_functions` — several functions on one axes (the activation gallery);
* :func:`plot_limit_approach` — points from both sides closing in on a limit;
* :func:`plot_one_sided` — jumps and kinks: one-sided limits and one-sided slopes;
* :func:`plot_epsilon_delta` — the ε band, the δ strip and the graph inside the box;
* :func:`plot_squeeze` — a function trapped between two others;
* :func:`plot_unit_circle_areas` — the two triangles and the sector behind sin x ≤ x ≤ tan x;
* :func:`plot_relative_errors` — errors against ``x`` on log-log axes.

Matplotlib is imported inside the functions, so importing this module is cheap.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from calcml.figures._common import (
    _axes,
    _axes_lines,
    _check_f,
    _check_interval,
    _check_point,
    _hollow,
    _log_curves,
    _log_scale,
    _name,
    _positive,
    _values,
)

__all__ = [
    "LEFT_COLOUR",
    "RIGHT_COLOUR",
    "plot_epsilon_delta",
    "plot_functions",
    "plot_limit_approach",
    "plot_one_sided",
    "plot_relative_errors",
    "plot_squeeze",
    "plot_unit_circle_areas",
]

LEFT_COLOUR = "C0"  # points approaching from the left, in every figure
RIGHT_COLOUR = "C1"  # ... and from the right


def _legend(ax, where: str) -> None:
    """A legend ``"best"`` placed by Matplotlib, or ``"below"`` the axes (off the data)."""
    if where == "below":
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, fontsize="small",
                  frameon=False)
    elif where == "best":
        ax.legend(loc="best", fontsize="small")
    else:
        raise ValueError(f"legend must be 'best' or 'below', got {where!r}")


def plot_functions(functions, *, xlim=(-4.0, 4.0), num: int = 801, hlines: Sequence = (),
                   log_y: bool = False, styles: Mapping | None = None,
                   jumps: Mapping | None = None, ylabel: str = "f(x)", legend: str = "best",
                   ax=None):
    """Plot several functions of ``x`` on one axes, with a legend.

    The curves are drawn in the given order, so a later curve lies on top of an earlier
    one; give a curve that others may hide a distinct style (e.g. dashed) and put it last.

    Parameters
    ----------
    functions : mapping of label to callable, or sequence of callables
        The curves (each called on an array; labels default to ``__name__``).
    xlim : (float, float)
        The interval plotted.
    num : int
        Number of sample points.
    hlines : sequence of float
        Heights of dashed horizontal lines, e.g. asymptotes ``(0, 1)``.
    log_y : bool
        A logarithmic y axis (for quantities that shrink exponentially).
    styles : mapping of label to dict, optional
        Matplotlib line properties for some curves, e.g. ``{"ReLU": {"color": "k",
        "linestyle": "--"}}``; they override the default ``linewidth=2``.
    jumps : mapping of label to sequence of float, optional
        Points where a curve jumps, e.g. ``{"step": [0.0]}``: the curve is left
        unjoined there (no vertical segment bridges the jump).
    ylabel : str
        The name of the y axis.
    legend : {"best", "below"}
        Where the legend goes: chosen by Matplotlib, or below the axes, off the data.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    if isinstance(functions, Mapping):
        items = list(functions.items())
    elif callable(functions):
        items = [(_name(functions), functions)]
    else:
        items = [(_name(f), f) for f in functions]
    if not items:
        raise ValueError("functions is empty: give at least one function to plot")
    for label, f in items:
        _check_f(f, f"the function {label!r}")
    lo, hi = _check_interval(xlim, "xlim")
    labels = {label for label, _ in items}
    styles, jumps = dict(styles or {}), dict(jumps or {})
    for name, option in (("styles", styles), ("jumps", jumps)):
        unknown = sorted(set(option) - labels)
        if unknown:
            raise ValueError(f"{name} names {unknown}, which are not among the functions' "
                             f"labels {sorted(labels)}")
    ax = _axes(ax)
    xs = np.linspace(lo, hi, num)
    for label, f in items:
        breaks = np.asarray(jumps.get(label, ()), dtype=float)
        xc = np.union1d(xs, breaks)  # the jump points are sampled, then left as gaps
        ys = np.array(_values(f, xc), dtype=float)  # a copy: gaps are written in
        ys[np.isin(xc, breaks)] = np.nan
        ax.plot(xc, ys, label=label, **({"linewidth": 2} | dict(styles.get(label, {}))))
    for y in hlines:
        ax.axhline(float(y), color="0.4", linestyle="--", linewidth=1)
    if log_y:
        _log_scale(ax, "y")
        ax.axvline(0, color="0.75", linewidth=0.8, zorder=0)
    else:
        _axes_lines(ax)
    ax.set_xlim(lo, hi)
    ax.set_xlabel("x")
    ax.set_ylabel(ylabel)
    _legend(ax, legend)
    return ax


def plot_limit_approach(f, a, *, L=None, h0: float = 1.0, num_points: int = 8, ax=None):
    """The graph of ``f`` near ``a`` with points from both sides closing in on ``(a, L)``.

    The points are at ``a ± h0 / 2**k`` for ``k = 0 .. num_points - 1``: left ones in
    :data:`LEFT_COLOUR`, right ones in :data:`RIGHT_COLOUR`. The limit is drawn as an
    open circle — ``f`` need not be defined at ``a`` itself.

    Parameters
    ----------
    f : callable
    a : float
        The point approached (finite).
    L : float, optional
        The limit; by default the estimate of :func:`calcml.limits.numeric_limit`
        (no circle is drawn if it finds none).
    h0 : float
        The farthest distance from ``a``; the plot spans ``a ± 1.25 h0``.
    num_points : int
        Points per side.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    from calcml.limits import numeric_limit

    _check_f(f)
    a = _check_point(a)
    h0 = _positive(h0, "h0")
    if isinstance(num_points, bool) or not isinstance(num_points, int) or num_points < 1:
        raise ValueError(f"num_points must be a positive integer, got {num_points!r}")
    if L is None:
        L = float(numeric_limit(f, a))
    ax = _axes(ax)
    xs = np.linspace(a - 1.25 * h0, a + 1.25 * h0, 801)
    xs = xs[np.abs(xs - a) > 1e-9 * h0]  # f may be undefined at a itself
    ax.plot(xs, _values(f, xs), color="0.35", linewidth=1.5, label=f"{_name(f)}(x)")
    hs = h0 / 2.0 ** np.arange(num_points)
    for side, sign, colour in (("left", -1, LEFT_COLOUR), ("right", 1, RIGHT_COLOUR)):
        px = a + sign * hs
        ax.scatter(px, _values(f, px), color=colour, zorder=4, s=30,
                   label=f"x → {a:g} from the {side}")
    if L is not None and math.isfinite(L):
        _hollow(ax, a, L, "k", label=f"limit ≈ {L:.4g}")
    ax.axvline(a, color="0.6", linestyle=":", linewidth=1)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.legend(loc="best", fontsize="small")
    return ax


def plot_one_sided(f, a, *, xlim=None, slopes: bool = False, legend: str = "below", ax=None):
    """Jumps and kinks: ``f`` on each side of ``a`` with its one-sided limits.

    Each side is drawn as its own curve (no line bridges a jump). Open circles mark
    the one-sided limits, a filled dot the value ``f(a)`` (if defined). With
    ``slopes=True`` dashed lines show the one-sided tangents, with slopes
    :math:`\\lim_{h\\to 0^\\pm} (f(a+h) - f(a))/h`, across the whole plot: where two
    different tangents cross, the graph has a kink.

    Parameters
    ----------
    f : callable
    a : float
    xlim : (float, float), optional
        Default ``(a - 2, a + 2)``.
    slopes : bool
        Draw the one-sided tangent lines (needs ``f(a)`` defined).
    legend : {"below", "best"}
        Below the axes (default: the tangents cross the whole plot, so no corner is free),
        or placed by Matplotlib.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    from calcml.limits import numeric_limit

    _check_f(f)
    a = _check_point(a)
    lo, hi = _check_interval((a - 2, a + 2) if xlim is None else xlim, "xlim")
    if not lo < a < hi:
        raise ValueError(f"xlim {xlim!r} must contain a = {a:g}")
    ax = _axes(ax)
    fa = float(_values(f, np.array([a]))[0])
    for side, (x0, x1), colour in (("left", (lo, a), LEFT_COLOUR),
                                   ("right", (a, hi), RIGHT_COLOUR)):
        xs = np.linspace(x0, x1, 400)[slice(None, -1) if side == "left" else slice(1, None)]
        ax.plot(xs, _values(f, xs), color=colour, linewidth=2)
        limit = numeric_limit(f, a, side).value
        if math.isfinite(limit):
            sup = "⁻" if side == "left" else "⁺"
            _hollow(ax, a, limit, colour, label=f"lim x→{a:g}{sup}: {limit:.3g}")
        if slopes and math.isfinite(fa):
            slope = numeric_limit(lambda h, fa=fa: (f(a + h) - fa) / h, 0.0, side).value
            if math.isfinite(slope):  # drawn across the whole range: a kink is where they cross
                t = np.array([lo, hi])
                ax.plot(t, fa + slope * (t - a), "--", color=colour, linewidth=1.2,
                        label=f"tangent from the {side}: slope {slope:.3g}")
    if math.isfinite(fa):
        ax.plot([a], [fa], "o", color="k", markersize=6, zorder=6, label=f"f({a:g}) = {fa:.3g}")
    ax.axvline(a, color="0.6", linestyle=":", linewidth=1)
    ax.set_xlim(lo, hi)
    ax.set_xlabel("x")
    ax.set_ylabel(f"{_name(f)}(x)")
    ax.set_title(_name(f))
    _legend(ax, legend)
    return ax


def plot_epsilon_delta(f, a, L, eps, delta, *, xlim=None, ylim=None, ax=None):
    """The ε–δ picture of :math:`\\lim_{x\\to a} f(x) = L`.

    A horizontal band of half-width ``eps`` around ``L``, a vertical strip of
    half-width ``delta`` around ``a``, and the graph of ``f``. Inside the strip the
    graph is green where it stays in the band and red where it leaves it; the title
    says whether this ``delta`` works for this ``eps`` (checked on a grid by
    :func:`calcml.limits.delta_works`).

    Parameters
    ----------
    f : callable
    a, L : float
        The point and the claimed limit.
    eps, delta : float
        Positive half-widths.
    xlim, ylim : (float, float), optional
        Keep these fixed when redrawing (e.g. in an interactive figure) so pictures
        compare; by default ``a ± max(2, 1.5 delta)`` and the range of ``f`` there.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    from matplotlib.patches import Rectangle

    from calcml.limits import delta_works

    _check_f(f)
    a, L = _check_point(a), _check_point(L, "L")
    eps, delta = _positive(eps, "eps"), _positive(delta, "delta")
    half = max(2.0, 1.5 * delta)
    lo, hi = _check_interval((a - half, a + half) if xlim is None else xlim, "xlim")
    ax = _axes(ax)
    xs = np.linspace(lo, hi, 1201)
    ys = _values(f, xs)
    ax.axhspan(L - eps, L + eps, color="tab:green", alpha=0.15, linewidth=0)
    ax.axvspan(a - delta, a + delta, color="tab:blue", alpha=0.12, linewidth=0)
    ax.add_patch(Rectangle((a - delta, L - eps), 2 * delta, 2 * eps, fill=False,
                           edgecolor="k", linewidth=1.2))
    ax.plot(xs, ys, color="0.5", linewidth=1.2)
    inside_strip = np.abs(xs - a) < delta
    in_band = np.abs(ys - L) < eps
    for mask, colour in ((inside_strip & in_band, "tab:green"),
                         (inside_strip & ~in_band, "tab:red")):
        ax.plot(xs, np.where(mask, ys, np.nan), color=colour, linewidth=3)
    _hollow(ax, a, L, "k")
    works = delta_works(f, a, L, eps, delta)
    verdict = ("every x in the strip stays in the band ✓" if works
               else "some x in the strip leave the band ✗")
    ax.set_title(f"ε = {eps:.3g}, δ = {delta:.3g}: {verdict}", fontsize="medium")
    ax.set_xlim(lo, hi)
    if ylim is not None:
        ax.set_ylim(*_check_interval(ylim, "ylim"))
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    return ax


def plot_squeeze(lower, f, upper, a, *, xlim=None, labels=None, ax=None):
    """The squeeze theorem: ``lower <= f <= upper`` near ``a``, and both bounds meet.

    The region between the bounds is shaded; the common limit of the bounds at ``a``
    is marked with an open circle, which ``f`` cannot escape.

    Parameters
    ----------
    lower, f, upper : callable
    a : float
    xlim : (float, float), optional
        Default ``(a - 3, a + 3)``.
    labels : (str, str, str), optional
        Legend entries for lower, f, upper.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    for g, name in ((lower, "lower"), (f, "f"), (upper, "upper")):
        _check_f(g, name)
    a = _check_point(a)
    lo, hi = _check_interval((a - 3, a + 3) if xlim is None else xlim, "xlim")
    names = labels or (_name(lower), _name(f), _name(upper))
    if len(names) != 3:
        raise ValueError(f"labels must name lower, f and upper, got {labels!r}")
    ax = _axes(ax)
    xs = np.linspace(lo, hi, 1201)
    xs = xs[xs != a]
    y_lo, y, y_hi = _values(lower, xs), _values(f, xs), _values(upper, xs)
    ax.fill_between(xs, y_lo, y_hi, color="tab:purple", alpha=0.12, linewidth=0)
    ax.plot(xs, y_lo, color="tab:purple", linestyle="--", label=names[0])
    ax.plot(xs, y_hi, color="tab:purple", linestyle=":", label=names[2])
    ax.plot(xs, y, color="k", linewidth=2, label=names[1])
    meet = _values(upper, np.array([a]))[0]
    if math.isfinite(meet):
        _hollow(ax, a, meet, "tab:purple")
    ax.set_xlim(lo, hi)
    ax.set_xlabel("x")
    ax.set_ylabel("y")
    ax.legend(loc="best", fontsize="small")
    return ax


def plot_unit_circle_areas(x: float = 0.9, ax=None):
    """Why sin x ≤ x ≤ tan x for 0 < x < π/2 (``x`` in radians): three nested areas.

    On the unit circle, the angle ``x`` cuts off an arc of length ``x`` (that is what an
    angle in radians measures). The small triangle (0, 0), (1, 0), (cos x, sin x) of area
    ½ sin x lies inside the circular sector of area ½ x, which lies inside the large
    triangle (0, 0), (1, 0), (1, tan x) of area ½ tan x. Each region is shaded and named
    with its area in the legend.

    Parameters
    ----------
    x : float
        The angle in radians, strictly between 0 and π/2.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    from matplotlib.patches import Polygon, Wedge

    x = _check_point(x, "x")
    if not 0 < x < math.pi / 2:
        raise ValueError(f"x must be an angle in radians strictly between 0 and π/2, got {x}")
    ax = _axes(ax)
    c, s, t = math.cos(x), math.sin(x), math.tan(x)
    circle = np.linspace(0, math.pi / 2, 200)
    ax.plot(np.cos(circle), np.sin(circle), color="0.5", linewidth=1, label="unit circle")
    ax.add_patch(Polygon([(0, 0), (1, 0), (1, t)], closed=True, facecolor="tab:orange",
                         alpha=0.25, edgecolor="tab:orange", linewidth=1.5,
                         label=f"large triangle: area ½ tan x = {t / 2:.3f}"))
    ax.add_patch(Wedge((0, 0), 1, 0, math.degrees(x), facecolor="tab:green", alpha=0.3,
                       edgecolor="tab:green", linewidth=1.5,
                       label=f"sector: area ½ x = {x / 2:.3f}"))
    ax.add_patch(Polygon([(0, 0), (1, 0), (c, s)], closed=True, facecolor="tab:blue",
                         alpha=0.35, edgecolor="tab:blue", linewidth=1.5,
                         label=f"small triangle: area ½ sin x = {s / 2:.3f}"))
    ax.plot([c, c], [0, s], ":", color="tab:blue", linewidth=1)  # the height sin x
    ax.annotate("sin x", (c, s / 2), xytext=(-6, 0), textcoords="offset points",
                ha="right", va="center", color="tab:blue")
    ax.annotate("tan x", (1, t / 2), xytext=(6, 0), textcoords="offset points",
                ha="left", va="center", color="tab:orange")
    ax.annotate(f"angle x = {x:g} rad", (0, 0), xytext=(0.18, 0.04), ha="left", va="bottom")
    top = max(1.05, t + 0.05)
    ax.annotate("arc of length x", (math.cos(0.8 * x), math.sin(0.8 * x)),
                xytext=(1.12, 0.8 * top), ha="left", va="center", color="tab:green",
                arrowprops={"arrowstyle": "->", "color": "tab:green"})
    ax.set_xlim(-0.05, 1.75)
    ax.set_ylim(-0.05, top)
    ax.set_aspect("equal")
    ax.set_xlabel("first coordinate")
    ax.set_ylabel("second coordinate")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=1, fontsize="small",
              frameon=False)
    return ax


def plot_relative_errors(xs, errors: Mapping[str, np.ndarray], *, guides=None, ax=None):
    """Relative errors against ``x`` on log-log axes, with machine epsilon marked.

    An error of exactly 0 (the formula happened to round to the true value) cannot be
    drawn on a log axis; it is shown at half of machine epsilon, below the dotted line,
    as a **hollow** marker ("no error visible in double precision"), and the legend
    gets an entry "error 0 (drawn at ε_mach/2)". Non-zero errors have filled markers.

    Parameters
    ----------
    xs : array_like
        Positive points.
    errors : mapping of label to array_like
        Relative errors at ``xs``, one curve each.
    guides : mapping of label to array_like, optional
        Reference curves drawn dashed (e.g. the predicted ``eps / x**2``).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    xs = _log_curves(xs, errors, "xs")
    ax = _axes(ax)
    machine_eps = np.finfo(float).eps
    any_zero = False
    for label, err in errors.items():
        err = np.asarray(err, dtype=float)
        if err.shape != xs.shape:
            raise ValueError(f"errors[{label!r}] has shape {err.shape}, xs has {xs.shape}")
        zero = err == 0
        line, = ax.plot(xs, np.where(zero, machine_eps / 2, err), "o-", markersize=3,
                        markevery=~zero, label=label)  # filled markers: real errors only
        if zero.any():
            any_zero = True
            ax.plot(xs[zero], np.full(int(zero.sum()), machine_eps / 2), "o", markersize=4,
                    markerfacecolor="white", markeredgecolor=line.get_color(),
                    linestyle="none", zorder=line.get_zorder() + 0.1)
    for label, g in (guides or {}).items():
        ax.plot(xs, np.asarray(g, dtype=float), "--", color="0.4", linewidth=1, label=label)
    _log_scale(ax, "x")
    _log_scale(ax, "y")
    ax.axhline(machine_eps, color="0.5", linestyle=":", linewidth=1,
               label="machine epsilon")
    if any_zero:  # a legend entry only: the hollow markers themselves carry no label
        ax.plot([], [], "o", markersize=4, markerfacecolor="white", markeredgecolor="0.3",
                linestyle="none", label="error 0 (drawn at ε_mach/2)")
    ax.set_xlabel("x")
    ax.set_ylabel("relative error")
    ax.legend(loc="best", fontsize="small")
    return ax
