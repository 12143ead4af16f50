"""Figures of lesson 02 (``notebooks/02-derivatives-basics``): derivatives and their errors.

Each helper draws on ``ax`` (the current axes if ``None``) and returns it; none calls
``plt.show()`` or saves a file.

* :func:`plot_secant` — a secant through ``x0`` and ``x0 + h`` next to the tangent at ``x0``;
* :func:`plot_tangents` — a curve with short tangent segments and their slopes;
* :func:`plot_derivative_sign` — f and f' together, shaded where f rises and falls;
* :func:`plot_subgradients` — a kink and the lines through it that stay below the graph;
* :func:`plot_step_errors` — error against step h on log-log axes, best steps starred at
  their typical error, guide lines named in the legend;
* :func:`plot_errors_along_x` — errors of several methods against x (log scale), each
  with its own line style and markers so that identical curves stay visible.

Matplotlib is imported inside the functions, so importing this module is cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from calcml.figures._common import _axes, _check_f, _log_curves  # shared argument checks
from calcml.figures._common import _check_interval as _interval
from calcml.figures._common import _check_point as _number
from calcml.numdiff import EPS, best_step, derivative, typical_errors

__all__ = [
    "plot_derivative_sign",
    "plot_errors_along_x",
    "plot_secant",
    "plot_step_errors",
    "plot_subgradients",
    "plot_tangents",
]

CURVE_COLOUR = "C0"
SECANT_COLOUR = "C1"
TANGENT_COLOUR = "C3"
RISING_COLOUR = "tab:green"
FALLING_COLOUR = "tab:red"


def _curve(f: Callable, xs: np.ndarray) -> np.ndarray:
    ys = np.asarray(f(xs), dtype=float)
    if ys.shape != xs.shape:
        raise ValueError(
            f"f must act elementwise on an array: for x of shape {xs.shape} it "
            f"returned shape {ys.shape}"
        )
    return ys


def _legend_below(ax, ncol: int = 2) -> None:
    """The legend under the axes, off the data (curves and lines may fill every corner)."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=ncol, fontsize="small",
              frameon=False)


def _zero_lines(ax) -> None:
    ax.axhline(0, color="0.75", linewidth=0.8, zorder=0)
    ax.axvline(0, color="0.75", linewidth=0.8, zorder=0)


