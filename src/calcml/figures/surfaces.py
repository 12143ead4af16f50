"""Figures of lesson 04 (partial derivatives): a surface cut by a slice, and the slice's
tangent — the partial derivative is the slope of that curve.

Functions of two variables are given as ``f(x, y)`` or ``f(p)``, as in
:mod:`calcml.figures.optimization`. ``hold="y"`` holds the second variable fixed at
``at`` (the slice runs along the first variable; its slope is ∂f/∂x), ``hold="x"`` the
first (the slope is ∂f/∂y).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from calcml.figures._common import _axes, _check_interval, _check_point
from calcml.figures.optimization import _arity, _grid, _surface_values

__all__ = ["plot_slice", "plot_surface_slice", "slice_of"]


def _hold(hold: str) -> int:
    if hold not in ("x", "y"):
        raise ValueError(f"hold must be 'x' or 'y' (the variable held fixed), got {hold!r}")
    return 0 if hold == "x" else 1


def slice_of(f: Callable, *, hold: str, at: float) -> Callable:
    """The one-variable function ``t ↦ f(t, at)`` (``hold="y"``) or ``t ↦ f(at, t)``
    (``hold="x"``), vectorised over ``t`` when ``f`` is."""
    two = _arity(f, "f") == 2
    fixed = _hold(hold)
    at = _check_point(at, "at")

    def g(t):
        t = np.asarray(t, dtype=float)
        other = np.full_like(t, at)
        x, y = (other, t) if fixed == 0 else (t, other)
        try:
            with np.errstate(all="ignore"):
                out = np.asarray(f(x, y) if two else f(np.array([x, y])), dtype=float)
            if out.shape == t.shape:
                return out
        except (TypeError, ValueError, IndexError):
            pass
        return _surface_values(f, x.reshape(-1, 1), y.reshape(-1, 1)).reshape(t.shape)

    return g


def _slope(g: Callable, t0: float) -> float:
    from calcml.numdiff import derivative

    return float(derivative(lambda t: g(np.asarray(t, dtype=float)), t0))


def plot_slice(f: Callable, lim, *, hold: str = "y", at: float, point: float, slope=None,
               num: int = 201, names=("x", "y"), fname: str = "f", ylabel: str | None = None,
               width: float | None = None, ax=None):
    """The slice of f with one variable held fixed, as a curve, and its tangent at ``point``.

    Parameters
    ----------
    f : callable
        ``f(x, y)`` or ``f(p)``.
    lim : (float, float)
        The range of the free variable.
    hold : "x" or "y"
        The variable held fixed, at the value ``at``.
    at : float
        Its value.
    point : float
        Where on the slice the tangent touches (a value of the free variable).
    slope : float, optional
        The tangent's slope — the partial derivative there; by default a central
        difference (``calcml.numdiff.derivative``) of the slice.
    num : int
        Points of the curve.
    names : (str, str)
        What the two variables are called in the labels, e.g. ``("w", "b")``.
    fname : str
        What the function is called in the labels (``"L"`` for a loss).
    ylabel : str, optional
        Label of the vertical axis (default ``"f(x, 2)"`` and the like).
    width : float, optional
        Length of the drawn tangent along the free variable (default: a third of ``lim``).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    lo, hi = _check_interval(lim, "lim")
    point = _check_point(point, "point")
    g = slice_of(f, hold=hold, at=at)
    names = _names(names)
    held, var = (names[1], names[0]) if hold == "y" else (names[0], names[1])
    if isinstance(num, bool) or not isinstance(num, (int, np.integer)) or num < 2:
        raise ValueError(f"num must be a whole number ≥ 2, got {num!r}")
    ts = np.linspace(lo, hi, int(num))
    m = _slope(g, point) if slope is None else _check_point(slope, "slope")
    g0 = float(g(np.array([point]))[0])
    half = (width or (hi - lo) / 3) / 2
    ax = _axes(ax)
    fixed_label = f"{held} = {at:g}"
    ax.plot(ts, g(ts), color="tab:blue", linewidth=2, label=f"slice: {fixed_label} held fixed")
    tt = np.array([point - half, point + half])
    ax.plot(tt, g0 + m * (tt - point), color="black", linewidth=1.5, linestyle="--",
            label=f"tangent, slope ∂{fname}/∂{var} = {m:.4g}")
    ax.plot([point], [g0], "o", color="tab:red", zorder=5)
    ax.set_xlabel(var)
    ax.set_ylabel(ylabel or (f"{fname}({var}, {at:g})" if hold == "y"
                             else f"{fname}({at:g}, {var})"))
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small", borderaxespad=0)
    return ax


def _fname(zlabel: str) -> str:
    """The function's name in a legend: the z label when it is a short name, else f."""
    return zlabel if zlabel.isidentifier() and len(zlabel) <= 3 else "f"


