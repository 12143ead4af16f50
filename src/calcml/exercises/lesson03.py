"""Checkers for lesson 03 — rules of differentiation (``notebooks/03-rules-of-differentiation``).

Answers are expressions (SymPy or a string such as ``"2x*cos(x^2)"``), compared with
:func:`~calcml.exercises.answers.expect_expression`; each exercise lists the wrong
answers that the typical mistake of its rule produces, with a hint that names the
mistake and not the answer.
"""

from __future__ import annotations

import math

from calcml.exercises.answers import expect_expression, expect_number
from calcml.exercises.core import exercise

#: where answers are compared: inside the domain of every function of these exercises
#: (x > 0 for x^x), away from their zeros
_POINTS = (0.35, 0.6, 0.9, 1.3, 1.7, 2.2, 2.9)


def _same_values(answer, expected, var: str = "x") -> bool:
    """True when ``answer`` is an expression in ``var`` equal to ``expected`` at _POINTS.

    Any failure (unreadable answer, other symbols, a complex or infinite value) gives
    False and leaves the diagnosis to ``expect_expression``.
    """
    import sympy

    from calcml.parsing import parse_expression

    try:
        got, want = (parse_expression(e, variables=(var,)) for e in (answer, expected))
        if {s.name for s in got.free_symbols} - {var}:
            return False
        f_got, f_want = (sympy.lambdify(list(e.free_symbols), e, "math") for e in (got, want))
        return all(
            math.isclose(_at(f_got, got, p), _at(f_want, want, p), rel_tol=1e-9, abs_tol=1e-12)
            for p in _POINTS
        )
    except (TypeError, ValueError, ArithmeticError, AttributeError, NameError):
        return False  # whatever the learner gave, expect_expression explains it


def _at(f, expr, p: float) -> float:
    value = f(*([p] * len(expr.free_symbols)))
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"not a finite real value at {p}")
    return float(value)


def _expect_derivative(answer, expected, mistakes, what: str = "your derivative") -> None:
    """:func:`expect_expression`, after a test of equal values that accepts any right form.

    ``expect_expression`` decides equality by ``simplify(answer - expected) == 0``,
    which misses some equal forms (``1/(4 cosh(x/2)^2)`` for the sigmoid's slope), and
    its chain-rule diagnosis would then reject a right answer. Equal values at seven
    points settle equality first; only a different function goes on to the diagnosis.
    """
    if answer is not Ellipsis and _same_values(answer, expected):
        return
    expect_expression(answer, expected, mistakes=mistakes, what=what)


# --- 3.1: (x^3 sin x)' = 3x^2 sin x + x^3 cos x --------------------------------------------


@exercise("3.1", "the product rule")
def product_rule(answer):
    _expect_derivative(
        answer,
        "3x^2 sin(x) + x^3 cos(x)",
        mistakes=[
            ("3x^2 cos(x)", ("(u·v)' is not u'·v': the product rule has two terms, u'·v + u·v'")),
            (
                "3x^2 sin(x)",
                (
                    "only the first factor was differentiated: add the term where "
                    "the second factor is differentiated"
                ),
            ),
            (
                "x^3 cos(x)",
                (
                    "only the second factor was differentiated: add the term where "
                    "the first factor is differentiated"
                ),
            ),
            (
                "3x^2 sin(x) - x^3 cos(x)",
                (
                    "the two terms of the product rule are added, "
                    "not subtracted — check the derivative of sin"
                ),
            ),
        ],
        what="your derivative",
    )


# --- 3.2: (x/(1 + x^2))' = (1 - x^2)/(1 + x^2)^2 ----------------------------------------------


