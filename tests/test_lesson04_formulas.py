"""Lesson 04's formulas, checked: partial derivatives as limits of slices, the held-fixed
rules, Schwarz's theorem on smooth functions and its counterexample, the tangent plane
and its O(|h|²) error, the partial derivatives of the MSE loss and of a neuron, and the
expected answers of the exercises (computed independently of the checkers' formulas)."""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from calcml.datasets import diabetes
from calcml.exercises import evaluate
from calcml.exercises.lesson04 import B45, B46, W45, W46, X46, linear_approximation_44
from calcml.multivariable import tangent_plane
from calcml.numdiff import derivative, gradient
from calcml.symbolic import derivative_steps

x, y, h = sp.symbols("x y h", real=True)
F = x**2 * y + sp.sin(x * y)  # the experiment's function


def test_partial_is_the_limit_of_the_slice_quotient():
    for var in (x, y):
        quotient = (F.subs(var, var + h) - F) / h
        at = {x: 1, y: 2}
        limit = sp.limit(quotient.subs(at), h, 0)
        assert sp.simplify(limit - sp.diff(F, var).subs(at)) == 0


def test_the_experiments_guesses():
    assert sp.diff(F, x) == 2 * x * y + y * sp.cos(x * y)
    assert sp.diff(F, y) == x**2 + x * sp.cos(x * y)


def test_held_variables_obey_the_constant_rules():
    assert sp.diff(x**2 * y, x) == 2 * x * y  # a constant factor stays
    assert sp.diff(x**2 + y, x) == 2 * x  # a constant term drops
    assert sp.diff(sp.sin(x * y), x) == y * sp.cos(x * y)  # it rides along in the chain rule


@pytest.mark.parametrize("expr", [F, sp.exp(x * y**2), (x**2 + y**2) * sp.log(1 + x * y),
                                  sp.tanh(3 * x - y) * x**3, (x + 2 * y) / (1 + x**2 + y**2)])
def test_derivative_steps_agree_with_sympy_for_each_variable(expr):
    for var in (x, y):
        assert sp.simplify(derivative_steps(expr, var=var).result - sp.diff(expr, var)) == 0


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=6, max_size=6))
def test_schwarz_on_smooth_functions(c):
    f = (c[0] * x**3 * y + c[1] * sp.exp(c[2] * x * y / 3) + c[3] * sp.sin(x + c[4] * y)
         + c[5] * x * y**4)
    assert sp.simplify(sp.diff(f, x, y) - sp.diff(f, y, x)) == 0


def test_the_counterexample_has_unequal_mixed_partials():
    g = x * y * (x**2 - y**2) / (x**2 + y**2)
    s = sp.Symbol("s", real=True)
    g_x_axis = sp.limit(g.subs({x: h, y: s}) / h, h, 0)  # f_x(0, s), f(0, s) = 0
    g_y_axis = sp.limit(g.subs({x: s, y: h}) / h, h, 0)  # f_y(s, 0)
    assert g_x_axis == -s
    assert g_y_axis == s
    assert sp.diff(g_x_axis, s) == -1  # f_xy(0, 0)
    assert sp.diff(g_y_axis, s) == 1  # f_yx(0, 0)
    g_xy = sp.diff(g, x, y)
    assert sp.simplify(g_xy.subs(y, 0)) == 1
    assert sp.simplify(g_xy.subs(x, 0)) == -1  # so f_xy has no limit at the origin
    assert sp.simplify(g_xy - (x**6 + 9 * x**4 * y**2 - 9 * x**2 * y**4 - y**6)
                       / (x**2 + y**2) ** 3) == 0


def test_tangent_plane_is_value_plus_gradient_dot_step():
    a = (1, 2)
    plane = tangent_plane(F, (x, y), a)
    at = dict(zip((x, y), a, strict=True))
    grad = [sp.diff(F, v).subs(at) for v in (x, y)]
    h1, h2 = sp.symbols("h1 h2", real=True)
    assert sp.simplify(plane.subs({x: 1 + h1, y: 2 + h2})
                       - (F.subs(at) + grad[0] * h1 + grad[1] * h2)) == 0


