"""Checkers for lesson 03 — rules of differentiation (``notebooks/03-rules-of-differentiation``).

Answers are expressions (SymPy or a string such as ``"3x^2 + sin(x)"``), compared with
:func:`~calcml.exercises.answers.expect_expression`; each exercise lists the wrong
answers that the typical mistakes of its rule produce — for 3.3 to 3.5 computed from
the pieces of the rule (outer and inner function, numerator and denominator, base and
exponent) — with a hint that names the mistake and not the answer.
"""

from __future__ import annotations

import math

from calcml.exercises.answers import (
    domain_points,
    expect_expression,
    expect_number,
    fmt,
    is_unevaluated,
)
from calcml.exercises.core import Hint, exercise

#: where each derivative is asked, and answers are compared over it (densely, seeded):
#: every real x for 3.1–3.4 — negative x too, so that an answer right only for x > 0 (with
#: ln x, √x, |x| or x/|x| in it) cannot pass — and x > 0 for 3.5, where x^(sin x) lives
_DOMAINS = {
    "3.1": (-4.0, 4.0),
    "3.2": (-4.0, 4.0),
    "3.3": (-2.5, 2.5),  # cos(x³): x³ up to ±15.6, some ten swings
    "3.4": (-8.0, 8.0),
    "3.5": (0.05, 6.0),
}


def _points(exercise_id: str) -> tuple[float, ...]:
    lo, hi = _DOMAINS[exercise_id]
    return tuple(float(p) for p in domain_points(lo, hi, 120, seed=3))


def _functions(answer, expected, var: str = "x"):
    """The answer and the expected expression as float functions, or None if unreadable."""
    import sympy

    from calcml.parsing import parse_expression

    try:
        got, want = (parse_expression(e, variables=(var,)) for e in (answer, expected))
        if {s.name for s in got.free_symbols} - {var}:
            return None
        return tuple((sympy.lambdify(list(e.free_symbols), e, "math"), len(e.free_symbols))
                     for e in (got, want))
    except (TypeError, ValueError, ArithmeticError, AttributeError, NameError):
        return None  # whatever the learner gave, expect_expression explains it


def _same_values(answer, expected, points, var: str = "x") -> bool:
    """True when ``answer`` is an expression in ``var`` equal to ``expected`` at ``points``.

    Any failure (unreadable answer, other symbols, a complex or infinite value) gives
    False and leaves the diagnosis to ``expect_expression``.
    """
    pair = _functions(answer, expected, var)
    if pair is None:
        return False
    (f_got, got), (f_want, want) = pair
    try:
        return all(
            math.isclose(_at(f_got, got, p), _at(f_want, want, p), rel_tol=1e-9, abs_tol=1e-12)
            for p in points
        )
    except (TypeError, ValueError, ArithmeticError, AttributeError, NameError):
        return False


def _first_difference(answer, expected, points, var: str = "x"):
    """The first point where the answer differs from (or, unlike it, has no real value
    than) the expected expression, with the answer's value there (None: no real value);
    None when no such point is found."""
    pair = _functions(answer, expected, var)
    if pair is None:
        return None
    (f_got, got), (f_want, want) = pair
    for p in points:
        try:
            w = _at(f_want, want, p)
        except (TypeError, ValueError, ArithmeticError, AttributeError, NameError):
            continue  # the expected one has no value here: nothing to compare
        try:
            g = _at(f_got, got, p)
        except (TypeError, ValueError, ArithmeticError, AttributeError, NameError):
            return p, None
        if not math.isclose(g, w, rel_tol=1e-9, abs_tol=1e-12):
            return p, (g, w)
    return None


def _rounded_but_close(answer, expected, points, var: str = "x") -> bool:
    """True when ``answer`` holds a decimal that is not a whole number (2.718, 0.333) and
    is within 1 % of ``expected`` at every point where both have a value (1 % of its
    largest size near its zeros): a rounded constant, not a wrong rule."""
    import sympy

    from calcml.parsing import parse_expression

    try:
        got = parse_expression(answer, variables=(var,))
        if not any(float(c) != int(float(c)) for c in got.atoms(sympy.Float)):
            return False
    except (TypeError, ValueError, ArithmeticError, AttributeError, NameError, OverflowError):
        return False
    pair = _functions(answer, expected, var)
    if pair is None:
        return False
    (f_got, got_n), (f_want, want_n) = pair
    pairs = []
    for p in points:
        try:
            pairs.append((_at(f_got, got_n, p), _at(f_want, want_n, p)))
        except (TypeError, ValueError, ArithmeticError, AttributeError, NameError):
            continue
    if len(pairs) < len(points) // 2:
        return False
    size = max(abs(w) for _, w in pairs)
    return all(abs(g - w) <= 1e-2 * max(abs(w), size / 10) for g, w in pairs)


