"""Right and wrong answers for lesson 09's exercises (sequences, series and Taylor)."""

import math

import numpy as np
import sympy as sp

x = sp.Symbol("x", real=True)  # as the lesson's symbol, with an assumption

CASES = {
    "9.1": {
        "right": [2, 2.0, "2", 3 * 0.4 / 0.6, sp.Integer(2), np.float64(2.0)],
        "wrong": [
            (5.0, "starts at n = 1"),
            (3 / 1.4, "sign in 1/(1 − r)"),
            (1.2, "only the first term"),
            (1 / 0.6, "factor 3"),
            (math.inf, "finite"),
            (2.01, "close but"),
        ],
    },
    "9.2": {
        "right": [[False, True, False, True], ("diverges", "converges", "diverges", "converges"),
                  {"a": False, "b": True, "c": False, "d": True}, ["d", "c", "d", "c"],
                  np.array([False, True, False, True]),
                  ["diverges", "converges", "diverges", "converges conditionally"]],
        "wrong": [
            ([True, True, False, True], "tend to 0 do not make"),
            ([False, False, False, True], "1 − cos t ≈ t²/2"),
            ([False, True, True, True], "ratio test"),
            ([False, True, False, False], "alternating series test"),
            ([True, False, True, False], "4 verdicts are not right"),
            ([True, True, True], "exactly four"),
            (["yes", "no", "no", "yes"], "True/False"),
        ],
    },
    "9.3": {
        "right": [3, 3.0, "3", sp.Integer(3)],
        "wrong": [
            (1 / 3, "limit of |c_(n+1)/c_n|"),
            (1, "changes the radius"),
            ("oo", "try x = 4"),
            (0, "not 0"),
            (9, "too large"),
        ],
    },
    "9.4": {
        "right": [
            "2 + (x - 4)/4 - (x - 4)^2/64",
            "-x^2/64 + 3x/8 + 3/4",
            2 + (x - 4) / 4 - (x - 4) ** 2 / 64,
            "2 + (x−4)/4 − (x−4)²/64",
            "3/4 + 0.375x - 0.015625x^2",
        ],
        "wrong": [
            ("2 + (x - 4)/4 - (x - 4)^2/32", "2!"),
            ("2 + (x - 4)/4 + (x - 4)^2/64", "sign of f''(4)"),
            ("2 + x/4 - x^2/64", "powers of (x − 4)"),
            ("2 + (x - 4)/4", "degree 1"),
            ("2 + (x - 4)/2 - (x - 4)^2/64", "check f'(4)"),
            ("sqrt(x)", "f itself"),
            (2.0, "a polynomial in x is expected"),
        ],
    },
    "9.5": {
        "right": [11, 11.0, "11", np.int64(11)],
        "wrong": [
            (12, "count degrees, not terms"),
            (10, "still above 1e-8"),
            (8, "still above 1e-8"),
            (11.5, "whole number"),
            (-1, "whole number"),
        ],
    },
    "9.6": {
        "right": [1 / (1 - 0.9**10), 1.5353, "1/(1 - 0.9^10)"],
        "wrong": [
            (10.0, "already has the factor (1 − β)"),
            (1 - 0.9**10, "the correction undoes it"),
            (1 / (1 - 0.9**9), "m_1 already holds one term"),
            (1 / (1 - 0.9**11), "m_0 = 0 holds none"),
            (0.9**10, "weight left on the starting value"),
            (1.0, "has not caught up"),
        ],
    },
}
