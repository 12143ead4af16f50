"""calcml.integrate.oscillatory: integrals that converge only because their integrand's
arches cancel (sin x/(1 + x²) to ∞, sin(1/x) at 0), valued by QUADPACK's Fourier routine
only where Dirichlet's test says they exist, and "no value" where an amplitude does not
tend to 0. The references are mpmath's quadosc and closed forms in Si, Ci and Ei."""

import math

import mpmath as mp
import pytest
import sympy as sp

from calcml.integrate import integral_steps
from calcml.integrate.oscillatory import oscillating_integral

x = sp.Symbol("x", real=True)


def _osc(text, lo, hi, omega=1):
    """mpmath's value of ∫_lo^hi, summed over the zeros of the oscillation (quadosc)."""
    f = sp.lambdify(x, sp.sympify(text, locals={"x": x}), "mpmath")
    with mp.workdps(20):
        return float(mp.quadosc(f, [lo, hi], omega=omega))


CONVERGENT = [  # (integrand, a, b, the true value)
    ("sin(x)/(1 + x^2)", 0, "oo", float((mp.ei(1) / mp.e - mp.e * mp.ei(-1)) / 2)),
    ("cos(x)/(1 + x)", 0, "oo", _osc("cos(x)/(1 + x)", 0, mp.inf)),
    ("sin(x)/x^2", 1, "oo", float(mp.sin(1) - mp.ci(1))),
    ("sin(1/x)", 0, 1, float(mp.sin(1) - mp.ci(1))),  # x = 1/u: the same integral
    ("sin(1/x)/x", 0, 1, float(mp.pi / 2 - mp.si(1))),
    ("cos(2x + 1)/(x^2 + 3)", 0, "oo", _osc("cos(2*x + 1)/(x**2 + 3)", 0, mp.inf, 2)),
    ("sin(x)/log(x + 2)", 0, "oo", _osc("sin(x)/log(x + 2)", 0, mp.inf)),
    ("sin(x)/(x + 1)", "-oo", -2, _osc("sin(x)/(x + 1)", -mp.inf, -2)),
    ("sin(x)*cos(x)/(1 + x)", 0, "oo", _osc("sin(2*x)/(2*(1 + x))", 0, mp.inf, 2)),
    ("cos(1/(1 - x))", 0, 1, _osc("cos(x)/x**2", 1, mp.inf)),  # x = 1 − 1/u
]


@pytest.mark.parametrize(("text", "a", "b", "true"), CONVERGENT)
def test_an_oscillating_integral_gets_its_value(text, a, b, true):
    r = integral_steps(text, bounds=(a, b), timeout=30)
    assert r.result.is_Float or r.result.is_number, (text, r.result, r.message)
    assert float(r.result) == pytest.approx(true, rel=1e-7, abs=1e-9), (text, r.message)
    assert "did not converge" not in r.message


def test_reversed_bounds_give_the_opposite_value():
    r = integral_steps("sin(x)/(1 + x^2)", bounds=("oo", 0), timeout=30)
    assert float(r.result) == pytest.approx(-float((mp.ei(1) / mp.e - mp.e * mp.ei(-1)) / 2),
                                            rel=1e-7)


def test_an_amplitude_with_a_nonzero_limit_gives_no_value():
    # x/(1 + x)·sin x: the amplitude tends to 1, the integral to X oscillates for ever
    r = integral_steps("x*sin(x)/(1 + x)", bounds=(0, "oo"), timeout=30)
    assert r.result is sp.nan
    assert "no value" in r.message


def test_quadpacks_value_for_sin_to_infinity_is_not_taken():
    # QAWF sums the cycles 2, −2, 2, ... by extrapolation and says 2.0 with a tiny error;
    # ∫_0^∞ sin x dx has no value
    found = oscillating_integral(sp.sin(x), x, [0, sp.oo])
    assert not found.converges
    assert math.isnan(found.value)


@pytest.mark.parametrize("text", ["x*sin(x)", "sin(x^2)", "sin(x)*exp(sin(x))/x",
                                  "sin(x)*cos(x^2)"])
def test_what_dirichlets_test_does_not_cover_is_left_undecided(text):
    assert oscillating_integral(sp.sympify(text, locals={"x": x}), x, [1, sp.oo]) is None


def test_no_value_on_one_piece_does_not_hide_a_divergence_on_another():
    # (1/x² is not integrable at 0: the integral diverges, which is not "no value" here)
    f = sp.sin(x) + 1 / x**2
    assert oscillating_integral(f, x, [0, sp.oo]) is None
    assert not oscillating_integral(sp.sin(x) + 1 / (1 + x**2), x, [0, sp.oo]).converges


def test_a_phase_and_a_negative_frequency_are_taken_apart_correctly():
    f = sp.sin(1 - 3 * x) / (1 + x**2)  # sin(1 − 3x) = sin 1·cos 3x − cos 1·sin 3x
    true = _osc("sin(1 - 3*x)/(1 + x**2)", 0, mp.inf, 3)
    assert oscillating_integral(f, x, [0, sp.oo]).value == pytest.approx(true, rel=1e-7)
