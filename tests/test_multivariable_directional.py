"""calcml.multivariable.directional_derivative and tangent_plane: exact against SymPy,
against central differences for random functions, points and directions, and bad input
named."""

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from calcml.multivariable import directional_derivative, tangent_plane
from calcml.numdiff import derivative
from calcml.parsing import ExpressionError

x, y, z = sp.symbols("x y z", real=True)


def test_exact_slope_along_a_unit_direction():
    u = (sp.Rational(3, 5), sp.Rational(4, 5))
    assert directional_derivative("x^2*y + sin(x*y)", ("x", "y"), (0, 2), u) == sp.Rational(6, 5)
    # ∇(x² + 3y) = (2x, 3) = (2, 3) at (1, 2)
    assert directional_derivative(x**2 + 3 * y, (x, y), (1, 2), u) == sp.Rational(18, 5)


def test_normalize_divides_by_the_length():
    got = directional_derivative("x^2 + 3y", "x, y", (1, 2), (1, 1), normalize=True)
    assert sp.simplify(got - 5 / sp.sqrt(2)) == 0


def test_along_an_axis_it_is_the_partial_derivative():
    f = x**3 * y + sp.exp(y * z)
    point = (1, 2, 0)
    for i, s in enumerate((x, y, z)):
        e = [0, 0, 0]
        e[i] = 1
        assert directional_derivative(f, (x, y, z), point, e) == sp.diff(f, s).subs(
            dict(zip((x, y, z), point, strict=True)))


def test_opposite_direction_flips_the_sign_and_decimals_are_accepted():
    u = (math.cos(0.3), math.sin(0.3))
    forward = directional_derivative("x*y", "x y", (1.0, 2.0), u)
    back = directional_derivative("x*y", "x y", (1.0, 2.0), (-u[0], -u[1]))
    assert float(forward) == pytest.approx(2 * u[0] + 1 * u[1], rel=1e-14)
    assert float(back) == pytest.approx(-float(forward), rel=1e-14)


def test_multi_letter_variables_and_symbols_from_the_caller():
    w, b = sp.symbols("w b")  # not real: matched by name, the result in the caller's symbols
    got = directional_derivative((w * 2 + b - 1) ** 2, ("w", "b"), (0, 0), (0, 1))
    assert got == -2
    plane = tangent_plane((w * 2 + b - 1) ** 2, (w, b), (0, 0))
    assert plane == 1 - 4 * w - 2 * b
    assert plane.free_symbols == {w, b}


FUNCS = [
    ("sin(x)*cos(y) + x^2", lambda p: np.sin(p[0]) * np.cos(p[1]) + p[0] ** 2),
    ("exp(x*y)/(1 + y^2)", lambda p: np.exp(p[0] * p[1]) / (1 + p[1] ** 2)),
    ("ln(1 + x^2 + y^4)", lambda p: np.log(1 + p[0] ** 2 + p[1] ** 4)),
]


@settings(max_examples=40, deadline=None)
@given(which=st.integers(0, len(FUNCS) - 1), a=st.floats(-1.5, 1.5), c=st.floats(-1.5, 1.5),
       theta=st.floats(0, 2 * math.pi))
def test_agrees_with_a_central_difference_along_the_line(which, a, c, theta):
    text, f = FUNCS[which]
    u = np.array([math.cos(theta), math.sin(theta)])
    exact = float(directional_derivative(text, ("x", "y"), (a, c), tuple(u)))
    numeric = derivative(lambda t: f(np.array([a, c]) + t * u), 0.0)
    assert exact == pytest.approx(numeric, rel=1e-6, abs=1e-7)


@settings(max_examples=30, deadline=None)
@given(which=st.integers(0, len(FUNCS) - 1), a=st.floats(-1.0, 1.0), c=st.floats(-1.0, 1.0),
       theta=st.floats(0, 2 * math.pi))
