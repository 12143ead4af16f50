"""The record of an iterative optimiser's run, shared by every method in this package.

``gradient_descent`` (lesson 05), ``newton`` (lesson 08) and the trajectory figures
(lessons 05, 07, 08, 11) all speak this one type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import numpy as np

__all__ = ["History", "StopReason"]


class StopReason(str, Enum):
    """Why an optimiser stopped."""

    CONVERGED = "converged"  # the gradient norm fell below tol
    MAX_STEPS = "ran out of steps"  # num_steps were taken
    DIVERGED = "diverged"  # a non-finite or exploding iterate (or value)
    SINGULAR = "singular"  # a linear system could not be solved (Newton without damping)


@dataclass
class History:
    """Every iterate of a run and why it ended.

    Attributes
    ----------
    xs : ndarray, shape (k + 1, d)
        Every iterate, ``xs[0]`` being the starting point. ``k == num_steps`` unless the
        run stopped early.
    values : ndarray of shape (k + 1,) or None
        ``f`` at each iterate, when ``f`` was given.
    grad_norms : ndarray, shape (k + 1,)
        The Euclidean norm of the gradient at each iterate (NaN where it could not be
        computed, e.g. at a diverged iterate).
    reason : StopReason
        Why the run stopped.
    message : str
        One sentence for a learner, e.g. "diverged at step 7: |x| = 3.1e+160".
    """

    xs: np.ndarray
    values: np.ndarray | None
    grad_norms: np.ndarray
    reason: StopReason
    message: str = ""
    extras: dict = field(default_factory=dict)

    @property
    def x(self) -> np.ndarray:
        """The last iterate."""
        return self.xs[-1]

    @property
    def num_steps(self) -> int:
        """How many steps were taken (``len(xs) - 1``)."""
        return len(self.xs) - 1

    @property
    def converged(self) -> bool:
        return self.reason is StopReason.CONVERGED

    @property
    def diverged(self) -> bool:
        return self.reason is StopReason.DIVERGED

    def __repr__(self) -> str:
        last = np.array2string(np.asarray(self.x), precision=6)
        return (f"History({self.num_steps} steps, {self.reason.value}, x = {last}"
                + (f": {self.message}" if self.message else "") + ")")
