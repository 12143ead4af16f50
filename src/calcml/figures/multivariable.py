"""Figures of lesson 07 (functions of several variables): a surface in 3-D, a grid pushed
through a map of the plane, and the tangency picture of Lagrange multipliers.

Functions of two variables are given as ``f(x, y)`` or ``f(p)``, as in
:mod:`calcml.figures.optimization`; a map of the plane ``F(x, y) -> (u, v)`` likewise
(``F(x, y)`` returning the pair, or ``F(p)`` returning an array whose first axis is 2).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from calcml.figures._common import _axes, _check_interval
from calcml.figures.optimization import _arity, _field_values, _grid, _surface_values

__all__ = ["plot_lagrange", "plot_mapped_grid", "plot_surface"]


def plot_surface(f: Callable, xlim, ylim, *, num: int = 60, contours: bool = True,
                 xlabel: str = "x", ylabel: str = "y", zlabel: str = "f(x, y)",
                 point=None, ax=None):
    """The graph z = f(x, y) as a shaded surface, with its level sets drawn on the floor.

    Parameters
    ----------
    f : callable
        ``f(x, y)`` or ``f(p)``.
    xlim, ylim : (float, float)
        The box.
    num : int
        Grid points per side.
    contours : bool
        Project the level sets onto the floor of the box (the contour plot is the
        surface seen from above).
    xlabel, ylabel, zlabel : str
        Axis labels.
    point : (float, float), optional
        A point to mark on the surface (a minimum, say) with a red dot.
    ax : Axes3D, optional
        A 3-D axes (``fig.add_subplot(projection="3d")``); one is made when omitted.

    Returns
    -------
    mpl_toolkits.mplot3d.axes3d.Axes3D
    """
    X, Y = _grid(xlim, ylim, num)
    Z = _surface_values(f, X, Y)
    finite = Z[np.isfinite(Z)]
    if finite.size == 0:
        raise ValueError("f has no finite value on the box; choose other xlim, ylim")
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.figure().add_subplot(projection="3d")
    if getattr(ax, "name", "") != "3d":
        raise TypeError("ax must be a 3-D axes: fig.add_subplot(projection='3d')")
    floor = float(finite.min()) - 0.25 * float(np.ptp(finite) or 1.0)
    ax.plot_surface(X, Y, Z, cmap="viridis", linewidth=0, antialiased=True, alpha=0.85,
                    rstride=1, cstride=1)
    if contours:
        ax.contour(X, Y, Z, levels=12, cmap="viridis", offset=floor, linewidths=0.8)
    if point is not None:
        px, py = (float(v) for v in np.asarray(point, dtype=float).reshape(2))
        pz = float(_surface_values(f, np.array([[px]]), np.array([[py]]))[0, 0])
        ax.scatter([px], [py], [pz], color="red", s=40, depthshade=False, zorder=10)
        ax.plot([px, px], [py, py], [floor, pz], color="red", linestyle=":", linewidth=1)
    ax.set_zlim(floor, float(finite.max()))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_zlabel(zlabel)
    return ax


def _map_values(F: Callable, X: np.ndarray, Y: np.ndarray):
    try:
        return _field_values(F, X, Y)
    except ValueError as exc:
        raise ValueError(str(exc).replace("grad_f", "F").replace("partial derivatives",
                                                                 "coordinates")) from None


def plot_mapped_grid(F: Callable, xlim, ylim, *, num_lines: int = 9, num: int = 80,
                     square=None, names=("x", "y"), xlabel: str = "u", ylabel: str = "v",
                     ax=None):
    """The image under ``F`` of a grid of the box ``xlim × ylim``: lines become curves.

    A small square of the grid (``square = (x, y, side)``) is drawn with its image
    filled, so the local stretching of area — the Jacobian determinant — can be seen.

    Parameters
    ----------
    F : callable
        A map of the plane, ``F(x, y) -> (u, v)`` or ``F(p) -> array of 2``.
    xlim, ylim : (float, float)
        The box whose grid is mapped.
    num_lines : int
        Grid lines per direction.
    num : int
        Points along each line.
    square : (float, float, float), optional
        Lower-left corner and side of a small square to highlight.
    names : (str, str)
        The names of the two input coordinates, for the legend ("r", "θ" for polar).
    xlabel, ylabel : str
        Labels of the image plane's axes.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    _arity(F, "F")
    for name, n in (("num_lines", num_lines), ("num", num)):
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 2:
            raise ValueError(f"{name} must be a whole number ≥ 2, got {n!r}")
    x_lo, x_hi = _check_interval(xlim, "xlim")
    y_lo, y_hi = _check_interval(ylim, "ylim")
    ax = _axes(ax)
    t = np.linspace(0, 1, num)
    for i, c in enumerate(np.linspace(x_lo, x_hi, num_lines)):  # lines x = const
        U, V = _map_values(F, np.full((1, num), c), (y_lo + t * (y_hi - y_lo))[None, :])
        ax.plot(U[0], V[0], color="tab:blue", linewidth=1,
                label=f"images of the lines {names[0]} = const" if i == 0 else None)
    for i, c in enumerate(np.linspace(y_lo, y_hi, num_lines)):  # lines y = const
        U, V = _map_values(F, (x_lo + t * (x_hi - x_lo))[None, :], np.full((1, num), c))
        ax.plot(U[0], V[0], color="tab:orange", linewidth=1,
                label=f"images of the lines {names[1]} = const" if i == 0 else None)
    if square is not None:
        try:
            sx, sy, side = (float(v) for v in square)
        except (TypeError, ValueError):
            raise TypeError(f"square must be (x, y, side), got {square!r}") from None
        if not side > 0:
            raise ValueError(f"the side of square must be positive, got {side}")
        s = np.linspace(0, side, 20)
        edge_x = np.concatenate([sx + s, np.full(20, sx + side), sx + side - s, np.full(20, sx)])
        edge_y = np.concatenate([np.full(20, sy), sy + s, np.full(20, sy + side), sy + side - s])
        U, V = _map_values(F, edge_x[None, :], edge_y[None, :])
        ax.fill(U[0], V[0], color="tab:red", alpha=0.6, label="image of a small square")
    ax.set_aspect("equal", adjustable="datalim")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small", borderaxespad=0.0)
    return ax


