"""Every formula lesson 09 (sequences, series and Taylor approximation) states, checked."""

import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from calcml.functions import gelu, softplus
from calcml.series import convergence, partial_sums, radius_of_convergence, taylor_polynomial

n = sp.Symbol("n", integer=True, positive=True)
x = sp.Symbol("x")
r, a, N = sp.symbols("r a N")


@pytest.mark.parametrize("terms", [1, 3, 10, 25])
def test_geometric_partial_sum_closed_form(terms):
    assert sp.expand(sum(r**k for k in range(terms)) * (1 - r)) == 1 - r**terms


@pytest.mark.parametrize("ratio", [sp.Rational(1, 2), sp.Rational(-2, 3), sp.Rational(9, 10)])
def test_geometric_sum(ratio):
    assert sp.summation(a * ratio**n, (n, 0, sp.oo)) == a / (1 - ratio)
    assert convergence(f"({ratio})^n", start=0).value == 1 / (1 - ratio)


def test_harmonic_blocks_exceed_one_half_and_growth_like_log():
    for k in range(1, 12):  # the block 1/(2^k + 1) + ... + 1/2^(k+1)
        block = sum(sp.Rational(1, j) for j in range(2**k + 1, 2 ** (k + 1) + 1))
        assert block > sp.Rational(1, 2)
    for big in (10**3, 10**5):
        assert abs(float(mpmath.harmonic(big)) - (math.log(big) + 0.5772156649)) < 1 / big


def test_p_series_and_basel():
    assert sp.summation(1 / n**2, (n, 1, sp.oo)) == sp.pi**2 / 6
    for p, converges in [(0.5, False), (1, False), (1.5, True), (2, True)]:
        assert convergence(f"1/n^{p}").converges is converges


def test_alternating_harmonic_and_its_rearrangement():
    assert float(mpmath.nsum(lambda k: (-1) ** (k + 1) / k, [1, mpmath.inf])) == \
        pytest.approx(math.log(2), abs=1e-12)
    # two positives then one negative: partial sums over whole blocks tend to (3/2) ln 2
    blocks = 200_000
    odd = 1 / (2 * np.arange(1, 2 * blocks + 1) - 1)
    even = 1 / (2 * np.arange(1, blocks + 1))
    assert math.fsum(odd) - math.fsum(even) == pytest.approx(1.5 * math.log(2), abs=1e-5)


def test_one_minus_cos_behaves_like_half_t_squared():
    t = sp.Symbol("t")
    assert sp.limit((1 - sp.cos(t)) / t**2, t, 0) == sp.Rational(1, 2)
    assert sp.limit((1 - sp.cos(1 / n)) * n**2, n, sp.oo) == sp.Rational(1, 2)


def test_ratio_test_is_silent_at_one():
    for term in (1 / n, 1 / n**2):
        assert sp.limit(term.subs(n, n + 1) / term, n, sp.oo) == 1


def test_integral_test_bound_for_harmonic():
    for big in (5, 50, 500):
        assert float(mpmath.harmonic(big)) >= math.log(big + 1)


@pytest.mark.parametrize("f", ["exp(x)", "sin(x)", "cos(x)", "log(1 + x)", "1/(1 - x)",
                               "sqrt(1 + x)", "atan(x)"])
def test_taylor_polynomial_matches_the_derivatives(f):
    F = sp.sympify(f)
    T = taylor_polynomial(f, order=6)
    for k in range(7):
        assert sp.simplify(sp.diff(T, x, k).subs(x, 0) - sp.diff(F, x, k).subs(x, 0)) == 0


def test_maclaurin_series_general_terms():
    k = sp.Symbol("k", integer=True, nonnegative=True)
    general = {
        "exp(x)": x**k / sp.factorial(k),
        "sin(x)": (-1) ** k * x ** (2 * k + 1) / sp.factorial(2 * k + 1),
        "cos(x)": (-1) ** k * x ** (2 * k) / sp.factorial(2 * k),
        "log(1 + x)": (-1) ** k * x ** (k + 1) / (k + 1),
        "1/(1 - x)": x**k,
    }
    for f, term in general.items():
        partial = sum(term.subs(k, j) for j in range(12))
        ref = sp.series(sp.sympify(f), x, 0, 12).removeO()
        assert sp.expand(sp.series(partial, x, 0, 12).removeO() - ref) == 0


def test_radius_is_one_over_the_ratio_limit():
    assert radius_of_convergence("1/n!") == sp.oo
    assert radius_of_convergence("(-1)^(n+1)/n") == 1
    assert radius_of_convergence("1") == 1
    assert radius_of_convergence("n!") == 0
    assert radius_of_convergence("n/3^n") == 3  # exercise 9.3
    assert radius_of_convergence("(-1)^n", power=2) == 1
    z = sp.Symbol("z")
    assert {sp.Abs(p) for p in sp.solve(1 + z**2, z)} == {1}


def test_lagrange_remainder_form_for_exp():
    # e^x − T_n(x) = e^ξ x^(n+1)/(n+1)! with ξ between 0 and x: solve for ξ and check it lies there
    for order in (1, 3, 6):
        T = sp.lambdify(x, taylor_polynomial("exp(x)", order=order))
        for t in (-0.8, 0.5, 1.0):
            rest = math.exp(t) - T(t)
            xi = math.log(rest * math.factorial(order + 1) / t ** (order + 1))
            assert min(0, t) <= xi <= max(0, t)


