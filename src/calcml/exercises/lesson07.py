"""Checkers for lesson 07 — functions of several variables, Jacobians and Lagrange multipliers
(``notebooks/07-multivariable-functions``)."""

from __future__ import annotations

import math

import numpy as np

from calcml.exercises.answers import _as_typed, expect_array, expect_number
from calcml.exercises.answers import finite_array as _array
from calcml.exercises.answers import known_array_mistake as _known_mistakes
from calcml.exercises.core import Hint, exercise

__all__ = ["problem_7_2", "problem_7_3", "problem_7_4"]


def _flat_point(answer, d: int):
    """A point typed as a column or row (a SymPy Matrix, [[x], [y]]) read as a flat vector."""
    arr = _array(answer)
    if arr is not None and arr.shape in ((d, 1), (1, d)):
        return arr.reshape(d)
    return answer if arr is None else arr


# --- 7.1: a limit that depends on the path ----------------------------------------------
@exercise("7.1", "xy/(x² + y²) along the line y = 3x")
def limit_along_a_line(answer):
    # along y = m x: x·mx / (x² + m²x²) = m / (1 + m²) for every x ≠ 0
    m = 3.0
    expect_number(answer, m / (1 + m * m), mistakes=[
        (0.0, ("that is the limit along the axes (or what plugging in 0 would suggest); along "
               "y = 3x the function is constant — substitute y = 3x and simplify")),
        (0.5, "that is the value along the diagonal y = x; the path here is y = 3x"),
        (m / (1 + m), "check the denominator: with y = 3x, y² is 9x², not 3x²"),
        (m / (m * m), "the x² term of the denominator is missing: x² + y² = x² + 9x²"),
        (m, "the denominator x² + y² must be substituted too, not just the numerator"),
        (2 * m / (1 + m * m), "that is 2xy/(x² + y²); the function here is xy/(x² + y²)"),
    ], factor_hint="substitute y = 3x in numerator and denominator and cancel x²")


# --- 7.2: a Jacobian, m × n ----------------------------------------------------------------
def problem_7_2():
    """F(x, y) = (x² y, sin x + y, x e^y) and the point (1, 0.5) of exercise 7.2."""
    def F(v):
        x, y = v[0], v[1]
        return np.array([x ** 2 * y, np.sin(x) + y, x * np.exp(y)])
    return F, np.array([1.0, 0.5])


def _jacobian_7_2(x, y):
    return np.array([[2 * x * y, x ** 2], [math.cos(x), 1.0], [math.exp(y), x * math.exp(y)]])


@exercise("7.2", "the Jacobian of F(x, y) = (x²y, sin x + y, x eʸ)")
def jacobian_of_a_map(answer):
    x, y = problem_7_2()[1]
    right = _jacobian_7_2(x, y)
    arr = _array(answer)
    _known_mistakes(arr, right, [
        (right.sum(axis=0), ("that is one row — the gradient of the sum of the three outputs; "
                            "the Jacobian keeps one row per output")),
        (right.sum(axis=1), "that adds the partials of each output; keep them apart, one column each"),
        (right[:, ::-1], ("the columns are swapped: column j holds the partials with respect to "
                          "the j-th input, x first, then y")),
        (_jacobian_7_2(y, x), "the partials are evaluated at the wrong point: x = 1, y = 0.5"),
        (np.array([[2 * x * y, x ** 2], [math.cos(x), 0.0], [math.exp(y), x * math.exp(y)]]),
         "∂/∂y of sin x + y is 1: the y term counts"),
        (np.array([[2 * x * y, x ** 2], [-math.cos(x), 1.0], [math.exp(y), x * math.exp(y)]]),
         "check the derivative of sin: it is cos, with a plus sign"),
        (np.array([[2 * x * y, x ** 2], [math.cos(x), 1.0], [math.exp(y), math.exp(y)]]),
         "∂/∂y of x eʸ keeps the factor x"),
        (np.array([[2 * x, x ** 2], [math.cos(x), 1.0], [math.exp(y), x * math.exp(y)]]),
         "∂/∂x of x²y keeps the factor y"),
    ])
    expect_array(answer, right, what="your Jacobian",
                 factor_hint="each entry is one partial derivative, with no extra factor")


# --- 7.3: the softmax Jacobian ---------------------------------------------------------------
def problem_7_3():
    """The scores z of exercise 7.3."""
    return np.array([1.0, 2.0, 0.5])


def _softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


@exercise("7.3", "the Jacobian of softmax")
def softmax_jacobian(answer):
    p = _softmax(problem_7_3())
    right = np.diag(p) - np.outer(p, p)
    arr = _array(answer)
    _known_mistakes(arr, right, [
        (np.diag(p), ("the off-diagonal entries are missing: every output p_i depends on every "
                      "score z_j through the sum in the denominator")),
        (np.diag(p * (1 - p)), ("the diagonal is right, but each p_i depends on every z_j through "
                                "the shared denominator: the off-diagonal entries are not 0")),
        (-np.outer(p, p), "the diagonal term is missing: ∂p_i/∂z_i has an extra p_i"),
        (np.outer(p, 1 - p), ("δ_ij is 1 only when i = j: off the diagonal it is 0, so those "
                              "entries are not p_i(1 − p_j)")),
        (np.diag(p) + np.outer(p, p), ("the off-diagonal entries have the wrong sign: raising z_j "
                                      "makes every other p_i smaller")),
        (np.outer(p, p), "the diagonal term is missing, and the off-diagonal sign is wrong"),
        (p, "that is softmax itself (one entry per output); its Jacobian is 3 × 3"),
        (np.diag(np.exp(problem_7_3())) - np.outer(np.exp(problem_7_3()), np.exp(problem_7_3())),
         "use the probabilities p = softmax(z), not eᶻ"),
    ])
    expect_array(answer, right, what="your Jacobian",
                 factor_hint="check the formula of ∂p_i/∂z_j; no constant factor belongs in it")


