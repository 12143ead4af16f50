"""Figures of lesson 03 (rules of differentiation): the product rule as areas."""

from __future__ import annotations

__all__ = ["plot_product_rule"]


def plot_product_rule(u, v, du, dv, *, ax=None):
    """The product rule as areas: how the rectangle ``u × v`` grows when ``u`` and ``v`` do.

    The rectangle of sides ``u + du`` and ``v + dv`` is the old one, two strips and a
    corner:

    .. math:: (u + du)(v + dv) - uv = v\\,du + u\\,dv + du\\,dv .

    Divided by ``dx`` the strips become ``u' v + u v'``; the corner ``du dv / dx`` is a
    product of two small changes and vanishes as ``dx → 0``. Lesson 03 draws it.

    Parameters
    ----------
    u, v : float
        The sides now (positive).
    du, dv : float
        Their growth (positive, small next to ``u`` and ``v`` to look right).
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    sides = {"u": u, "v": v, "du": du, "dv": dv}
    for name, value in sides.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
        if not 0 < value < float("inf"):
            raise ValueError(f"{name} must be positive and finite, got {value}")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle

    ax = ax if ax is not None else plt.gca()
    pieces = [  # (corner, width, height, colour, label)
        ((0, 0), u, v, "0.85", f"u·v = {u * v:.3g}"),
        ((u, 0), du, v, "C0", f"v·Δu = {v * du:.3g}"),
        ((0, v), u, dv, "C1", f"u·Δv = {u * dv:.3g}"),
        ((u, v), du, dv, "C3", f"Δu·Δv = {du * dv:.3g}"),  # the corner: vanishes in the limit
    ]
    for corner, width, height, colour, label in pieces:
        ax.add_patch(
            Rectangle(
                corner, width, height, facecolor=colour, edgecolor="black", alpha=0.75, label=label
            )
        )
    ax.set_xlim(0, (u + du) * 1.05)
    ax.set_ylim(0, (v + dv) * 1.05)
    ax.set_aspect("equal")
    ax.set_xticks([0, u, u + du], ["0", "u", "u + Δu"])
    ax.set_yticks([0, v, v + dv], ["0", "v", "v + Δv"])
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small")
    return ax