def test_exercise_9_5_degree():
    assert math.e / math.factorial(12) < 1e-8 < math.e / math.factorial(11)


def test_momentum_and_discounted_return():
    beta = sp.Rational(9, 10)
    v = 0
    for _ in range(400):
        v = beta * v + 1
    assert float(v) == pytest.approx(float(1 / (1 - beta)), rel=1e-15)
    g = sp.Symbol("gamma")
    assert sp.summation(g**n, (n, 0, sp.oo)).args[0][0] == 1 / (1 - g)


def test_ema_bias():
    beta, g, _t = sp.symbols("beta g t", positive=True)
    m = 0
    for step in range(1, 8):
        m = beta * m + (1 - beta) * g
        assert sp.expand(m - (1 - beta**step) * g) == 0


def test_robbins_monro_schedules():
    cases = {"1/100": (False, False), "1/n": (False, True), "1/sqrt(n)": (False, False),
             "1/n^2": (True, True), "1/(n log(n))": (False, True)}
    for lr, (sum_converges, squares_converge) in cases.items():
        assert convergence(lr, start=2, time_limit=30).converges is sum_converges
        assert convergence(f"({lr})^2", start=2, time_limit=30).converges is squares_converge


def test_log1p_taylor_and_stable_softplus():
    assert taylor_polynomial("log(1 + x)", order=2) == x - x**2 / 2
    assert taylor_polynomial("exp(x) - 1", order=2) == x + x**2 / 2
    z = np.array([-800.0, -30.0, -1e-3, 0.0, 2.0, 40.0, 800.0])
    stable = np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))
    with mpmath.workdps(60):
        exact = np.array([float(mpmath.log(1 + mpmath.exp(v))) for v in z])
    assert np.allclose(stable, exact, rtol=1e-14, atol=0)
    assert np.allclose(softplus(z), exact, rtol=1e-14, atol=0)


def test_gelu_tanh_argument():
    # Φ(x) = ½(1 + erf(x/√2)) and tanh(artanh(y)) = y: GELU = ½x(1 + tanh(A(x))) exactly
    from scipy.special import erf

    zs = np.linspace(-5, 5, 1001)
    assert np.allclose(gelu(zs), 0.5 * zs * (1 + erf(zs / math.sqrt(2))), rtol=1e-12, atol=1e-15)
    assert np.allclose(np.tanh(np.arctanh(erf(zs / math.sqrt(2)))), erf(zs / math.sqrt(2)),
                       rtol=1e-9, atol=1e-12)
    A3 = sp.series(sp.atanh(sp.erf(x / sp.sqrt(2))), x, 0, 4).removeO()
    assert sp.simplify(A3.coeff(x, 1) - sp.sqrt(2 / sp.pi)) == 0
    c = float(A3.coeff(x, 3) / A3.coeff(x, 1))
    assert c == pytest.approx(1 / 6 * (4 / math.pi - 1), rel=1e-12)  # ≈ 0.0455
    xs = np.linspace(-6, 6, 2001)

    def tanh_form(const):
        return 0.5 * xs * (1 + np.tanh(math.sqrt(2 / math.pi) * (xs + const * xs**3)))

    err_taylor = np.max(np.abs(gelu(xs) - tanh_form(c)))
    err_published = np.max(np.abs(gelu(xs) - tanh_form(0.044715)))
    assert err_published < err_taylor < 1e-3  # the published constant fits the range better
    small = np.linspace(-0.05, 0.05, 101)[1:-1]
    near = lambda const: np.abs(gelu(small) - 0.5 * small * (1 + np.tanh(
        math.sqrt(2 / math.pi) * (small + const * small**3))))
    assert np.max(near(c)) <= np.max(near(0.044715))  # and the Taylor one near 0


def test_small_angle_bound():
    for theta in (0.01, 0.1, 0.5, 1.0):
        assert abs(math.sin(theta) - theta) <= theta**3 / 6


def test_second_order_model_newton_and_gradient_step():
    w1, w2 = sp.symbols("w1 w2")
    f = sp.log(1 + sp.exp(w1 + 2 * w2)) + w1**2 / 2
    model = taylor_polynomial(f, x=("w1", "w2"), x0=(0, 0), order=2)
    grad = sp.Matrix([f.diff(v) for v in (w1, w2)]).subs({w1: 0, w2: 0})
    H = sp.hessian(f, (w1, w2)).subs({w1: 0, w2: 0})
    d = sp.Matrix([w1, w2])
    assert sp.simplify(model - (f.subs({w1: 0, w2: 0}) + (grad.T * d)[0]
                                + (d.T * H * d)[0] / 2)) == 0
    # Newton's step solves ∇model = 0 — when H is invertible
    assert H.det() != 0
    newton = -(H.inv() * grad)
    model_grad = sp.Matrix([model.diff(v) for v in (w1, w2)])
    assert sp.simplify(model_grad.subs({w1: newton[0], w2: newton[1]})) == sp.zeros(2, 1)
    # the first-order model's change for the step −lr∇f is −lr|∇f|²
    lr = sp.Rational(1, 10)
    step = -lr * grad
    assert sp.simplify((grad.T * step)[0] + lr * (grad.T * grad)[0]) == 0


def test_partial_sums_of_one_minus_cos_settle():
    S = partial_sums("1 - cos(1/n)", 10**5)
    tail = S[-1] - S[10**4 - 1]
    assert tail == pytest.approx(0.5 * (1 / 10**4 - 1 / 10**5), rel=1e-3)
