"""Learning-rate schedules as plain functions of the step ``t = 0, 1, 2, …``.

* :func:`step_decay` — PyTorch's ``StepLR``: multiply by ``gamma`` every ``step_size`` steps;
* :func:`cosine` — PyTorch's ``CosineAnnealingLR`` (one half period): from ``lr0`` down to
  ``lr_min`` along half a cosine over ``total_steps``.

Lesson 11 sets them beside the Robbins–Monro conditions of lesson 09
(Σ lr_t = ∞, Σ lr_t² < ∞): neither schedule meets both (the step decay's sum is finite;
a schedule that ends has finite sums) — ``1/(t + 1)`` does.

Part of the mathematical core: imports no plotting, exercises or CLI.
"""

from __future__ import annotations

import math
import numbers

__all__ = ["cosine", "step_decay"]


def _step(t) -> int:
    if isinstance(t, bool) or not isinstance(t, numbers.Integral) or t < 0:
        raise ValueError(f"the step t must be a whole number ≥ 0, got {t!r}")
    return int(t)


def _positive(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) \
            or not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a positive number, got {value!r}")
    return float(value)


def step_decay(t: int, lr0: float, step_size: int, gamma: float = 0.1) -> float:
    """``lr0 · gamma^⌊t / step_size⌋``."""
    t, lr0 = _step(t), _positive(lr0, "lr0")
    if isinstance(step_size, bool) or not isinstance(step_size, numbers.Integral) or step_size < 1:
        raise ValueError(f"step_size must be a whole number ≥ 1, got {step_size!r}")
    if isinstance(gamma, bool) or not isinstance(gamma, numbers.Real) or not 0 < gamma <= 1:
        raise ValueError(f"gamma must lie in (0, 1], got {gamma!r}")
    return lr0 * gamma ** (t // step_size)


def cosine(t: int, lr0: float, total_steps: int, lr_min: float = 0.0) -> float:
    """``lr_min + (lr0 − lr_min)(1 + cos(π t / total_steps)) / 2`` for ``t ≤ total_steps``
    (and ``lr_min`` after)."""
    t, lr0 = _step(t), _positive(lr0, "lr0")
    if isinstance(total_steps, bool) or not isinstance(total_steps, numbers.Integral) \
            or total_steps < 1:
        raise ValueError(f"total_steps must be a whole number ≥ 1, got {total_steps!r}")
    if isinstance(lr_min, bool) or not isinstance(lr_min, numbers.Real) \
            or not 0 <= lr_min <= lr0:
        raise ValueError(f"lr_min must lie in [0, lr0], got {lr_min!r}")
    t = min(t, total_steps)
    return lr_min + (lr0 - lr_min) * (1 + math.cos(math.pi * t / total_steps)) / 2