def plot_secant(f, x0, h, *, df=None, xlim=None, ax=None):
    """The secant through ``(x0, f(x0))`` and ``(x0 + h, f(x0 + h))``, and the tangent at x0.

    The secant's slope is the difference quotient ``(f(x0 + h) - f(x0)) / h``; as ``h``
    shrinks it turns into the tangent, whose slope is f'(x0). Both slopes appear in
    the legend.

    Parameters
    ----------
    f : callable
        Elementwise function.
    x0 : float
        Where the tangent touches.
    h : float
        The step, nonzero (negative: the second point is to the left).
    df : callable, optional
        The exact derivative; by default f'(x0) is computed with
        ``calcml.numdiff.derivative(f, x0, method="richardson")``.
    xlim : (float, float), optional
        Default ``(x0 - 2, x0 + 2)``, widened to show ``x0 + h``.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    _check_f(f)
    x0, h = _number(x0, "x0"), _number(h, "h")
    if h == 0:
        raise ValueError("h must be nonzero: the secant needs two different points")
    if xlim is None:
        xlim = (min(x0 - 2, x0 + h - 0.5), max(x0 + 2, x0 + h + 0.5))
    lo, hi = _interval(xlim, "xlim")
    ax = _axes(ax)
    xs = np.linspace(lo, hi, 400)
    y0, y1 = float(f(x0)), float(f(x0 + h))
    secant = (y1 - y0) / h
    tangent = float(df(x0)) if df is not None else derivative(f, x0, method="richardson")
    ax.plot(xs, _curve(f, xs), color=CURVE_COLOUR, linewidth=2, label="f")
    ax.plot(
        xs,
        y0 + secant * (xs - x0),
        color=SECANT_COLOUR,
        linewidth=1.5,
        label=f"secant, slope {secant:.4f}",
    )
    ax.plot(
        xs,
        y0 + tangent * (xs - x0),
        "--",
        color=TANGENT_COLOUR,
        linewidth=1.5,
        label=f"tangent, slope {tangent:.4f}",
    )
    ax.plot([x0, x0 + h], [y0, y1], "o", color=SECANT_COLOUR, zorder=5)
    ax.plot([x0, x0 + h, x0 + h], [y0, y0, y1], ":", color="0.4", linewidth=1)  # run and rise
    if abs(h) >= 0.12 * (hi - lo):  # a short run has no room for its name among the lines
        ax.annotate(
            "h",
            ((x0 + x0 + h) / 2, y0),
            textcoords="offset points",
            xytext=(0, -12),
            ha="center",
            color="0.3",
        )
    ys = _curve(f, xs)
    pad = 0.1 * (np.nanmax(ys) - np.nanmin(ys) + 1e-12)
    ax.set_ylim(np.nanmin(ys) - pad, np.nanmax(ys) + pad)
    ax.set_xlim(lo, hi)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    ax.set_title(f"h = {h:.3g}")
    _legend_below(ax, ncol=1)
    return ax


def plot_tangents(
    f,
    points: Sequence[float],
    *,
    xlim,
    width: float = 0.6,
    df=None,
    xlabel: str = "x",
    ylabel: str = "f(x)",
    ax=None,
):
    """The graph of ``f`` with a short tangent segment at each of ``points``, slopes written.

    Parameters
    ----------
    f : callable
        Elementwise function.
    points : sequence of float
        Where to draw tangents.
    xlim : (float, float)
        The interval plotted.
    width : float
        Horizontal length of each tangent segment.
    df : callable, optional
        Exact derivative; default ``calcml.numdiff.derivative(f, x, method="richardson")``.
    xlabel, ylabel : str
        Axis labels (e.g. ``"w"`` and ``"loss"``).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    _check_f(f)
    lo, hi = _interval(xlim, "xlim")
    points = [_number(p, "each point") for p in points]
    width = _number(width, "width")
    ax = _axes(ax)
    xs = np.linspace(lo, hi, 400)
    ax.plot(xs, _curve(f, xs), color=CURVE_COLOUR, linewidth=2)
    for p in points:
        slope = float(df(p)) if df is not None else derivative(f, p, method="richardson")
        y = float(f(p))
        colour = RISING_COLOUR if slope > 0 else FALLING_COLOUR if slope < 0 else "0.3"
        seg = np.array([p - width / 2, p + width / 2])
        ax.plot(seg, y + slope * (seg - p), color=colour, linewidth=2.5)
        ax.plot([p], [y], "o", color=colour, zorder=5)
        # the segment runs through two opposite corners around the point, and the curve
        # bends away from it on one side (above for a convex curve such as a loss, below
        # for a concave one such as log): the label takes the corner free of both
        ends = np.array([p - width / 2, p + width / 2])
        with np.errstate(all="ignore"):
            bend = np.nanmean(_curve(f, ends) - (y + slope * (ends - p)))
        below = not bend < 0  # the curve lies above its tangent: write below
        dy, va = (-9, "top") if below else (9, "bottom")
        if slope == 0:
            offset, ha = (0, dy), "center"
        elif (slope > 0) == below:
            offset, ha = (9, dy), "left"
        else:
            offset, ha = (-9, dy), "right"
        ax.annotate(
            f"slope {slope:.2f}",
            (p, y),
            textcoords="offset points",
            xytext=offset,
            ha=ha,
            va=va,
            color=colour,
            fontsize="small",
        )
    ax.set_xlim(lo, hi)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Start and end indices (inclusive) of the runs of True in ``mask``."""
    edges = np.flatnonzero(np.diff(np.r_[0, mask.astype(int), 0]))
    return list(zip(edges[::2], edges[1::2] - 1, strict=True))


def plot_derivative_sign(f, *, df=None, xlim, num: int = 801, ylabel: str = "f(x) and f'(x)",
                         ax=None):
    """``f`` and ``f'`` on one axes, shaded green where f' > 0 (f rises), red where f' < 0.

    The zeros of f' (sign changes on the grid, refined by linear interpolation) are
    marked on both curves: there the tangent is horizontal.

    Parameters
    ----------
    f : callable
        Elementwise function.
    df : callable, optional
        Its derivative; default ``calcml.numdiff.derivative(f, xs)`` (central differences).
    xlim : (float, float)
        The interval plotted.
    num : int
        Number of sample points.
    ylabel : str
        The name of the y axis.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    _check_f(f)
    lo, hi = _interval(xlim, "xlim")
    ax = _axes(ax)
    xs = np.linspace(lo, hi, num)
    ys = _curve(f, xs)
    slopes = _curve(df, xs) if df is not None else derivative(f, xs)
    for mask, colour, label in (
        (slopes > 0, RISING_COLOUR, "f' > 0: f rises"),
        (slopes < 0, FALLING_COLOUR, "f' < 0: f falls"),
    ):
        for k, (i, j) in enumerate(_runs(mask)):
            ax.axvspan(
                xs[i], xs[j], color=colour, alpha=0.12, linewidth=0, label=label if k == 0 else None
            )
    ax.plot(xs, ys, color=CURVE_COLOUR, linewidth=2, label="f")
    ax.plot(xs, slopes, color=TANGENT_COLOUR, linewidth=2, label="f'")
    change = np.flatnonzero(np.sign(slopes[:-1]) * np.sign(slopes[1:]) < 0)
    roots = xs[change] - slopes[change] * (xs[change + 1] - xs[change]) / (
        slopes[change + 1] - slopes[change]
    )
    roots = np.sort(np.r_[roots, xs[slopes == 0]])  # a zero that falls on the grid itself
    if roots.size:
        ax.plot(roots, np.zeros_like(roots), "o", color=TANGENT_COLOUR, zorder=5, label="f' = 0")
        ax.plot(roots, _curve(f, roots), "o", color=CURVE_COLOUR, zorder=5)
        for r in roots:
            ax.axvline(r, color="0.5", linestyle=":", linewidth=1)
    _zero_lines(ax)
    ax.set_xlim(lo, hi)
    ax.set_xlabel("x")
    ax.set_ylabel(ylabel)
    _legend_below(ax, ncol=3)
    return ax