# --- 7.4: the chain rule as a product of Jacobians -----------------------------------------
def problem_7_4():
    """W (3, 2), b (3,) and x (2,) of exercise 7.4: a = tanh(W x + b)."""
    rng = np.random.default_rng(7)
    return rng.normal(size=(3, 2)), rng.normal(size=3) / 2, np.array([0.4, -0.3])


@exercise("7.4", "the Jacobian of a layer with its activation")
def layer_jacobian(answer):
    W, b, x = problem_7_4()
    z = W @ x + b
    a = np.tanh(z)
    right = np.diag(1 - a ** 2) @ W
    arr = _array(answer)
    _known_mistakes(arr, right, [
        (W, "that is the Jacobian of z = Wx + b alone; tanh has a Jacobian of its own"),
        (np.diag(1 - a ** 2), ("that is the Jacobian of tanh alone (3 × 3); multiply by the "
                              "Jacobian of z = Wx + b")),
        (np.diag(1 - a) @ W, "tanh' is 1 − tanh², not 1 − tanh"),
        (np.diag(1 - np.tanh(x @ W.T) ** 2) @ W, "tanh' is evaluated at z = Wx + b: the bias belongs in it"),
        (W.T @ np.diag(1 - a ** 2), ("that product is in the wrong order (and so has the shape "
                                     "of the transpose): J = J_tanh · J_layer")),
        (np.diag(a) @ W, "you used tanh itself where its derivative belongs"),
        ((1 - a ** 2) @ W, ("that is a vector–Jacobian product (a row vector); the full "
                            "Jacobian is 3 × 2")),
    ])
    expect_array(answer, right, what="your Jacobian",
                 factor_hint="check each factor of J_tanh · J_layer; no constant belongs in it")


# --- 7.5: the Jacobian determinant ----------------------------------------------------------
@exercise("7.5", "how a map scales small areas")
def area_factor(answer):
    # F(x, y) = (x² − y², 2xy) at (1, 0.5): J = [[2x, −2y], [2y, 2x]], det = 4(x² + y²)
    x, y = 1.0, 0.5
    det = 4 * (x * x + y * y)
    expect_number(answer, det, mistakes=[
        (4 * x, "that is the trace (or the product of the diagonal entries), not the determinant ad − bc"),
        (4 * x * x - 4 * y * y, "check the sign of bc in ad − bc: here b = −2y and c = 2y"),
        (math.sqrt(det), "that is how lengths stretch; areas scale by |det J| itself"),
        (1 / det, "that is the inverse map's factor; F stretches areas by |det J|"),
    ], factor_hint="compute the four partial derivatives and then ad − bc")


# --- 7.6, 7.7: Lagrange multipliers ------------------------------------------------------
@exercise("7.6", "the maximum of 3x + 4y on the unit circle")
def lagrange_point(answer):
    right = np.array([0.6, 0.8])
    answer = _flat_point(answer, 2)
    arr = _array(answer)
    if arr is not None and arr.shape == (2,) and not np.allclose(arr, right, rtol=1e-6, atol=1e-9):
        if np.allclose(arr, [3.0, 4.0]):
            raise Hint("that is ∇f itself; the point you want lies on the constraint x² + y² = 1, "
                        "where ∇f = λ∇g")
        if np.allclose(arr, -right):
            raise Hint("that candidate is the minimum of 3x + 4y on the circle; the exercise asks "
                       "for the maximum")
        if np.allclose(arr, [0.8, 0.6]):
            raise Hint("x and y are swapped: ∇f = λ∇g gives 3 = 2λx and 4 = 2λy")
        if abs(arr @ arr - 1) > 1e-6:
            raise Hint(f"your point ({_as_typed(arr[0])}, {_as_typed(arr[1])}) is not on the "
                       "constraint x² + y² = 1")
        raise Hint(f"your point ({_as_typed(arr[0])}, {_as_typed(arr[1])}) is on the circle, but "
                   "∇f is not parallel to ∇g there: the level line of f through it crosses the "
                   "circle, so moving along the circle still increases or decreases f")
    expect_array(answer, right, what="your point", factor_hint=None)


@exercise("7.7", "what the multiplier measures")
def lagrange_multiplier(answer):
    # f*(c) = max of 3x + 4y on x² + y² = c is 5√c; df*/dc = 5/(2√c) = λ = 5/2 at c = 1
    expect_number(answer, 2.5, mistakes=[
        (5.0, ("5 is the maximum value itself — or its rate per unit of radius r (f* = 5r); "
               "the question asks per unit of c = r²")),
        (-2.5, "a looser constraint (larger c) gives a larger circle, and so a larger maximum"),
        (0.4, "that is 1/λ: the multiplier is defined by ∇f = λ∇g, not ∇g = λ∇f"),
    ], factor_hint="solve ∇f = λ∇g with ∇g = (2x, 2y) at the maximiser, or differentiate f*(c)")