def _at(f, n_args: int, p: float) -> float:
    value = f(*([p] * n_args))
    if not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"not a finite real value at {p}")
    return float(value)


def _expect_derivative(exercise_id: str, answer, expected, mistakes,
                       what: str = "your derivative") -> None:
    """:func:`expect_expression`, after a test of equal values that accepts any right form,
    and followed by one over the whole domain of the exercise.

    ``expect_expression`` decides equality by ``simplify(answer - expected) == 0``,
    which misses some equal forms (``1/(4 cosh(x/2)^2)`` for the sigmoid's slope), and
    its chain-rule diagnosis would then reject a right answer: equal values at dense
    points of the domain settle equality first. It compares values for 0.3 ≤ x ≤ 4.2
    only; an answer it accepts that differs elsewhere in the domain (for x < 0, say) is
    wrong there, and the hint names the point.
    """
    points = _points(exercise_id)
    if answer is not Ellipsis and not is_unevaluated(answer) and _same_values(answer, expected,
                                                                               points):
        return  # (an unevaluated sp.Derivative is the question: expect_expression says so)
    if answer is not Ellipsis and _rounded_but_close(answer, expected, points):
        raise Hint(f"{what} is within 1 % of the right one everywhere but not equal to it, "
                   "and it has a rounded decimal in it: write numbers exactly (e^(-x) or "
                   "exp(-x), not 2.718^(-x); 1/3, not 0.333) — the check compares values to "
                   "a relative error of 1e-9")
    expect_expression(answer, expected, mistakes=mistakes, what=what)
    found = _first_difference(answer, expected, points)
    if found is None:
        return
    p, values = found
    lo, _ = _DOMAINS[exercise_id]
    where = "every real x, negative ones too" if lo < 0 else "every x > 0"
    if values is None:
        there = f"has no real, finite value at x = {fmt(p)}"
    else:
        g, w = values
        there = f"gives {g:.12g} at x = {fmt(p)}, which is {'too large' if g > w else 'too small'}"
    raise Hint(f"{what} {there}: it agrees with the derivative for some x but not for all of "
               f"them, and the derivative is asked for {where} — look for a part of your answer "
               "that holds only for some x (ln x, √x, |x| or x/|x|, say)")


# --- 3.1: (x^3 sin x)' = 3x^2 sin x + x^3 cos x --------------------------------------------