def test_tangent_plane_error_is_second_order(which, a, c, theta):
    """f(a + h·u) − plane(a + h·u) = ½ h² uᵀH(a)u + O(h³): the plane misses f by exactly
    the quadratic term, so error / h² tends to ½ uᵀHu, with a gap that shrinks like h."""
    text, f = FUNCS[which]
    plane = sp.lambdify((x, y), tangent_plane(text, (x, y), (a, c)))
    u = np.array([math.cos(theta), math.sin(theta)])
    hessian = np.array(sp.hessian(_expr(text), (x, y)).subs({x: a, y: c}), dtype=float)
    half_q = 0.5 * u @ hessian @ u
    for h in (1e-2, 2e-3, 4e-4):
        p = np.array([a, c]) + h * u
        gap = abs((f(p) - plane(*p)) / h**2 - half_q)
        # the gap is h/6 times the third directional derivative, + O(h^2): below 5h for
        # these functions on [-1, 1]^2 (|third derivatives| < 30); round-off ~1e-16/h^2
        assert gap <= 5 * h + 1e-15 / h**2, (h, gap)


def test_tangent_plane_touches_and_has_the_slopes():
    f = x**2 * y + sp.sin(x * y)
    plane = tangent_plane(f, (x, y), (1, 2))
    at = {x: 1, y: 2}
    assert plane.subs(at) == f.subs(at)
    assert sp.diff(plane, x) == sp.diff(f, x).subs(at)
    assert sp.diff(plane, y) == sp.diff(f, y).subs(at)
    assert sp.diff(plane, x, 2) == 0


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (lambda: directional_derivative("x*y", "x y", (1, 2), (1, 1)), ValueError,
         "unit vector.*1.41421"),
        (lambda: directional_derivative("x*y", "x y", (1, 2), (0, 0)), ValueError, "zero vector"),
        (lambda: directional_derivative("x*y", "x y", (1, 2), (0, 0), normalize=True),
         ValueError, "zero vector"),
        (lambda: directional_derivative("x*y", "x y", (1, 2, 3), (1, 0)), ValueError,
         "point has 3 coordinates but there are 2 variables"),
        (lambda: directional_derivative("x*y", "x y", (1, 2), (1,)), ValueError,
         "u has 1 coordinates"),
        (lambda: directional_derivative("x*y", "x y", 1, (1, 0)), TypeError, "point must be a list"),
        (lambda: directional_derivative("x*y", "x y", (1, "a"), (1, 0)), ValueError,
         r"point\[1\] must be a number, got 'a'"),
        (lambda: directional_derivative("x*y", "x y", ("pi/4", 1), (1, 0)), None, None),
        (lambda: directional_derivative("x*y", "x y", (1, None), (1, 0)), TypeError,
         r"point\[1\] must be a number"),
        (lambda: directional_derivative("x*y", "x y", (1, float("nan")), (1, 0)), ValueError,
         "finite"),
        (lambda: directional_derivative("x**__import__('os')", "x y", (1, 2), (1, 0)),
         ExpressionError, "not allowed"),
        (lambda: directional_derivative([1, 2], "x y", (1, 2), (1, 0)), TypeError,
         "f must be an expression"),
        (lambda: directional_derivative("x*y", "x x", (1, 2), (1, 0)), ValueError, "twice"),
        (lambda: directional_derivative("x*y", "", (1, 2), (1, 0)), ValueError, "empty"),
        (lambda: directional_derivative("x*y", ("x", "sin"), (1, 2), (1, 0)), ValueError,
         "function or a constant"),
        (lambda: directional_derivative("x*y", 3, (1, 2), (1, 0)), TypeError, "vars"),
        (lambda: tangent_plane("1/x", "x y", (0, 1)), ValueError, "not defined"),
        # outside the domain, or on its edge: refused, not a complex or infinite plane
        (lambda: tangent_plane("sqrt(x)", "x y", (-1, 1)), ValueError, "not a finite real"),
        (lambda: tangent_plane("sqrt(x) + y", "x y", (0, 1)), ValueError, "∂f/∂x is not"),
        (lambda: directional_derivative("sqrt(x)", "x y", (-1, 1), (1, 0)), ValueError,
         "no tangent plane"),
        (lambda: directional_derivative("log(x) + y", "x y", (0, 1), (0, 1)), ValueError,
         "∂f/∂x is not a finite real"),
        (lambda: tangent_plane("x*y", "x y", (0,)), ValueError, "point has 1 coordinates"),
    ],
)
def test_bad_input_is_named(call, error, match):
    if error is None:  # a string that is a number is fine
        call()
        return
    with pytest.raises(error, match=match):
        call()


def _expr(text):
    from calcml.parsing import parse_expression

    return parse_expression(text, ("x", "y")).subs(
        {s: {"x": x, "y": y}[s.name] for s in parse_expression(text, ("x", "y")).free_symbols})