def test_plane_error_is_second_order_with_the_lessons_constant():
    """error / |h|² → |½ uᵀ H u| with H the Hessian at a and u the direction (Taylor)."""
    f = sp.lambdify((x, y), F)
    plane = sp.lambdify((x, y), tangent_plane(F, (x, y), (1, 2)))
    u = np.array([0.6, -0.8])
    hess = np.array(sp.hessian(F, (x, y)).subs({x: 1, y: 2}).evalf(), dtype=float)
    limit = abs(0.5 * u @ hess @ u)
    ratios = []
    for size in (1e-2, 1e-3):
        p = np.array([1.0, 2.0]) + size * u
        ratios.append(abs(f(*p) - plane(*p)) / size**2)
    assert ratios[-1] == pytest.approx(limit, rel=2e-3)


def test_mse_partials_symbolically_and_on_the_data():
    w, b = sp.symbols("w b", real=True)
    xs, ys = sp.symbols("x1:6", real=True), sp.symbols("y1:6", real=True)
    n = len(xs)
    L = sum((w * xi + b - yi) ** 2 for xi, yi in zip(xs, ys, strict=True)) / n
    dw = sp.Rational(2, n) * sum((w * xi + b - yi) * xi for xi, yi in zip(xs, ys, strict=True))
    db = sp.Rational(2, n) * sum(w * xi + b - yi for xi, yi in zip(xs, ys, strict=True))
    assert sp.expand(sp.diff(L, w) - dw) == 0
    assert sp.expand(sp.diff(L, b) - db) == 0
    data = diabetes()
    X, Y = data.column("bmi"), data.y

    def loss(p):
        return np.mean((p[0] * X + p[1] - Y) ** 2)

    for point in ([5.0, 0.0], [W45, B45], [10.2, -118.0]):
        r = point[0] * X + point[1] - Y
        np.testing.assert_allclose(gradient(loss, point), [2 * np.mean(r * X), 2 * np.mean(r)],
                                   rtol=1e-7, atol=1e-6)


def test_a_small_step_against_the_gradient_lowers_the_loss_by_less_than_the_plane_says():
    data = diabetes()
    X, Y = data.column("bmi"), data.y

    def loss(p):
        return np.mean((p[0] * X + p[1] - Y) ** 2)

    p0 = np.array([5.0, 0.0])
    r = p0[0] * X + p0[1] - Y
    g = np.array([2 * np.mean(r * X), 2 * np.mean(r)])
    for lr in (1e-3, 1e-4, 1e-5):
        p1 = p0 - lr * g
        assert loss(p0) - lr * g @ g < loss(p1) < loss(p0)  # convex: the plane lies below


def test_neuron_partial():
    w1, w2, b, x1, x2 = sp.symbols("w1 w2 b x1 x2", real=True)
    a = 1 / (1 + sp.exp(-(w1 * x1 + w2 * x2 + b)))
    assert sp.simplify(sp.diff(a, w1) - a * (1 - a) * x1) == 0
    assert sp.simplify(sp.diff(a, w2) - a * (1 - a) * x2) == 0


# --- the exercises' expected answers, each by a route other than its checker's ---------------


def test_exercise_answers_are_right():
    assert evaluate("4.1", sp.diff(x**3 * y**2 + sp.exp(x * y), x)).status.value == "passed"
    assert evaluate("4.2", sp.diff((x**2 + y**2) * sp.sin(x * y), y)).status.value == "passed"
    assert evaluate("4.3", sp.diff(sp.exp(x * y**2), x, y)).status.value == "passed"
    plane = tangent_plane("sqrt(x^2 + y^2)", (x, y), (3, 4))
    assert float(plane.subs({x: sp.Rational(16, 5), y: sp.Rational(39, 10)})) == pytest.approx(
        linear_approximation_44(), rel=1e-15)
    assert evaluate("4.4", plane.subs({x: sp.Rational(16, 5), y: sp.Rational(39, 10)})
                    ).status.value == "passed"
    data = diabetes()
    X, Y = data.column("bmi"), data.y
    numeric = gradient(lambda p: np.mean((p[0] * X + p[1] - Y) ** 2), [W45, B45])
    assert evaluate("4.5", numeric).status.value == "passed"

    def neuron(w2):
        return 1 / (1 + math.exp(-(W46[0] * X46[0] + w2 * X46[1] + B46)))

    assert evaluate("4.6", derivative(neuron, W46[1])).status.value == "passed"