@exercise("3.1", "the product rule")
def product_rule(answer):
    _expect_derivative(
        "3.1",
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
        "3.2",
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


# --- 3.3: (cos(x^3))' = -3x^2 sin(x^3) ------------------------------------------------------


def _chain_rule_mistakes():
    """The wrong derivatives of cos(x³) the usual slips give, built from outer and inner."""
    import sympy

    x = sympy.Symbol("x")
    inner = x**3
    d_inner = sympy.diff(inner, x)  # 3x²

    def d_outer(at):  # cos' = −sin, evaluated at whatever it is given
        return -sympy.sin(at)

    return [
        (d_outer(inner),
         ("the chain-rule factor is missing: the outer derivative is multiplied by the "
          "derivative of the inner function")),
        (sympy.sin(inner) * d_inner,
         "check the sign: what is the derivative of cos?"),
        (d_outer(x) * d_inner,
         "the outer derivative is evaluated at the inner function, not at x"),
        (d_outer(d_inner),
         ("the inner function stays as it is inside the outer derivative; its derivative "
          "multiplies from outside")),
        (d_outer(inner) * inner,
         ("the factor after the outer derivative is the inner function's derivative, not the "
          "inner function itself")),
        (sympy.cos(inner) * d_inner,
         "the outer function cos was not differentiated: only the inner one was"),
        (d_outer(inner) * d_inner / x,
         "the chain-rule factor is there, but recheck it: the power rule on the inner x³"),
    ]


@exercise("3.3", "the chain rule")
def chain_rule(answer):
    _expect_derivative("3.3", answer, "-3x^2 sin(x^3)", mistakes=_chain_rule_mistakes(),
                       what="your derivative")


# --- 3.4: (x/(1 + e^(-x)))' = (1 + e^(-x) + x e^(-x))/(1 + e^(-x))^2 ------------------------


def _quotient_rule_mistakes():
    """The wrong derivatives of x/(1 + e^(-x)) the usual slips with u = x, v = 1 + e^(-x) give."""
    import sympy

    x = sympy.Symbol("x")
    u, v = x, 1 + sympy.exp(-x)
    du, dv = sympy.diff(u, x), sympy.diff(v, x)  # 1 and −e^(−x)
    dv_no_chain = sympy.exp(-x)  # (e^(−x))' without the inner factor −1
    return [
        ((u * dv - du * v) / v**2,
         ("the numerator has the wrong order: the term with the numerator's derivative "
          "comes first")),
        ((du * v - u * dv) / v,
         "the denominator of the quotient rule is v squared"),
        ((du * v - u * dv_no_chain) / v**2,
         ("one sign in the numerator is off: check the derivative of e^(-x) (chain rule, "
          "inner -x) and the minus sign of the quotient rule")),
        (du / dv, "(u/v)' is not u'/v': use the quotient rule"),
        (du * v / v**2,
         ("only the term where the numerator x is differentiated is there: the quotient "
          "rule's numerator has a second term")),
        (sympy.diff(1 / v, x),
         "that is the slope of the sigmoid 1/(1 + e^(-x)); here the numerator is x, not 1"),
        (-u * dv / v**2,
         ("only the term where the denominator is differentiated is there: the quotient "
          "rule's numerator has a second term")),
    ]


@exercise("3.4", "the slope of the SiLU activation")
def silu_slope(answer):
    _expect_derivative("3.4", answer, "(1 + e^(-x) + x e^(-x))/(1 + e^(-x))^2",
                       mistakes=_quotient_rule_mistakes(), what="your derivative")


# --- 3.5: (x^(sin x))' = x^(sin x) (cos x ln x + sin(x)/x) -----------------------------------


def _log_differentiation_mistakes():
    """The wrong derivatives of y = f^g = x^(sin x) the usual slips give.

    Logarithmic differentiation: ln y = g ln f, y'/y = g' ln f + g f'/f; each mistake
    drops or changes one piece of that.
    """
    import sympy

    x = sympy.Symbol("x")
    f, g = x, sympy.sin(x)
    df, dg = sympy.diff(f, x), sympy.diff(g, x)
    y = f**g
    return [
        (y * g * df / f,
         ("that treats the exponent sin x as a constant (the power rule); the exponent "
          "varies too — take ln of both sides first")),
        (y * dg * sympy.log(f),
         ("that treats the base x as a constant (the exponential rule); the base varies "
          "too — the product rule on the right has two terms")),
        (y,
         ("that is y itself, not its derivative: take ln of both sides, then differentiate "
          "both sides")),
        (dg * sympy.log(f) + g * df / f,
         "that is the derivative of ln y, not of y itself"),
        (y * dg * df / f,
         "(sin x · ln x)' is not the product of the two derivatives: use the product rule"),
        (y * (dg * sympy.log(f) + g * df),
         "check the derivative of ln x in the second term of the product rule"),
        (y * (-dg * sympy.log(f) + g * df / f),
         "check the sign of the derivative of sin x"),
    ]


@exercise("3.5", "logarithmic differentiation")
def variable_power(answer):
    _expect_derivative("3.5", answer, "x^sin(x) (cos(x) ln(x) + sin(x)/x)",
                       mistakes=_log_differentiation_mistakes(), what="your derivative")


# --- 3.6: lim_{x->0} (x - sin x)/x^3 = 1/6, by L'Hopital three times -----------------------


@exercise("3.6", "L'Hôpital's rule")
def lhopital_limit(answer):
    expect_number(
        answer,
        1 / 6,
        rtol=1e-5,  # as the exercise says: 6 significant figures (0.166667) always pass
        mistakes=[
            (1 / 2, "the factor 3 from (x³)' = 3x² is missing"),
            (1.0, ("the denominator's derivatives carry the constants the power rule brings "
                   "down: they do not drop to 1")),
            (1 / 3, ("each step differentiates the numerator and the denominator once: recheck "
                     "the constants in the denominator's derivatives")),
            (0.0, "0/0 is not 0: it is the signal to apply the rule (again)"),
        ],
        factor_hint=("recheck the constants the power rule brings down in each derivative of "
                     "x³, and stop as soon as the form is no longer 0/0"),
    )
