"""Right and wrong answers for lesson 07's exercises (multivariable functions, Jacobians,
Lagrange multipliers)."""

import math

import numpy as np

from calcml.exercises.lesson07 import problem_7_3, problem_7_4

J2 = np.array([[1.0, 1.0], [math.cos(1.0), 1.0], [math.exp(0.5), math.exp(0.5)]])
Z3 = problem_7_3()
P3 = np.exp(Z3) / np.exp(Z3).sum()
J3 = np.diag(P3) - np.outer(P3, P3)
W4, B4, X4 = problem_7_4()
A4 = np.tanh(W4 @ X4 + B4)
J4 = np.diag(1 - A4 ** 2) @ W4

CASES = {
    "7.1": {
        "right": [0.3, "3/10", 3 / 10],
        "wrong": [
            (0.0, "limit along the axes"),
            (0.5, "diagonal y = x"),
            (0.75, "y² is 9x²"),
            (1 / 3, "x² term of the denominator"),
            (3.0, "denominator x² + y² must be substituted"),
            (0.6, "2xy"),
            (0.15, "constant factor"),
            (0.31, "too large"),
        ],
    },
    "7.2": {
        "right": [J2, J2.tolist()],
        "wrong": [
            (J2.T, "transposed"),
            (J2.sum(axis=0), "one row per output"),
            (J2[:, ::-1], "columns are swapped"),
            (np.array([[1.0, 1.0], [math.cos(1.0), 0.0], [math.exp(0.5), math.exp(0.5)]]),
             "the y term counts"),
            (np.array([[1.0, 1.0], [-math.cos(1.0), 1.0], [math.exp(0.5), math.exp(0.5)]]),
             "derivative of sin"),
            (2 * J2, "constant factor"),
            (np.round(J2, 2), "don't round"),
        ],
    },
    "7.3": {
        "right": [J3, J3.tolist()],
        "wrong": [
            (np.diag(P3), "off-diagonal entries are missing"),
            (np.diag(P3 * (1 - P3)), "off-diagonal entries are not 0"),
            (-J3, "wrong sign"),
            (-np.outer(P3, P3), "diagonal term is missing"),
            (np.outer(P3, 1 - P3), "δ_ij is 1 only when i = j"),
            (np.diag(P3) + np.outer(P3, P3), "off-diagonal entries have the wrong sign"),
            (P3, "softmax itself"),
            (np.diag(np.exp(Z3)) - np.outer(np.exp(Z3), np.exp(Z3)), "not eᶻ"),
        ],
    },
    "7.4": {
        "right": [J4, (1 - A4 ** 2)[:, None] * W4],
        "wrong": [
            (W4, "tanh has a Jacobian of its own"),
            (np.diag(1 - A4 ** 2), "Jacobian of tanh alone"),
            (np.diag(1 - A4) @ W4, "not 1 − tanh"),
            (np.diag(1 - np.tanh(W4 @ X4) ** 2) @ W4, "bias belongs"),
            (W4.T @ np.diag(1 - A4 ** 2), "wrong order"),
            ((1 - A4 ** 2) @ W4, "vector–Jacobian product"),
            (np.diag(A4) @ W4, "tanh itself"),
        ],
    },
    "7.5": {
        "right": [5, 5.0, "5"],
        "wrong": [
            (4.0, "not the determinant"),
            (3.0, "sign of bc"),
            (math.sqrt(5), "lengths stretch"),
            (0.2, "inverse map"),
            (2.5, "constant factor"),
            (-5.0, "wrong sign"),
        ],
    },
    "7.6": {
        "right": [[0.6, 0.8], (3 / 5, 4 / 5), np.array([0.6, 0.8]), [[0.6], [0.8]]],
        "wrong": [
            ([3.0, 4.0], "that is ∇f itself"),
            ([-0.6, -0.8], "minimum"),
            ([0.8, 0.6], "swapped"),
            ([0.6, 0.7], "not on the constraint"),
            ([1.0, 0.0], "not parallel"),
            ([0.6, 0.8, 0.0], "shape"),
        ],
    },
    "7.7": {
        "right": [2.5, "5/2"],
        "wrong": [
            (5.0, "per unit of c"),
            (-2.5, "larger maximum"),
            (0.4, "1/λ"),
            (1.25, "constant factor"),
        ],
    },
}
