"""What every figure module shares: the axes to draw on, argument checks that name the
bad value, and the course's drawing conventions (open circles, zero lines, log scales).

``axes(ax)`` is the one way a helper gets its axes: the given one, or the current one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import numpy as np

__all__ = ["axes"]


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        return plt.gca()
    return ax


def _check_f(f, name: str = "f") -> None:
    if not callable(f):
        raise TypeError(f"{name} must be a function of x, got {type(f).__name__} {f!r}")


def _check_interval(lim, name: str) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in lim)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a pair (low, high), got {lim!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise ValueError(f"{name} must be finite with low < high, got {lim!r}")
    return lo, hi


def _check_point(a, name: str = "a") -> float:
    if isinstance(a, (bool, np.bool_)) or not isinstance(a, (int, float, np.number)):
        raise TypeError(f"{name} must be a number, got {type(a).__name__} {a!r}")
    a = float(a)
    if not math.isfinite(a):
        raise ValueError(f"{name} must be finite, got {a}")
    return a


def _positive(value, name: str) -> float:
    value = _check_point(value, name)
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value}")
    return value


def _log_curves(xs, errors, name: str) -> np.ndarray:
    """Check the input of a log-log error plot: positive points ``name`` and a non-empty
    mapping ``errors`` of label to curve; return the points as a float array."""
    xs = np.asarray(xs, dtype=float)
    if xs.ndim != 1 or xs.size == 0 or np.any(~(xs > 0)):
        raise ValueError(f"{name} must be a non-empty 1-D array of positive numbers")
    if not isinstance(errors, Mapping) or not errors:
        raise TypeError("errors must be a non-empty mapping of label to an array of errors")
    return xs


def _values(f: Callable, xs: np.ndarray) -> np.ndarray:
    """f on an array (vectorised if possible), with inf/nan allowed as data."""
    with np.errstate(all="ignore"):
        try:
            ys = np.asarray(f(xs), dtype=float)
            if ys.shape == xs.shape:
                return ys
        except (TypeError, ValueError, ArithmeticError):
            pass
        out = np.empty_like(xs)
        for i, x in enumerate(xs):
            try:
                out[i] = float(f(float(x)))
            except (ArithmeticError, ValueError):
                out[i] = np.nan
        return out


def _name(f: Callable) -> str:
    name = getattr(f, "__name__", "f")
    return "f" if name == "<lambda>" else name


def _hollow(ax, x: float, y: float, colour: str, **kwargs) -> None:
    """An open circle: the limit's value, which f need not take."""
    ax.plot([x], [y], "o", markersize=8, markerfacecolor="white", markeredgecolor=colour,
            markeredgewidth=2, zorder=5, **kwargs)


def _axes_lines(ax) -> None:
    ax.axhline(0, color="0.75", linewidth=0.8, zorder=0)
    ax.axvline(0, color="0.75", linewidth=0.8, zorder=0)


def _log_scale(ax, which: str) -> None:
    """A log scale labelled like Python prints numbers (1e-08), as the lessons' printouts do.

    (This also skips Matplotlib's mathtext, whose first use costs a noticeable fraction
    of a second in a lesson that must run in a few seconds.)
    """
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    getattr(ax, f"set_{which}scale")("log")
    axis = ax.xaxis if which == "x" else ax.yaxis
    axis.set_major_locator(LogLocator(base=10, numticks=8))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:.0e}"))
    axis.set_minor_formatter(NullFormatter())


axes = _axes