#: colours and dash patterns of the lines of :func:`plot_subgradients`, in turn
SUBGRADIENT_COLOURS = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple",
                       "tab:brown"]
SUBGRADIENT_STYLES = ["-", "--", "-.", ":", (0, (6, 2, 1, 2)), (0, (10, 3))]


def plot_subgradients(f, x0, slopes: Sequence[float], *, xlim, ax=None):
    """A function with a kink at ``x0`` and the lines through ``(x0, f(x0))`` with ``slopes``.

    For a convex kink such as ``|x|`` or ReLU at 0, every slope between the left and the
    right derivative gives a line that touches the graph at x0 and stays below it: a
    *subgradient*. The set of them replaces the missing derivative.

    Parameters
    ----------
    f : callable
        Elementwise function.
    x0 : float
        The kink.
    slopes : sequence of float
        Slopes of the lines to draw.
    xlim : (float, float)
        The interval plotted.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    _check_f(f)
    x0 = _number(x0, "x0")
    lo, hi = _interval(xlim, "xlim")
    slopes = [_number(s, "each slope") for s in slopes]
    if not slopes:
        raise ValueError("slopes is empty: give at least one slope to draw")
    ax = _axes(ax)
    xs = np.linspace(lo, hi, 401)
    ys = _curve(f, xs)
    y0 = float(f(x0))
    for k, s in enumerate(slopes):  # distinct colours and dashes, not shades of one colour
        ax.plot(xs, y0 + s * (xs - x0), color=SUBGRADIENT_COLOURS[k % len(SUBGRADIENT_COLOURS)],
                linestyle=SUBGRADIENT_STYLES[k % len(SUBGRADIENT_STYLES)], linewidth=1.6,
                label=f"slope {s:g}")
    ax.plot(xs, ys, color="black", linewidth=2.5, label="f")
    ax.plot([x0], [y0], "o", color="black", zorder=5)
    pad = 0.15 * (ys.max() - ys.min() + 1e-12)
    ax.set_ylim(ys.min() - pad, ys.max() + pad)
    ax.set_xlim(lo, hi)
    ax.set_xlabel("x")
    ax.set_ylabel("f(x)")
    _legend_below(ax, ncol=3)
    return ax


def _positive_for_log(values: np.ndarray) -> np.ndarray:
    """Errors on a log axis: exact zeros (no visible error) are drawn at eps/2."""
    return np.where(values > 0, values, EPS / 2)


#: dash patterns of the guide lines of :func:`plot_step_errors`, in turn
GUIDE_STYLES = ["--", "-.", (0, (6, 2, 1, 2, 1, 2)), (0, (10, 3))]


def plot_step_errors(
    hs,
    errors: Mapping[str, np.ndarray],
    *,
    guides=None,
    mark_min: bool = True,
    window: int = 5,
    ax=None,
):
    r"""Error of difference quotients against the step ``h``, on log-log axes.

    Reading the picture from right to left: truncation error falls like ``h**p`` (a
    straight line of slope p), until round-off, rising like ``eps / h``, takes over.
    The best step of each curve (a star) is where its typical error is smallest
    (:func:`calcml.numdiff.best_step`); the star is drawn at that *typical* error, the
    median over the window of steps (:func:`calcml.numdiff.typical_errors`), not at the
    error of the single step, which may be a lucky dip.

    Parameters
    ----------
    hs : array_like
        Positive steps.
    errors : mapping of label to array_like
        Absolute errors at ``hs``, one curve each; exact zeros are drawn at eps/2.
    guides : mapping of label to array_like, optional
        Reference lines (fitted slopes, the error model), drawn black and dashed where
        finite (NaN leaves a gap), each with its own dash pattern, named in the legend.
    mark_min : bool
        Mark the best step of each curve.
    window : int
        Odd number of neighbouring steps whose median is taken before the minimum (1:
        the plain minimum); see :func:`calcml.numdiff.best_step`.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    hs = _log_curves(hs, errors, "hs")
    ax = _axes(ax)
    for k, (label, err) in enumerate(errors.items()):
        err = np.asarray(err, dtype=float)
        if err.shape != hs.shape:
            raise ValueError(f"errors[{label!r}] has shape {err.shape}, hs has {hs.shape}")
        colour = f"C{k}"
        ax.loglog(
            hs, _positive_for_log(err), ".-", markersize=3, color=colour, label=label, linewidth=1
        )
        if mark_min:
            width = min(window, hs.size - (hs.size % 2 == 0))  # odd, at most len(hs)
            i = int(np.flatnonzero(hs == best_step(hs, err, window=width))[0])
            typical = typical_errors(err, width)[i]  # not the error of this one step
            ax.loglog(hs[i], typical, "*", markersize=14, color=colour,
                      markeredgecolor="black", zorder=5)  # fmt: skip
    for k, (label, g) in enumerate((guides or {}).items()):
        g = np.asarray(g, dtype=float)
        if g.shape != hs.shape:
            raise ValueError(f"guides[{label!r}] has shape {g.shape}, hs has {hs.shape}")
        ax.loglog(hs, g, linestyle=GUIDE_STYLES[k % len(GUIDE_STYLES)], color="black",
                  linewidth=1.5, label=label)
    ax.axhline(EPS, color="0.5", linestyle=":", linewidth=1, label="machine epsilon")
    ax.set_xlabel("step h")
    ax.set_ylabel("|error|")
    ax.legend(loc="best", fontsize="small")
    return ax


