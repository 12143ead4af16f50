"""calcml.multivariable.lagrange: hand-solved constrained problems, the multiplier as the
sensitivity of the optimum, and clear errors for constraints that are not equations (lesson 07)."""

import pytest
import sympy as sp

from calcml.multivariable import lagrange

x, y, z, c = sp.symbols("x y z c")


def test_product_on_a_line():
    (cand,) = lagrange("x*y", "x + y = 2", ["x", "y"])
    assert cand.point == (1, 1)
    assert cand.multiplier == 1
    assert cand.value == 1


def test_linear_function_on_the_circle():
    low, high = lagrange(x + y, x ** 2 + y ** 2 - 1, [x, y])
    r = sp.sqrt(2) / 2
    assert high.point == (r, r)
    assert high.value == sp.sqrt(2)
    assert high.multiplier == r
    assert low.point == (-r, -r)
    assert low.value == -sp.sqrt(2)


def test_three_variables():
    found = lagrange("x*y*z", "x + y + z = 3", ["x", "y", "z"])
    best = max(found, key=lambda cand: cand.value)
    assert best.point == (1, 1, 1)
    assert best.value == 1
    assert best.multiplier == 1
    assert len(found) == 4  # and the three corners where two coordinates vanish


def test_maximum_entropy_on_the_simplex_is_uniform():
    p = sp.symbols("p1:4")
    (cand,) = lagrange(-sum(pi * sp.log(pi) for pi in p), sum(p) - 1, p)
    assert cand.point == (sp.Rational(1, 3),) * 3
    assert sp.simplify(cand.value - sp.log(3)) == 0


def test_two_constraints_give_two_multipliers():
    found = lagrange("x + y + z", ["x^2 + y^2 + z^2 = 1", "x - y = 0"], ["x", "y", "z"])
    assert len(found) == 2
    assert all(isinstance(cand.multiplier, tuple) and len(cand.multiplier) == 2 for cand in found)


@pytest.mark.parametrize("radius", [1, 2, 5])
def test_multiplier_is_the_rate_of_change_of_the_optimum(radius):
    # max of x + 2y on x² + y² = c: f* = sqrt(5c), so df*/dc = sqrt(5)/(2 sqrt(c)) = λ
    (_, best) = lagrange(x + 2 * y, x ** 2 + y ** 2 - radius, [x, y])
    f_star = sp.sqrt(5 * c)
    assert sp.simplify(best.multiplier - sp.diff(f_star, c).subs(c, radius)) == 0


def test_equation_forms_agree():
    a = lagrange("x^2 + y^2", "x + 2y = 5", ["x", "y"])
    b = lagrange("x^2 + y^2", sp.Eq(x + 2 * y, 5), ["x", "y"])
    d = lagrange("x^2 + y^2", x + 2 * y - 5, ["x", "y"])
    assert [cand.point for cand in a] == [cand.point for cand in b] == [cand.point for cand in d]
    assert a[0].point == (1, 2)


@pytest.mark.parametrize(
    ("f", "g", "error", "match"),
    [
        ("x + y", "x < 1", ValueError, "not an equation"),
        ("x + y", sp.Lt(x, 1), ValueError, "not an equation"),
        ("x + y", "3 = 1", ValueError, "none of the variables"),
        ("x + y", "x^2 + z = 1", ValueError, r"\['z'\]"),
        ("x", "x = 1", ValueError, r"\['y'\] occur neither"),
        ("x + y", "x = = 1", ValueError, "more than one"),
        ("x + y", "x^2 + y^2 = ", ValueError, "empty side"),
        ("x +* y", "x = 1", ValueError, "could not be read"),
        ("x + y", [], ValueError, "empty list"),
        ("sin(x) + y", "x^2 + y^2 = 1", ValueError, "periodic"),
    ],
)
def test_bad_input(f, g, error, match):
    with pytest.raises(error, match=match):
        lagrange(f, g, ["x", "y"])


def test_parameters_keep_their_assumptions_and_df_star_dc_is_lambda():
    cc = sp.Symbol("c", positive=True)
    best = lagrange(x * y, x ** 2 / 4 + y ** 2 - cc, [x, y], params=[cc])[-1]
    assert sp.simplify(best.value - cc) == 0
    assert sp.simplify(sp.diff(best.value, cc) - best.multiplier) == 0
    from_string = lagrange("x*y", "x^2/4 + y^2 = c", ["x", "y"], params=[cc])
    assert {cand.value for cand in from_string} == {cc, -cc}
    with pytest.raises(ValueError, match=r"\['c'\]"):
        lagrange("x*y", "x^2/4 + y^2 = c", ["x", "y"])
    with pytest.raises(TypeError, match="params"):
        lagrange("x*y", "x + y = 1", ["x", "y"], params=["c"])
