"""calcml.integrate.poles: zeros of a denominator that SymPy cannot locate, found to 30
digits with their order and constant, or None (undecided) where that cannot be shown."""

import math

import mpmath
import pytest
import sympy as sp

from calcml.integrate.poles import poles

x = sp.Symbol("x", real=True)
DOTTIE = 0.7390851332151607  # the root of x = cos x
ROOT5 = 1.1673039782614187  # the real root of x⁵ − x − 1


def _constant(f, p, order):
    """lim (x − p)^order·f(x) by mpmath's limit, as an independent check."""
    g = sp.lambdify(x, f, "mpmath")
    with mpmath.workdps(30):
        return float(mpmath.limit(lambda t: (t - p) ** order * g(t), mpmath.mpf(p),
                                  exp=True))


@pytest.mark.parametrize(("f", "a", "b", "where", "orders"), [
    (1 / (x - sp.cos(x)), 0, 2, [DOTTIE], [1]),
    ((x - sp.cos(x)) ** -2, 0, 2, [DOTTIE], [2]),
    (1 / (x**5 - x - 1), 0, 2, [ROOT5], [1]),
    ((x**5 - x - 1) ** -2, 0, 2, [ROOT5], [2]),
    (1 / (1 - sp.sin(x)), 0, 3, [math.pi / 2], [2]),  # a double zero: no change of sign
    (sp.exp(x) / (sp.exp(x) - 1 - x), -1, 2, [0.0], [2]),
    (x / (sp.exp(x) - 2), -sp.oo, sp.oo, [math.log(2)], [1]),
    (1 / (x**2 - 2), -3, sp.oo, [-math.sqrt(2), math.sqrt(2)], [1, 1]),
    (sp.cos(x) / sp.sin(x) ** 3, 1, 10, [math.pi, 2 * math.pi, 3 * math.pi], [3, 3, 3]),
    (sp.sec(x) / (2 + sp.tan(x)), 0, 3, [math.pi - math.atan(2)], [1]),  # (π/2: B's own pole)
])
def test_poles_are_located_with_their_order_and_constant(f, a, b, where, orders):
    found = poles(f, x, sp.S(a), sp.S(b))
    assert found is not None
    assert [float(q.point) for q in found] == pytest.approx(where, abs=1e-14)
    assert [q.order for q in found] == orders
    for q in found:
        c = _constant(f, q.point, q.order)
        assert float(q.coefficient) == pytest.approx(c, rel=1e-9)
        assert q.right == (1 if c > 0 else -1)
        assert q.left == q.right * (-1) ** q.order


def test_the_point_is_found_to_thirty_digits():
    (q,) = poles(1 / (x - sp.cos(x)), x, sp.S(0), sp.S(2))
    exact = sp.nsolve(x - sp.cos(x), x, 0.7, prec=40)
    assert abs(sp.N(q.point - exact, 40)) < 1e-28


@pytest.mark.parametrize(("f", "a", "b"), [
    (sp.exp(x), 0, 1),
    (1 / (x**2 + 1), -sp.oo, sp.oo),
    (1 / (sp.Rational(10001, 10000) + sp.sin(x)), 0, 10),  # |B| dips to 1e-4, not to 0
    (1 / (2 + sp.sin(50 * x)), 0, 100),
    (1 / (sp.Rational(1, 10**8) + (x - 1) ** 2), 0, 2),
])
def test_a_denominator_that_stays_away_from_zero_has_no_poles(f, a, b):
    assert poles(f, x, sp.S(a), sp.S(b)) == []


@pytest.mark.parametrize(("f", "a", "b"), [
    ((x - 1) / (x**2 - 1), 0, 2),  # 0/0: removable, not a pole
    (sp.sin(x) / x, -1, 1),  # 0/0 at a sample
    (1 / sp.sqrt(x - sp.cos(x)), 0, 2),  # not real on one side
    (1 / sp.sin(50 * x), 0, 100),  # too many to refine
    (sp.sin(x - sp.cos(x)) / (x - sp.cos(x)), 0, 2),  # 0/0 at a located zero
])
def test_what_cannot_be_shown_is_undecided_not_guessed(f, a, b):
    assert poles(f, x, sp.S(a), sp.S(b)) is None
