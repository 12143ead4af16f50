"""Checkers for lesson 01 — functions and limits (``notebooks/01-functions-and-limits``)."""

from __future__ import annotations

import math

from calcml.exercises.answers import expect_number
from calcml.exercises.core import exercise


@exercise("1.1", "a limit from a table")
def limit_sin_over_x_scaled(answer):
    # lim_{x->0} sin(3x)/x = 3
    expect_number(answer, 3.0, rtol=1e-6, mistakes=[
        (1.0, "that is the limit of sin(x)/x; here the angle is 3x, not x"),
        (1 / 3, "upside down: sin(3x)/x, not x/sin(3x)"),
        (math.sin(3.0), "that is the value at x = 1, not the limit as x → 0"),
    ])
