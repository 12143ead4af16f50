"""Figures of lesson 08 (the Hessian): level sets around a point with the Hessian's
eigen-directions drawn, each labelled with its curvature (eigenvalue).

Near a critical point the level sets of f are close to those of the quadratic
½ hᵀHh: ellipses with axes along H's eigenvectors (a minimum or maximum), hyperbolas
(a saddle). The long axis of an ellipse is the direction of *small* curvature.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from calcml.figures._common import _axes
from calcml.figures.optimization import _grid, _surface_values

__all__ = ["plot_eigen_directions"]


def _room(p, v, xlim, ylim) -> float:
    """How far one can go from p along ±v before leaving the box."""
    reach = np.inf
    for coord, (lo, hi), comp in ((p[0], xlim, v[0]), (p[1], ylim, v[1])):
        if abs(comp) > 1e-12:
            reach = min(reach, (hi - coord) / abs(comp), (coord - lo) / abs(comp))
    return max(float(reach), 0.0)


def plot_eigen_directions(f: Callable, hessian, point, xlim, ylim, *, levels=15,
                          num: int = 201, xlabel: str = "x", ylabel: str = "y", ax=None):
    """Contours of f with the eigenvectors of the Hessian at ``point`` drawn from it.

    Parameters
    ----------
    f : callable
        ``f(x, y)`` or ``f(p)``.
    hessian : array_like (2, 2) or callable
        The Hessian at ``point``, or a function ``hessian(p)`` returning it.
    point : (float, float)
        Where the directions start (a critical point, usually).
    xlim, ylim : (float, float)
        The box.
    levels : int or sequence of float
        Level sets of f.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        With one arrow per eigenvector (both ways), labelled "λ = …" in the legend.
    """
    try:
        p = np.asarray(point, dtype=float).reshape(2)
    except (TypeError, ValueError):
        raise ValueError(f"point must be (x, y), got {point!r}") from None
    if not np.isfinite(p).all():
        raise ValueError(f"point must be finite, got {point!r}")
    H = hessian(p) if callable(hessian) else hessian
    try:
        H = np.asarray(H, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"hessian must be a 2 × 2 matrix of numbers, got {type(H).__name__}") from None
    if H.shape != (2, 2):
        raise ValueError(f"hessian must be a 2 × 2 matrix, got shape {H.shape}")
    if not np.isfinite(H).all() or not np.allclose(H, H.T, rtol=1e-8, atol=1e-12):
        raise ValueError(f"hessian must be finite and symmetric, got {H.tolist()}")
    X, Y = _grid(xlim, ylim, num)
    Z = _surface_values(f, X, Y)
    ax = _axes(ax)
    ax.contour(X, Y, Z, levels=levels, cmap="viridis", linewidths=0.9, zorder=1)
    eigenvalues, vectors = np.linalg.eigh(H)
    span = 0.35 * min(X[0, -1] - X[0, 0], Y[-1, 0] - Y[0, 0])
    biggest = max(float(np.max(np.abs(eigenvalues))), 1e-300)
    from matplotlib.lines import Line2D

    handles, names = [], []
    for k, (lam, v) in enumerate(zip(eigenvalues, vectors.T, strict=True)):
        colour = ("tab:red", "tab:blue")[k]
        length = span * max(0.35, (abs(lam) / biggest) ** 0.5)  # longer = more curved
        length = min(length, 0.95 * _room(p, v, X[0, [0, -1]], Y[[0, -1], 0]))  # stay in the box
        for sign in (1, -1):
            ax.annotate("", xy=tuple(p + sign * length * v), xytext=tuple(p),
                        arrowprops={"arrowstyle": "-|>", "color": colour, "linewidth": 2.2},
                        zorder=4)
        handles.append(Line2D([], [], color=colour, linewidth=2.2))
        names.append(f"eigenvector {k + 1}: λ = {lam:.3g}")
    ax.plot(*p, "o", color="black", markersize=6, zorder=5)
    ax.set_aspect("equal")
    ax.set_xlim(X[0, 0], X[0, -1])
    ax.set_ylim(Y[0, 0], Y[-1, 0])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend(handles, names, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small",
              borderaxespad=0.0, title="curvatures")
    return ax