#: line style and marker of the curves of :func:`plot_errors_along_x`, in turn
ERROR_STYLES = [("-", "o"), ("--", "s"), (":", "^"), ("-.", "D"), ((0, (6, 2, 1, 2)), "v")]


def plot_errors_along_x(xs, errors: Mapping[str, np.ndarray], *, markers: int = 12, ax=None):
    """Errors of several methods against ``x``, on a logarithmic error axis.

    Methods that are exact to the last bit give identical curves at the bottom of the
    plot; so that each stays visible, every curve has its own line style and marker
    (:data:`ERROR_STYLES`), and the markers of different curves sit at different x.

    Parameters
    ----------
    xs : array_like
        The points (any sign).
    errors : mapping of label to array_like
        Errors at ``xs``, one curve each; exact zeros are drawn at eps/2.
    markers : int
        About how many markers each curve gets (0: none).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    xs = np.asarray(xs, dtype=float)
    if xs.ndim != 1 or xs.size == 0 or not np.isfinite(xs).all():
        raise ValueError("xs must be a non-empty 1-D array of finite numbers")
    if not isinstance(errors, Mapping) or not errors:
        raise TypeError("errors must be a non-empty mapping of label to an array of errors")
    ax = _axes(ax)
    every = max(1, xs.size // markers) if markers > 0 else None
    for k, (label, err) in enumerate(errors.items()):
        err = np.asarray(err, dtype=float)
        if err.shape != xs.shape:
            raise ValueError(f"errors[{label!r}] has shape {err.shape}, xs has {xs.shape}")
        linestyle, marker = ERROR_STYLES[k % len(ERROR_STYLES)]
        ax.semilogy(xs, _positive_for_log(err), linewidth=1.2, label=label, color=f"C{k}",
                    linestyle=linestyle, marker=marker if every else None, markersize=5,
                    markevery=(k * every // len(errors), every) if every else None,
                    fillstyle="none")  # fmt: skip
    ax.axhline(EPS, color="0.5", linestyle=":", linewidth=1, label="machine epsilon")
    ax.set_xlabel("x")
    ax.set_ylabel("relative error")
    _legend_below(ax, ncol=3)
    return ax