def _names(names) -> tuple[str, str]:
    if (not isinstance(names, (tuple, list)) or len(names) != 2
            or not all(isinstance(n, str) for n in names)):
        raise TypeError(f"names must be two strings, e.g. ('w', 'b'), got {names!r}")
    return names[0], names[1]


def _as_3d(ax):
    """A 3-D axes: ``ax`` itself, a new one (``None``), or one drawn in the place of a
    2-D ``ax`` (kept with it and reused on the next call, so that a figure redrawn by
    ``calcml.widgets.interactive_figure`` gets a fresh picture in the same place)."""
    if ax is None:
        import matplotlib.pyplot as plt

        return plt.figure().add_subplot(projection="3d")
    if getattr(ax, "name", "") == "3d":
        return ax
    twin = getattr(ax, "_calcml_3d", None)
    if twin is None or twin.figure is not ax.figure or twin not in ax.figure.axes:
        twin = ax.figure.add_axes(ax.get_position(), projection="3d")
        ax._calcml_3d = twin
    else:
        twin.clear()
    ax.set_axis_off()
    return twin


def plot_surface_slice(f: Callable, xlim, ylim, *, hold: str = "y", at: float, point: float,
                       slope=None, num: int = 40, xlabel: str = "x", ylabel: str = "y",
                       zlabel: str = "f", elev: float = 28, azim: float = -60, ax=None):
    """The surface z = f(x, y), the slice where one variable is held fixed (a red curve
    on the surface, in its plane) and the slice's tangent line at ``point``.

    Parameters
    ----------
    f : callable
        ``f(x, y)`` or ``f(p)``.
    xlim, ylim : (float, float)
        The box.
    hold : "x" or "y"
        The variable held fixed; ``at`` its value (inside the box).
    point : float
        Where the tangent touches: a value of the free variable.
    slope : float, optional
        The tangent's slope (the partial derivative); default a central difference.
    num : int
        Grid points per side of the surface.
    xlabel, ylabel, zlabel : str
        Axis labels; they also name the variables and (when short) the function in the
        legend.
    elev, azim : float
        The viewing angles.
    ax : Axes3D or Axes, optional
        A 3-D axes; a 2-D one is replaced in place by a 3-D one (as in an interactive
        figure); a new figure when omitted.

    Returns
    -------
    mpl_toolkits.mplot3d.axes3d.Axes3D
        The axes drawn on.
    """
    fixed = _hold(hold)
    x_lo, x_hi = _check_interval(xlim, "xlim")
    y_lo, y_hi = _check_interval(ylim, "ylim")
    at = _check_point(at, "at")
    point = _check_point(point, "point")
    box = (y_lo, y_hi) if hold == "y" else (x_lo, x_hi)
    free_box = (x_lo, x_hi) if hold == "y" else (y_lo, y_hi)
    if not box[0] <= at <= box[1]:
        raise ValueError(f"at = {at:g} is outside the box ({box[0]:g}, {box[1]:g}) of {hold}")
    if not free_box[0] <= point <= free_box[1]:
        raise ValueError(f"point = {point:g} is outside the box of the free variable")
    X, Y = _grid(xlim, ylim, num)
    Z = _surface_values(f, X, Y)
    g = slice_of(f, hold=hold, at=at)
    ts = np.linspace(*free_box, 200)
    zs = g(ts)
    m = _slope(g, point) if slope is None else _check_point(slope, "slope")
    g0 = float(g(np.array([point]))[0])
    half = (free_box[1] - free_box[0]) / 4
    tt = np.array([point - half, point + half])
    line = g0 + m * (tt - point)

    def xy(t):
        other = np.full_like(t, at)
        return (other, t) if fixed == 0 else (t, other)

    ax = _as_3d(ax)
    ax.plot_surface(X, Y, Z, cmap="viridis", alpha=0.55, linewidth=0, antialiased=True,
                    rstride=1, cstride=1)
    sx, sy = xy(ts)
    held, free = (ylabel, xlabel) if hold == "y" else (xlabel, ylabel)
    ax.plot(sx, sy, zs, color="tab:red", linewidth=2.5, zorder=5,
            label=f"slice: {held} = {at:g} held fixed")
    lx, ly = xy(tt)
    ax.plot(lx, ly, line, color="black", linewidth=2, zorder=6,
            label=f"tangent: slope ∂{_fname(zlabel)}/∂{free} = {m:.4g}")
    px, py = xy(np.array([point]))
    ax.scatter(px, py, [g0], color="black", s=30, depthshade=False, zorder=7)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_zlabel(zlabel)
    ax.view_init(elev=elev, azim=azim)
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, 1.02), fontsize="small", ncols=2,
              borderaxespad=0, frameon=False)
    return ax
