"""Figures of optimisation in two variables: level sets, gradient arrows and the paths of
optimisers (lesson 05 for gradient descent; lessons 07, 08 and 11 reuse them).

Functions of two variables are given in one of two forms, told apart by how many
positional arguments they require:

* ``f(x, y)`` — two arguments, called with the two meshgrid arrays ``X, Y`` (the same
  shape) and expected to return an array of that shape, e.g.
  ``lambda x, y: x**2 + 10 * y**2``;
* ``f(p)`` — one argument, the point, as ``gradient_descent`` takes it; called with the
  stacked array ``p = np.array([X, Y])`` so that ``p[0]`` and ``p[1]`` are the two
  coordinates, e.g. ``lambda p: p[0]**2 + 10 * p[1]**2``.

A function that cannot take whole arrays is called point by point instead (slower, but
it works). A gradient returns two numbers per point in the same way: ``(U, V)`` from
``grad_f(x, y)``, or an array whose first axis has length 2 from ``grad_f(p)``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from calcml.figures._common import _axes, _check_interval
from calcml.optimize.history import History

__all__ = ["plot_contours", "plot_direction", "plot_gradient_field", "plot_trajectories"]


def _arity(f: Callable, name: str) -> int:
    """1 for ``f(p)``, 2 for ``f(x, y)``."""
    if not callable(f):
        raise TypeError(f"{name} must be a function f(x, y) or f(p), got "
                        f"{type(f).__name__} {f!r:.60}")
    try:
        params = inspect.signature(f).parameters.values()
    except (TypeError, ValueError):  # a builtin or ufunc without a signature: try two
        return 2
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = [p for p in positional if p.default is p.empty]
    n = len(required) if required else min(len(positional), 2)
    if n < 2 and any(p.kind is p.VAR_POSITIONAL for p in params):
        n = 2
    if n in (1, 2):
        return n
    raise TypeError(f"{name} must take the point as f(p) or its coordinates as f(x, y); "
                    f"it requires {len(required)} arguments")


def _grid(xlim, ylim, num, name: str = "num"):
    if isinstance(num, bool) or not isinstance(num, (int, np.integer)) or num < 2:
        raise ValueError(f"{name} must be a whole number ≥ 2 of grid points, got {num!r}")
    x_lo, x_hi = _check_interval(xlim, "xlim")
    y_lo, y_hi = _check_interval(ylim, "ylim")
    return np.meshgrid(np.linspace(x_lo, x_hi, int(num)), np.linspace(y_lo, y_hi, int(num)))


def _surface_values(f: Callable, X: np.ndarray, Y: np.ndarray, name: str = "f") -> np.ndarray:
    """f on the grid, vectorised when f allows it, point by point otherwise."""
    two = _arity(f, name) == 2
    with np.errstate(all="ignore"):
        try:
            Z = np.asarray(f(X, Y) if two else f(np.array([X, Y])), dtype=float)
            if Z.shape == X.shape:
                return Z
        except (TypeError, ValueError, IndexError, ArithmeticError):
            pass
        Z = np.empty_like(X)
        for idx in np.ndindex(X.shape):
            x, y = float(X[idx]), float(Y[idx])
            try:
                value = f(x, y) if two else f(np.array([x, y]))
            except (ArithmeticError, ValueError):
                Z[idx] = np.nan
                continue
            try:
                Z[idx] = float(np.asarray(value, dtype=float).reshape(()))
            except (TypeError, ValueError):
                raise TypeError(f"{name} must return one real number per point, got "
                                f"{value!r:.60} at ({x:g}, {y:g})") from None
        return Z


def _field_values(grad_f: Callable, X: np.ndarray, Y: np.ndarray):
    """The two components of grad_f on the grid."""
    two = _arity(grad_f, "grad_f") == 2
    with np.errstate(all="ignore"):
        try:
            G = np.asarray(grad_f(X, Y) if two else grad_f(np.array([X, Y])), dtype=float)
            if G.shape == (2, *X.shape):
                return G[0], G[1]
        except (TypeError, ValueError, IndexError, ArithmeticError):
            pass
        U, V = np.empty_like(X), np.empty_like(X)
        for idx in np.ndindex(X.shape):
            x, y = float(X[idx]), float(Y[idx])
            try:
                g = np.asarray(grad_f(x, y) if two else grad_f(np.array([x, y])),
                               dtype=float).ravel()
            except (ArithmeticError, ValueError):
                g = np.array([np.nan, np.nan])
            if g.size != 2:
                raise ValueError(f"grad_f must return two partial derivatives per point, got "
                                 f"{g.size} at ({x:g}, {y:g})")
            U[idx], V[idx] = g
        return U, V


def plot_contours(f: Callable, xlim, ylim, *, levels=20, num: int = 201,
                  log_levels: bool = False, xlabel: str = "x", ylabel: str = "y",
                  colorbar: bool = False, ax=None):
    """Level sets of f(x, y) on the box ``xlim × ylim``.

    Parameters
    ----------
    f : callable
        ``f(x, y)`` or ``f(p)`` (see the module docstring), vectorised if possible.
    xlim, ylim : (float, float)
        The box.
    levels : int or sequence of float
        How many level sets, or which values.
    num : int
        Grid points per side.
    log_levels : bool
        Space the levels geometrically between the smallest positive value and the
        largest (for a loss, whose interesting levels crowd near the minimum). Needs an
        integer ``levels`` and some positive values of f.
    xlabel, ylabel : str
        Axis labels (e.g. ``"w"`` and ``"b"`` for a loss).
    colorbar : bool
        Add a colour bar naming the values of f.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    X, Y = _grid(xlim, ylim, num)
    Z = _surface_values(f, X, Y)
    finite = Z[np.isfinite(Z)]
    if finite.size == 0:
        raise ValueError("f has no finite value on the box; choose other xlim, ylim")
    if log_levels:
        if isinstance(levels, bool) or not isinstance(levels, (int, np.integer)) or levels < 2:
            raise ValueError(f"log_levels needs a whole number ≥ 2 of levels, got {levels!r}")
        positive = finite[finite > 0]
        if positive.size == 0:
            raise ValueError("log_levels needs positive values of f on the box")
        levels = np.geomspace(positive.min(), positive.max(), int(levels) + 1)[1:]
    elif not isinstance(levels, (int, np.integer)):
        levels = np.asarray(levels, dtype=float)
        if levels.ndim != 1 or levels.size == 0 or not np.all(np.isfinite(levels)):
            raise ValueError(f"levels must be a whole number or a list of finite values, "
                             f"got {levels!r}")
        levels = np.unique(levels)
    ax = _axes(ax)
    contours = ax.contour(X, Y, Z, levels=levels, cmap="viridis", linewidths=1.0, zorder=1)
    if colorbar:
        ax.figure.colorbar(contours, ax=ax, label="f")
    ax.set_xlim(X[0, 0], X[0, -1])
    ax.set_ylim(Y[0, 0], Y[-1, 0])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def plot_gradient_field(grad_f: Callable, xlim, ylim, *, num: int = 15,
                        normalize: bool = False, negative: bool = False,
                        label: str | None = None, xlabel: str | None = None,
                        ylabel: str | None = None, ax=None):
    """Arrows of the gradient ∇f on a ``num × num`` grid of the box ``xlim × ylim``.

    Parameters
    ----------
    grad_f : callable
        ``grad_f(x, y)`` returning ``(∂f/∂x, ∂f/∂y)``, or ``grad_f(p)`` returning an array
        of two partial derivatives (see the module docstring).
    xlim, ylim : (float, float)
        The box.
    num : int
        Arrows per side.
    normalize : bool
        Draw every arrow the same length (directions only); the default scales them
        with |∇f|, so the arrows are long where f is steep.
    negative : bool
        Draw −∇f, the direction gradient descent steps in.
    label : str, optional
        Legend label; default ``"∇f"`` (``"−∇f"`` with ``negative``).
    xlabel, ylabel : str, optional
        Axis labels, when given.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    X, Y = _grid(xlim, ylim, num)
    U, V = _field_values(grad_f, X, Y)
    if negative:
        U, V = -U, -V
    size = {}
    if normalize:  # each arrow as long as fits in its grid cell, direction unchanged
        dx, dy = X[0, 1] - X[0, 0], Y[1, 0] - Y[0, 0]
        with np.errstate(all="ignore"):
            reach = np.maximum(np.abs(U) / dx, np.abs(V) / dy)
            c = np.where(reach > 0, 0.8 / reach, 0.0)
        U, V = c * U, c * V
        size = {"scale_units": "xy", "scale": 1.0}
    ax = _axes(ax)
    ax.quiver(X, Y, U, V, color="tab:red", angles="xy", pivot="tail", width=0.004,
              zorder=3, label=label or ("−∇f" if negative else "∇f"), **size)
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    return ax


def _as_histories(histories, labels) -> dict[str, History]:
    if isinstance(histories, History):
        if isinstance(labels, str):
            labels = [labels]
        items = [(labels[0] if labels else "gradient descent", histories)]
    elif isinstance(histories, Mapping):
        items = list(histories.items())
        if labels is not None:
            raise TypeError("labels is for a list of histories; a mapping is already labelled")
    elif isinstance(histories, Sequence) and not isinstance(histories, str):
        labels = list(labels) if labels is not None else [f"run {i + 1}"
                                                           for i in range(len(histories))]
        if len(labels) != len(histories):
            raise ValueError(f"{len(histories)} histories but {len(labels)} labels")
        items = list(zip(labels, histories, strict=True))
    else:
        raise TypeError(f"histories must be a History, a mapping label -> History or a list "
                        f"of them, got {type(histories).__name__}")
    if not items:
        raise ValueError("histories is empty: nothing to draw")
    for label, run in items:
        if not isinstance(run, History):
            raise TypeError(f"histories[{label!r}] must be a History (what gradient_descent "
                            f"returns), got {type(run).__name__}")
        if run.xs.ndim != 2 or run.xs.shape[1] != 2:
            raise ValueError(f"histories[{label!r}] is not a path in the plane: its iterates "
                             f"have shape {run.xs.shape}, need (k + 1, 2)")
    return dict(items)


def plot_trajectories(histories, *, ax=None, labels: Sequence[str] | None = None,
                      mark_minimum=None, describe: bool = True, markersize: float = 3.5):
    """The paths of optimisers in the plane, usually over :func:`plot_contours`.

    Each path is a line through its iterates with a dot at each (each path its own dashes,
    dots and width, so paths that run together stay apart); its start is an open circle
    and its end a filled square. The legend sits outside the axes, right of the
    plot, so it never hides the paths.

    Parameters
    ----------
    histories : History, mapping of label to History, or list of History
        What ``gradient_descent`` (or any optimiser of ``calcml.optimize``) returned, for
        a function of two variables.
    labels : list of str, optional
        Names for a list of histories (a mapping is already labelled).
    mark_minimum : (float, float), optional
        The true minimiser, drawn as a black star.
    describe : bool
        Append "(converged, 34 steps)" and the like to each label.
    markersize : float
        Size of the per-iterate dots.
    ax : matplotlib Axes, optional
        When it already holds a picture (contours), its limits are kept, so a diverging
        path runs off the edge instead of shrinking the picture.

    Returns
    -------
    matplotlib.axes.Axes
    """
    runs = _as_histories(histories, labels)
    ax = _axes(ax)
    had_content = bool(ax.collections or ax.lines or ax.images)
    limits = (ax.get_xlim(), ax.get_ylim())
    for i, (label, run) in enumerate(runs.items()):
        colour = f"C{i % 10}"
        path = run.xs
        finite = np.all(np.isfinite(path), axis=1)
        path = path[finite]
        text = label
        if describe:
            text = f"{label} ({run.reason.value}, {run.num_steps} steps)"
        # each path its own dashes and dots, drawn a little narrower than the one before,
        # so that two paths along the same line (SGD and Adam on a valley floor) both show
        ax.plot(path[:, 0], path[:, 1], linestyle=_DASHES[i % len(_DASHES)],
                marker=_DOTS[i % len(_DOTS)], color=colour, markersize=markersize,
                linewidth=max(2.2 - 0.4 * i, 0.8), zorder=4 + 0.01 * i, label=text)
        ax.plot(*path[0], "o", markersize=9, markerfacecolor="white", markeredgecolor=colour,
                markeredgewidth=2, zorder=5)
        ax.plot(*path[-1], "s", markersize=7, color=colour, markeredgecolor="black", zorder=6)
    if mark_minimum is not None:
        try:
            point = np.asarray(mark_minimum, dtype=float).reshape(2)
        except (TypeError, ValueError):
            raise ValueError(f"mark_minimum must be a point (x, y), got {mark_minimum!r}") from None
        ax.plot(*point, "*", markersize=15, color="black", markerfacecolor="gold", zorder=7,
                label="minimum")
    from matplotlib.lines import Line2D

    handles, names = ax.get_legend_handles_labels()
    handles += [Line2D([], [], marker="o", linestyle="", markerfacecolor="white",
                       markeredgecolor="0.3", markersize=8),
                Line2D([], [], marker="s", linestyle="", color="0.3", markersize=7)]
    names += ["start", "end"]
    ax.legend(handles, names, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small",
              borderaxespad=0.0)
    if had_content:
        ax.set_xlim(*limits[0])
        ax.set_ylim(*limits[1])
    return ax


_DASHES = ("-", "--", "-.", ":")
_DOTS = ("o", "^", "v", "D", "P")  # (not the square: it marks the end)


def _pair(value, name: str) -> np.ndarray:
    try:
        v = np.asarray(value, dtype=float).reshape(2)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair of numbers (x, y), got {value!r:.60}") from None
    if not np.all(np.isfinite(v)):
        raise ValueError(f"{name} must be finite, got {value!r:.60}")
    return v


def plot_direction(point, u, *, grad=None, length: float = 1.0, line: bool = True,
                   annotate: bool = True, ax=None):
    """A direction ``u`` at ``point`` (blue arrow), the gradient there (red arrow, when
    given) and the line through ``point`` along ``u`` (dashed): the picture of a
    directional derivative, drawn over :func:`plot_contours` (lesson 05).

    Parameters
    ----------
    point : (float, float)
        Where.
    u : (float, float)
        The direction; drawn ``length`` long (in the units of the axes).
    grad : (float, float), optional
        ∇f at ``point``, drawn to scale ``length / |u|`` like ``u``, so that both arrows
        keep their true lengths relative to each other.
    length : float
        How long ``u`` is drawn.
    line : bool
        Draw the line through ``point`` along ``u`` (the path whose slope D_u f is).
    annotate : bool
        Write "u" and "∇f" next to the arrows' tips (so no legend is needed).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    p, d = _pair(point, "point"), _pair(u, "u")
    size = float(np.hypot(*d))
    if size == 0:
        raise ValueError("u is the zero vector, which has no direction")
    if not (isinstance(length, (int, float)) and length > 0):
        raise ValueError(f"length must be a positive number, got {length!r}")
    scale = length / size
    ax = _axes(ax)
    limits = (ax.get_xlim(), ax.get_ylim()) if (ax.collections or ax.lines) else None
    if line:
        far = 1e3 * length
        ax.plot([p[0] - far * d[0] / size, p[0] + far * d[0] / size],
                [p[1] - far * d[1] / size, p[1] + far * d[1] / size], "--", color="tab:blue",
                linewidth=1, zorder=3, label="the line through the point along u")
    arrows = [(scale * d, "tab:blue", "u")]
    if grad is not None:
        arrows.append((scale * _pair(grad, "grad"), "tab:red", "∇f"))
    for vec, colour, name in arrows:
        ax.quiver(*p, *vec, color=colour, angles="xy", scale_units="xy", scale=1,
                  width=0.008, zorder=5, label=name)
        if annotate:  # beside the tip, off the arrow's line (the dashed line runs along u)
            e = vec / max(float(np.hypot(*vec)), 1e-12)
            tip = p + vec + 0.05 * length * e + 0.4 * length * np.array([-e[1], e[0]])
            ax.annotate(name, tip, color=colour, ha="center", va="center", fontsize=12,
                        fontweight="bold", zorder=7,
                        bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none",
                              "alpha": 0.8})
    ax.plot(*p, "o", color="black", markersize=5, zorder=6)
    if limits is not None:
        ax.set_xlim(*limits[0])
        ax.set_ylim(*limits[1])
    return ax