@exercise("3.2", "the quotient rule")
def quotient_rule(answer):
    _expect_derivative(
        answer,
        "(1 - x^2)/(1 + x^2)^2",
        mistakes=[
            (
                "(x^2 - 1)/(1 + x^2)^2",
                (
                    "the numerator has the wrong order: it is u'·v − u·v' "
                    "(numerator differentiated first)"
                ),
            ),
            ("(1 - x^2)/(1 + x^2)", "the denominator of the quotient rule is v squared"),
            (
                "(1 + 3x^2)/(1 + x^2)^2",
                ("the two terms of the numerator are subtracted, not added"),
            ),
            ("1/(2x)", "(u/v)' is not u'/v': use the quotient rule"),
        ],
        what="your derivative",
    )


# --- 3.3: (sin(x^2))' = 2x cos(x^2) ----------------------------------------------------------


@exercise("3.3", "the chain rule")
def chain_rule(answer):
    _expect_derivative(
        answer,
        "2x cos(x^2)",
        mistakes=[
            (
                "cos(x^2)",
                (
                    "the chain-rule factor is missing: multiply by the derivative of "
                    "the inner function"
                ),
            ),
            (
                "cos(2x)",
                (
                    "the inner function stays as it is inside cos; its derivative "
                    "multiplies from outside"
                ),
            ),
            ("2x cos(x)", ("the outer derivative is evaluated at the inner function, not at x")),
            ("2 cos(x^2)", "the inner derivative is that of x^2 (power rule), not of 2x"),
        ],
        what="your derivative",
    )


# --- 3.4: sigma'(x) with sigma(x) = 1/(1 + e^(-x)): e^(-x)/(1 + e^(-x))^2 ----------------------


@exercise("3.4", "the slope of the sigmoid")
def sigmoid_slope(answer):
    _expect_derivative(
        answer,
        "e^(-x)/(1 + e^(-x))^2",
        mistakes=[
            (
                "-e^(-x)/(1 + e^(-x))^2",
                (
                    "the derivative of e^(-x) has a chain-rule factor "
                    "−1 from the inner −x: check the sign"
                ),
            ),
            (
                "-1/(1 + e^(-x))^2",
                (
                    "the power rule alone gives −1/(1 + e^(-x))², but the "
                    "chain rule asks for the derivative of the inner 1 + e^(-x) too"
                ),
            ),
            (
                "1/(1 + e^(-x))^2",
                (
                    "the power rule alone is not enough: multiply by the "
                    "derivative of the inner 1 + e^(-x), sign included"
                ),
            ),
            ("1/(1 + e^(-x))", "that is σ itself, not its slope"),
        ],
        what="your σ'",
    )


# --- 3.5: (x^x)' = x^x (ln x + 1) ------------------------------------------------------------


@exercise("3.5", "logarithmic differentiation")
def general_power(answer):
    _expect_derivative(
        answer,
        "x^x (ln(x) + 1)",
        mistakes=[
            (
                "x*x^(x - 1)",
                (
                    "the power rule needs a constant exponent; here the exponent "
                    "varies too — take ln of both sides first"
                ),
            ),
            (
                "x^x ln(x)",
                (
                    "that treats the base as a constant (the exponential rule); the "
                    "base varies too — take ln of both sides first"
                ),
            ),
            (
                "x^x",
                (
                    "take ln of both sides: ln y = x ln x, then differentiate both sides "
                    "(the product rule on the right)"
                ),
            ),
            ("ln(x) + 1", "that is the derivative of ln y = x ln x; multiply by y to get y'"),
        ],
        what="your derivative",
    )


# --- 3.6: lim_{x->0} (x - sin x)/x^3 = 1/6, by L'Hopital three times -----------------------


@exercise("3.6", "L'Hôpital's rule")
def lhopital_limit(answer):
    expect_number(
        answer,
        1 / 6,
        rtol=1e-6,
        mistakes=[
            (1 / 2, "the factor 3 from (x³)' = 3x² is missing"),
            (1.0, "after three steps the denominator is (x³)''' = 6, not 1"),
            (
                1 / 3,
                (
                    "each step differentiates the numerator and the denominator once: the "
                    "denominator's three derivatives are 3x², 6x, 6"
                ),
            ),
            (0.0, "0/0 is not 0: it is the signal to apply the rule (again)"),
        ],
    )
