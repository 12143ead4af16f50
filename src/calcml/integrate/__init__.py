"""Integrals: explained step by step, and computed numerically with their error (lesson 10).

One module per idea, re-exported here:

``calcml.integrate.steps``  :func:`integral_steps` — an antiderivative or a definite
    integral explained the way a teacher writes it (substitution, parts, partial fractions...)
``calcml.integrate.rules``  fixed rules — :func:`riemann_sum`, :func:`trapezoid`,
    :func:`simpson`, :func:`gauss_legendre`, :func:`monte_carlo`
``calcml.integrate.cases``  :func:`by_cases` — a definite integral with a parameter
    (∫_0^∞ e^(−ax) dx) decided case by case: the value for a > 0, a = 0, a < 0, checked
    at sample values against the concrete integral
``calcml.integrate.oscillatory``  :func:`oscillating_integral` — integrals that converge
    because the arches of a wave cancel (sin x/(1 + x²) to ∞, sin(1/x) at 0)
``calcml.integrate.poles``  :func:`poles` — zeros of a denominator that no formula
    gives (x = cos x, the root of x⁵ − x − 1) located to 30 digits, with f ≈ C/(x − p)^k
``calcml.integrate.quad``   :func:`quad` — adaptive Gauss–Kronrod quadrature with an error
    estimate, infinite limits and endpoint singularities

Part of the mathematical core: imports no plotting, exercises or CLI.
"""

from calcml.integrate.oscillatory import Oscillating, oscillating_integral
from calcml.integrate.quad import IntegrationWarning, QuadResult, quad
from calcml.integrate.rules import (
    MonteCarloResult,
    gauss_legendre,
    monte_carlo,
    riemann_sum,
    simpson,
    trapezoid,
)
from calcml.integrate.steps import (
    INTEGRAL_TABLE,
    IntegralSteps,
    Step,
    integral_steps,
    table_markdown,
)

__all__ = ["INTEGRAL_TABLE", "IntegralSteps", "IntegrationWarning", "MonteCarloResult", "Oscillating", "QuadResult", "Step",
           "gauss_legendre", "integral_steps",
           "monte_carlo", "oscillating_integral", "quad", "riemann_sum", "simpson", "table_markdown", "trapezoid"]
