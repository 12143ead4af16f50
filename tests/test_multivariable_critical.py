"""calcml.multivariable.critical_points: hand-solved cases, the second-derivative test with its
inconclusive cases, and clear errors where SymPy cannot give the whole list (lesson 08)."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from calcml.multivariable import CriticalPointsError, classify, critical_points

x, y, z = sp.symbols("x y z")


def kinds(f, vars=("x", "y")):
    return [(p.point, p.kind) for p in critical_points(f, list(vars))]


@pytest.mark.parametrize(
    ("f", "expected"),
    [
        ("x^2 + y^2", [((0, 0), "minimum")]),
        ("-x^2 - 3y^2 + 2", [((0, 0), "maximum")]),
        ("x*y", [((0, 0), "saddle")]),
        ("x^3 - 3x + y^2", [((-1, 0), "saddle"), ((1, 0), "minimum")]),
        ("x^4 - 2x^2 + y^2", [((-1, 0), "minimum"), ((0, 0), "saddle"), ((1, 0), "minimum")]),
        ("x^4 + y^4", [((0, 0), "inconclusive")]),
        ("x^3 - 3x*y^2", [((0, 0), "inconclusive")]),  # the monkey saddle
        ("x^4 - y^2", [((0, 0), "inconclusive")]),  # H = diag(0, -2): the test cannot tell
        ("x + y", []),
    ],
)
def test_hand_solved_cases(f, expected):
    assert kinds(f) == expected


def test_a_zero_eigenvalue_with_a_sign_change_is_still_a_saddle():
    assert kinds("x^2 - y^2 + z^4", "xyz") == [((0, 0, 0), "saddle")]


def test_three_variables_and_the_fields():
    (p,) = critical_points(x ** 2 + y ** 2 + z ** 2 - x * y + 2 * z, [x, y, z])
    assert p.point == (0, 0, -1)
    assert p.kind == "minimum"
    assert p.value == -1
    np.testing.assert_allclose(p.eigenvalues, [1, 2, 3])
    assert p.hessian == sp.Matrix([[2, -1, 0], [-1, 2, 0], [0, 0, 2]])
    assert p.numeric == (0.0, 0.0, -1.0)


def test_exponential_factors_do_not_hide_points():
    found = critical_points("x*exp(-x^2 - y^2)", ["x", "y"])
    assert [p.kind for p in found] == ["minimum", "maximum"]
    assert found[1].point == (sp.sqrt(2) / 2, 0)


def test_every_point_is_critical_and_the_kind_matches_the_eigenvalues():
    f = x ** 3 + y ** 3 - 3 * x * y
    found = critical_points(f, [x, y])
    assert {p.point for p in found} == {(0, 0), (1, 1)}
    for p in found:
        for s in (x, y):
            assert sp.diff(f, s).subs({x: p.point[0], y: p.point[1]}) == 0
        eig = np.array(p.eigenvalues)
        assert p.kind == ("saddle" if eig.min() < 0 < eig.max() else "minimum")


def test_order_of_vars_orders_the_point():
    (p,) = critical_points("(x - 1)^2 + (y + 2)^2", ["y", "x"])
    assert p.point == (-2, 1)


def test_classify_numeric_matrices():
    assert classify(np.diag([1.0, 2.0]))[0] == "minimum"
    assert classify(np.diag([-1.0, -2.0]))[0] == "maximum"
    assert classify(np.diag([-1.0, 2.0]))[0] == "saddle"
    assert classify(np.diag([0.0, 2.0]))[0] == "inconclusive"
    with pytest.raises(ValueError, match="square"):
        classify(np.ones((2, 3)))


@pytest.mark.parametrize(
    ("f", "vars", "error", "match"),
    [
        ("sin(x) + cos(y)", "xy", CriticalPointsError, "periodic"),
        ("(x - y)^2", "xy", CriticalPointsError, "not isolated"),
        # 6x⁵ + 5x⁴ − 1 has a real root SymPy cannot write down: it returns [] silently
        ("x^6 + x^5 + y^2 - x", "xy", CriticalPointsError, "x ≈ 0.585442"),
        # eˣ = 3x has two real roots; SymPy returns only −W(−1/3)
        ("exp(x) - 3*x^2/2 + y^2", "xy", CriticalPointsError, "LambertW"),
        ("x^2", "xy", ValueError, r"\['y'\] do not occur"),
        ("x^2 + a*y^2", "xy", ValueError, r"\['a'\]"),
        ("x^2 +", "xy", ValueError, "could not be read"),
        (3.5j, "xy", TypeError, "string"),
        ("x^2 + y^2", [], TypeError, "non-empty"),
        ("x^2 + y^2", ["x", "x"], ValueError, "twice"),
        ("x^2 + y^2", ["x", 2], TypeError, "variable name"),
    ],
)
def test_bad_input_and_unsolvable_systems(f, vars, error, match):
    with pytest.raises(error, match=match):
        critical_points(f, list(vars) if isinstance(vars, str) else vars)


def test_critical_points_error_is_a_value_error():
    assert issubclass(CriticalPointsError, ValueError)


small = st.integers(min_value=-4, max_value=4)


@settings(max_examples=25, deadline=None)
@given(a=small, b=small, c=small, d=small, e=small)
def test_property_quadratics_have_the_linear_algebra_answer(a, b, c, d, e):
    # f = a x² + b xy + c y² + d x + e y: ∇f = H (x, y) + (d, e) with H = [[2a, b], [b, 2c]]
    H = np.array([[2.0 * a, b], [b, 2.0 * c]])
    f = a * x ** 2 + b * x * y + c * y ** 2 + d * x + e * y
    if not f.free_symbols >= {x, y}:
        return  # a variable does not occur: refused, tested above
    if abs(np.linalg.det(H)) < 1e-12:
        return  # no isolated critical point, or a line of them
    (p,) = critical_points(f, [x, y])
    np.testing.assert_allclose(p.numeric, np.linalg.solve(H, [-d, -e]), atol=1e-12)
    eig = np.linalg.eigvalsh(H)
    want = "minimum" if eig.min() > 0 else "maximum" if eig.max() < 0 else "saddle"
    assert p.kind == want
    np.testing.assert_allclose(p.eigenvalues, eig, atol=1e-12)
