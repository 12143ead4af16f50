"""Right and wrong answers for the primer's exercises (notation: vectors, matrices, shapes,
matrix products, broadcasting, sums)."""

import numpy as np

from calcml.exercises.lesson00 import primer_data

U = np.array([2.0, -1.0, 3.0])
V = np.array([4.0, 0.5, -2.0])
A = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
W = np.array([0.5, -2.0])
X, Y = primer_data()
ERR = Y.mean() - Y

CASES = {
    "0.1": {
        "right": [1.5, np.float64(1.5), "3/2", np.array([1.5])],
        "wrong": [
            (U * V, "entry-by-entry"),
            (U.sum() * V.sum(), "product of the two sums"),
            (14.5, "sign is lost"),
            (-1.5, "sign"),
            (10**400, "too large for a float"),  # an int NumPy cannot read as a float
        ],
    },
    "0.2": {
        "right": [(569, 8), [569, 8], np.array([569, 8]), np.empty((569, 8)).shape],
        "wrong": [
            ((8, 569), "swapped"),
            ((569, 30), "inner lengths"),
            ((30, 8), "inner lengths"),
            ("(569, 8)", "string"),
            (np.empty((569, 8)), "its shape"),
            ((569,), "two numbers"),
            ({569, 8}, "a set has no order"),  # iterated as (8, 569): not "swapped"
        ],
    },
    "0.3": {
        "right": [A @ W + 1, list(A @ W + 1), np.array([-2.5, -5.5, -8.5])],
        "wrong": [
            (A * W + 1, "entry by entry"),
            (A @ W, "bias"),
            (A @ W[::-1] + 1, "wrong columns"),
            (A.T @ np.ones(3), "one number per row"),
            (A @ W - 1, "not subtracted"),
            ((A @ W + 1).reshape(3, 1), "shape"),
        ],
    },
    "0.4": {
        "right": [385, 385.0, "385"],
        "wrong": [
            (285, "range(10)"),
            (3025, "square of the sum"),
            (55, "square each index"),
            (110, "2 times i"),
            (506, "one step too far"),
            (np.arange(1, 11) ** 2, "adds them up"),
            (sum(i**3 for i in range(1, 11)), "sum of the cubes"),  # Σ i³ = (Σ i)² = 3025
            # not whole: told so, not "keep 13 significant figures"
            (385.4, "not a whole number"),
            ("385.5", "not a whole number"),
            (10**400, "too large for a float"),  # was "could not check this answer"
        ],
    },
    "0.5": {
        "right": [float(np.mean(ERR**2)), float(np.var(Y)), float(f"{np.var(Y):.7g}")],
        "wrong": [
            (float(np.sum(ERR**2)), "sum of the squared errors"),
            (float(np.std(Y)), "square root"),
            (float(np.mean(ERR) ** 2), "square each error first"),
            (float(np.sum(ERR**2) / 441), "n − 1"),
            (float(np.mean(np.abs(ERR))), "absolute"),
            (ERR**2, "one number per patient"),
            (float(np.mean(Y**2)), "targets y themselves"),
            (round(float(np.var(Y)), 0), "don't round"),
            (float(f"{np.var(Y):.4g}"), "copied it by hand"),
            ("5,934", "flat line at 150"),  # read off the figure's title
            (float(np.mean((150.0 - Y) ** 2)), "flat line at 150"),
            (38699.369008, "random linear model"),  # the section's printed MSE
        ],
    },
    "0.6": {
        "right": [X - X.mean(axis=0), X - X.mean(axis=0, keepdims=True)],
        "wrong": [
            (X - X.mean(), "one number"),
            (X - X.mean(axis=1, keepdims=True), "row's mean"),
            ((X - X.mean(axis=0)) / X.std(axis=0), "spread"),
            (X.mean(axis=0), "one number per column"),
            (X, "unchanged"),
            ((X - X.mean(axis=0)).T, "transposed"),
            # rounded to 6 decimals: relative errors up to 5e-5 on the smallest entries
            # (0.003), above the 1e-6 the exercise states (an absolute 1e-6 passed it)
            (np.round(X - X.mean(axis=0), 6), "close to the expected values"),
        ],
    },
}
