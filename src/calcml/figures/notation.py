"""Figures of the primer on notation (``notebooks/00-primer``).

* :func:`plot_broadcast` — how NumPy broadcasting fills the result of ``a op b``: every
  cell of the result names the entries of the operands it is made from, so a repeated
  operand shows as the same entry repeated along a row or a column.

Each helper draws on ``ax`` (the current axes if ``None``) and returns it. Matplotlib is
imported inside the functions, so importing this module is cheap.
"""

from __future__ import annotations

import numpy as np

from calcml.figures._common import _axes

__all__ = ["plot_broadcast"]

_OWN = "tab:blue"  # a cell where a repeated operand shows its own entry for the first time
_COPY = "tab:orange"  # a cell holding a copy of an entry shown elsewhere


def _shape(shape, name: str) -> tuple[int, ...]:
    try:
        out = tuple(int(n) for n in shape)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a shape such as (4, 3), got {shape!r}") from None
    if len(out) > 2 or any(n < 1 for n in out):
        raise ValueError(f"{name} must have at most two axes, each of length 1 or more, got "
                         f"{shape!r}")
    return out


def _index(shape: tuple[int, ...], i: int, j: int) -> tuple[str, bool]:
    """The entry of an operand of ``shape`` used at result cell (i, j), and whether that
    cell is the first to use it (its own entry rather than a copy)."""
    padded = (1,) * (2 - len(shape)) + shape  # shapes are compared from the right
    rows, cols = padded
    r, c = (i if rows > 1 else 0), (j if cols > 1 else 0)
    own = (rows > 1 or i == 0) and (cols > 1 or j == 0)
    if len(shape) == 0:
        return "", own
    if len(shape) == 1:
        return f"[{c}]", own
    return f"[{r},{c}]", own


def plot_broadcast(shape_a, shape_b, *, names=("a", "b"), op: str = "+", ax=None):
    """The result grid of ``a op b`` for arrays of shapes ``shape_a`` and ``shape_b``.

    Every cell shows which entries of ``a`` and ``b`` it combines, e.g. ``X[2,1] + b[1]``.
    An operand that broadcasts (its shape differs from the result's) has its entries
    repeated: a cell where a repeated operand's entry appears for the first time is blue;
    a cell made only of copies is orange. The title states the rule's outcome, ``(4, 3) + (3,) → (4, 3)``.

    Parameters
    ----------
    shape_a, shape_b : tuple of int
        Shapes with at most two axes (a single number has shape ``()``).
    names : (str, str)
        How the cells name the two operands.
    op : str
        The operator written between them.
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes

    Raises
    ------
    ValueError
        The shapes do not broadcast (the message is NumPy's, naming both shapes).
    """
    from matplotlib.patches import Rectangle

    sa, sb = _shape(shape_a, "shape_a"), _shape(shape_b, "shape_b")
    try:
        result = np.broadcast_shapes(sa, sb)
    except ValueError:
        raise ValueError(f"shapes {sa} and {sb} do not broadcast: compared from the right, "
                         "two lengths must be equal or one of them 1") from None
    m, n = (1,) * (2 - len(result)) + tuple(result)
    ax = _axes(ax)
    repeated = [s != result for s in (sa, sb)]
    for i in range(m):
        for j in range(n):
            parts, copies = [], []
            for (shape, name, rep) in zip((sa, sb), names, repeated, strict=True):
                index, own = _index(shape, i, j)
                parts.append(f"{name}{index}")
                if rep:
                    copies.append(not own)
            copy = bool(copies) and all(copies)  # no repeated operand shows a new entry here
            colour = _COPY if copy else _OWN
            ax.add_patch(Rectangle((j, m - 1 - i), 0.94, 0.94, facecolor=colour,
                                   alpha=0.3 if copy else 0.45, edgecolor=colour))
            ax.text(j + 0.47, m - 1 - i + 0.47, f"{parts[0]}\n{op} {parts[1]}", ha="center",
                    va="center", fontsize="small")
    ax.set_xlim(-0.1, n + 0.05)
    ax.set_ylim(-0.1, m + 0.05)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("axis 1 (columns)")
    ax.set_ylabel("axis 0 (rows)")
    ax.set_title(f"{sa} {op} {sb} → {tuple(result)}")
    return ax
