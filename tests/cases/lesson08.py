"""Right and wrong answers for lesson 08's exercises (the Hessian, curvature, Newton's method)."""

import math

import numpy as np

from calcml.exercises.lesson08 import problem_8_4

E = math.e  # e^(xy) at (2, 0.5)
H1 = np.array([[6 + E / 4, 12 + 2 * E], [12 + 2 * E, 4 * E]])
G3, H3 = np.array([5.0, 3.0]), np.array([[12.0, 1.0], [1.0, 2.0]])
X3 = np.ones(2) - np.linalg.solve(H3, G3)
X4, Y4, W4 = problem_8_4()
P4 = 1 / (1 + np.exp(-X4 @ W4))
H4 = X4.T @ np.diag(P4 * (1 - P4)) @ X4 / 6

CASES = {
    "8.1": {
        "right": [H1, H1.tolist()],
        "wrong": [
            (np.array([3 * 4 * 0.5 + 0.5 * E, 8 + 2 * E]), "that is the gradient"),
            (np.diag(np.diag(H1)), "mixed partials"),
            (np.array([[6 + E / 4, 12 + E], [12 + E, 4 * E]]), "is a product"),
            (np.array([[6 + E / 2, 12 + 2 * E], [12 + 2 * E, 4 * E]]), "not just one"),
            (np.array([[6 + E, 12 + 2 * E], [12 + 2 * E, 4 * E]]), "chain rule twice"),
            (np.array([[6 + E / 4, 12 + 2 * E], [12 + 2 * E, 2 * E]]), "chain rule"),
            (np.array([[6 + E / 4, 12 + 2 * E], [0.0, 4 * E]]), "symmetric"),
            (np.array([[4 * E, 12 + 2 * E], [12 + 2 * E, 6 + E / 4]]), "diagonal is swapped"),
            (np.array([[6 + 4 * E, 0.75 + 2 * E], [0.75 + 2 * E, E / 4]]), "wrong point"),
            (2 * H1, "constant factor"),
            (np.round(H1, 2), "don't round"),
        ],
    },
    "8.2": {
        "right": ["saddle", "Saddle point", "a saddle", "saddle-point"],
        "wrong": [
            ("minimum", "not enough"),
            ("min", "eigenvalues of H"),
            ("maximum", "not a maximum"),
            ("inconclusive", "det H"),
            ("hyperbolic", "write one of"),
            (-1.0, "a string"),
        ],
    },
    "8.3": {
        "right": [X3, X3.tolist(), X3.reshape(2, 1)],
        "wrong": [
            (np.ones(2) - G3, "gradient-descent step"),
            (np.ones(2) - H3 @ G3, "do not multiply"),
            (np.ones(2) + np.linalg.solve(H3, G3), "against the gradient"),
            (np.ones(2) - G3 / np.diag(H3), "off-diagonal"),
            (-np.linalg.solve(H3, G3), "the new point is x₀ + p"),
            (np.zeros(3), "shape"),
        ],
    },
    "8.4": {
        "right": [H4, H4.tolist()],
        "wrong": [
            (X4.T @ X4 / 6, "weights S"),
            (X4.T @ X4 / 24, "evaluated at w = 0"),
            (H4 + np.diag([0.0, 1.0, 1.0]) / 6, "no penalty term"),
            (H4 + np.eye(3) / 6, "no penalty term"),
            (X4.T @ np.diag(P4) @ X4 / 6, "not p"),
            (X4.T @ np.diag(1 - P4) @ X4 / 6, "not 1 − p"),
            (X4.T @ np.diag(Y4 - P4) @ X4 / 6, "labels y do not enter"),
            (X4 @ X4.T / 6, "XᵀSX, not XSXᵀ"),
            (X4.T @ (P4 - Y4) / 6, "that is the gradient"),
            (6 * H4, "mean over the n examples"),
        ],
    },
    "8.5": {
        "right": [1.5, "3/2"],
        "wrong": [
            (0.0, "negative eigenvalue"),
            (1.0, "singular"),
            (0.5, "start from the smallest eigenvalue"),
            (2.5, "sign of the smallest"),
            (3.5, "largest eigenvalue"),
            (-1.5, "must be positive"),
            (2.0, "off-diagonal entry"),
            (1.4, "too small"),
        ],
    },
    "8.6": {
        "right": [1 / 1024, 2 ** -10, "1/1024", "2^-10"],
        "wrong": [
            (0.5, "not just one"),
            (0.1, "multiply"),
            (0.001, "1024, not 1000"),
            (1 - 1 / 1024, "at least one eigenvalue is negative"),
            (2 / 1024, "minima and maxima together"),
            (2 ** -11, "ten independent halves"),
            (0.00098, "close but slightly"),
        ],
    },
}