def plot_lagrange(f: Callable, g: Callable, xlim, ylim, *, point, levels=12, num: int = 201,
                  grad_f: Callable | None = None, grad_g: Callable | None = None,
                  xlabel: str = "x", ylabel: str = "y", ax=None):
    """The tangency picture: level curves of f, the constraint curve g = 0 and, at the
    constrained optimum ``point``, the level curve of f through it touching the
    constraint, with ∇f and ∇g drawn there (parallel: ∇f = λ∇g).

    Parameters
    ----------
    f, g : callable
        ``f(x, y)`` / ``f(p)`` and the constraint function (the constraint is g = 0).
    xlim, ylim : (float, float)
        The box.
    point : (float, float)
        The candidate where the two curves touch.
    levels : int or sequence of float
        Level sets of f to draw.
    grad_f, grad_g : callable, optional
        Their gradients, in the same form; arrows are drawn at ``point`` when given.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    X, Y = _grid(xlim, ylim, num)
    F = _surface_values(f, X, Y, "f")
    G = _surface_values(g, X, Y, "g")
    if not (np.nanmin(G) < 0 < np.nanmax(G)):
        raise ValueError("g does not change sign on the box, so the constraint g = 0 is not "
                         "in the picture; choose other xlim, ylim")
    try:
        px, py = (float(v) for v in np.asarray(point, dtype=float).reshape(2))
    except (TypeError, ValueError):
        raise ValueError(f"point must be (x, y), got {point!r}") from None
    ax = _axes(ax)
    ax.contour(X, Y, F, levels=levels, cmap="viridis", linewidths=0.8, zorder=1)
    ax.contour(X, Y, G, levels=[0.0], colors="black", linewidths=2.2, zorder=2)
    f_star = float(_surface_values(f, np.array([[px]]), np.array([[py]]), "f")[0, 0])
    ax.contour(X, Y, F, levels=[f_star], colors="tab:red", linewidths=1.8, linestyles="--",
               zorder=3)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color="black", linewidth=2.2),
               Line2D([], [], color="tab:red", linewidth=1.8, linestyle="--")]
    names = ["constraint g = 0", f"level curve f = {f_star:.3g}"]
    span = 0.18 * min(X[0, -1] - X[0, 0], Y[-1, 0] - Y[0, 0])
    for grad, colour, name in ((grad_f, "tab:red", "∇f"), (grad_g, "black", "∇g")):
        if grad is None:
            continue
        U, V = _field_values(grad, np.array([[px]]), np.array([[py]]))
        u, v = float(U[0, 0]), float(V[0, 0])
        norm = float(np.hypot(u, v))
        if norm > 0:
            first = name == "∇f"  # the longer arrow, drawn under the shorter ∇g
            scale = span / norm * (1.0 if first else 0.55)
            ax.annotate("", xy=(px + scale * u, py + scale * v), xytext=(px, py),
                        arrowprops={"arrowstyle": "-|>", "color": colour,
                                    "linewidth": 2 if first else 2.6},
                        zorder=5 if first else 6)
            handles.append(Line2D([], [], color=colour, marker=r"$\rightarrow$", markersize=12,
                                  linestyle=""))
            names.append(f"{name} at the optimum")
    ax.plot(px, py, "o", color="tab:red", markeredgecolor="black", markersize=8, zorder=6)
    handles.append(Line2D([], [], color="tab:red", marker="o", markeredgecolor="black",
                          linestyle=""))
    names.append("constrained optimum")
    ax.set_aspect("equal")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(handles, names, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small",
              borderaxespad=0.0)
    return ax
