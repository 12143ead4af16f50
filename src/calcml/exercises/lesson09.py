"""Checkers for lesson 09 — sequences, series and Taylor approximation
(``notebooks/09-taylor-series``)."""

from __future__ import annotations

import math

import numpy as np

from calcml.exercises.answers import as_number, expect_expression, expect_number
from calcml.exercises.core import Hint, NotAttempted, exercise

__all__ = ["VERDICT_SERIES"]

#: the four series of exercise 9.2, in order (term, first index)
VERDICT_SERIES = (("1/sqrt(n)", 1), ("1 - cos(1/n)", 1), ("n!/10^n", 1),
                  ("(-1)^n/log(n)", 2))


# --- 9.1: a geometric series that does not start at 0 -----------------------------------
@exercise("9.1", "a geometric series from n = 1")
def geometric_sum(answer):
    # Σ_{n≥1} 3·0.4^n = 3·0.4/(1 − 0.4) = 2
    a, r = 3.0, 0.4
    expect_number(answer, a * r / (1 - r), rtol=1e-9, mistakes=[
        (a / (1 - r), ("that is the sum from n = 0: this series starts at n = 1, so its first "
                      "term is not 3")),
        (a / (1 + r), "check the sign in 1/(1 − r): the ratio here is +0.4"),
        (a * r / (1 + r), "check the sign in 1/(1 − r): the ratio here is +0.4"),
        (a * r, "that is only the first term; the formula a/(1 − r) adds them all"),
        (1 / (1 - r), "the factor 3 in every term is missing"),
        (r / (1 - r), "the factor 3 in every term is missing"),
        (math.inf, "|r| < 1 here, so the partial sums approach a finite number"),
    ], factor_hint="check the first term (n = 1) and the factor 3")


# --- 9.2: verdicts on four series ----------------------------------------------------------
_WORDS = {"converges": True, "convergent": True, "converge": True, "c": True, "true": True,
          "converges conditionally": True, "conditionally": True, "conditional": True,
          "converges absolutely": True, "absolutely": True, "absolute": True,
          "diverges": False, "divergent": False, "diverge": False, "d": False, "false": False}

_MISCONCEPTION = {
    # (index, the wrong verdict) → what the wrong verdict suggests, without the answer
    (0, True): ("(a): terms that tend to 0 do not make a series converge on their own — "
                "which p-series is it, and what is its p?"),
    (1, False): ("(b): look at the size of 1 − cos(1/n) for large n (Taylor: 1 − cos t ≈ "
                 "t²/2 for small t), then compare with a p-series"),
    (2, True): ("(c): how does a_(n+1)/a_n behave as n grows? (the ratio test; 10^n only "
                "wins for a while)"),
    (3, False): ("(d): Σ 1/log(n) diverges, but these signs alternate — check the conditions "
                 "of the alternating series test"),
}


def _verdict(item, i: int) -> bool:
    if isinstance(item, (bool, np.bool_)):  # also the entries of a NumPy array of booleans
        return bool(item)
    if isinstance(item, str) and item.strip().lower() in _WORDS:
        return _WORDS[item.strip().lower()]
    raise Hint(f"entry {i + 1} ({item!r}) should be True/False or 'converges'/'diverges'")


@exercise("9.2", "four verdicts")
def four_verdicts(answer):
    if answer is Ellipsis:
        raise NotAttempted("not attempted yet: replace ... with your answer")
    if isinstance(answer, dict):
        answer = [answer.get(k, answer.get(k.upper())) for k in "abcd"]
    if isinstance(answer, (str, bytes)) or not hasattr(answer, "__len__") or (
            not hasattr(answer, "__getitem__")):
        raise Hint("give the four verdicts as a list, e.g. [True, False, True, True] "
                   "(True = converges)")
    if len(answer) != 4:
        raise Hint(f"give exactly four verdicts, one per series (a)–(d); you gave {len(answer)}")
    if any(item is Ellipsis for item in answer):
        raise NotAttempted("not attempted yet: replace every ... with a verdict")
    verdicts = [_verdict(item, i) for i, item in enumerate(answer)]
    right = [False, True, False, True]
    wrong = [i for i in range(4) if verdicts[i] != right[i]]
    if not wrong:
        return
    first = wrong[0]
    count = "one verdict is" if len(wrong) == 1 else f"{len(wrong)} verdicts are"
    raise Hint(f"{count} not right. {_MISCONCEPTION[(first, verdicts[first])]}")


# --- 9.3: radius of convergence ------------------------------------------------------------
@exercise("9.3", "a radius of convergence")
def radius(answer):
    # Σ n x^n / 3^n: |c_(n+1)/c_n| = (n+1)/(3n) → 1/3, so R = 3
    if isinstance(answer, str) and answer.strip().lower() in ("oo", "inf", "infinity"):
        answer = math.inf
    if hasattr(answer, "is_infinite") and getattr(answer, "is_infinite", False):
        answer = math.inf
    expect_number(answer, 3.0, rtol=1e-9, mistakes=[
        (1 / 3, ("that is the limit of |c_(n+1)/c_n|; the radius is where |x| times it "
                "reaches 1")),
        (1.0, ("the factor 1/3^n changes the radius; only factors like n (which grow more "
              "slowly than any exponential) do not")),
        (math.inf, "the terms n·(x/3)^n do not tend to 0 for every x: try x = 4"),
        (0.0, "the series converges for small x (try x = 1): the radius is not 0"),
    ], factor_hint=None)


# --- 9.4: a Taylor polynomial away from 0 ---------------------------------------------------
_TAYLOR_MISTAKES = [
        ("2 + (x - 4)/4 - (x - 4)^2/32",
         "the second-degree term is f''(4)/2! · (x − 4)²: check the 2!"),
        ("2 + (x - 4)/4 - (x - 4)^2/128",
         "the second-degree term is f''(4)/2! · (x − 4)²: check f''(4) again"),
        ("2 + (x - 4)/4 + (x - 4)^2/64",
         "check the sign of f''(4): √x bends downwards"),
        ("2 + (x - 4)/4 + (x - 4)^2/32",
         "check the sign of f''(4) (√x bends downwards) and the 2!"),
        ("2 + x/4 - x^2/64",
         "around x0 = 4 the polynomial is in powers of (x − 4), not of x"),
        ("2 + x/4 - x^2/32",
         "around x0 = 4 the polynomial is in powers of (x − 4), not of x"),
        ("2 + (x - 4)/4", "that has degree 1; degree 2 needs the (x − 4)² term"),
        ("2 + (x - 4)/2 - (x - 4)^2/64", "check f'(4): the derivative of √x is 1/(2√x)"),
        ("sqrt(x)", "that is f itself; the exercise asks for its degree-2 polynomial model"),
]
_COEFFICIENT_HINTS = (
    "the constant term is wrong: it is the value f(4)",
    "the coefficient of (x − 4) is wrong: it is the slope f'(4)",
    "the coefficient of (x − 4)² is wrong: it is f''(4)/2!",
)


def _coefficients_around_4(answer):
    """The coefficients of the answer in powers of u = x − 4, or None if not a polynomial."""
    import sympy

    from calcml.parsing import ExpressionError, parse_expression

    try:
        expr = parse_expression(answer, variables=("x",))
    except (ExpressionError, TypeError):
        return None
    x = sympy.Symbol("x")
    expr = expr.xreplace({s: sympy.Symbol(s.name) for s in expr.free_symbols})
    if expr.free_symbols - {x} or not expr.is_polynomial(x):
        return None
    u = sympy.Symbol("u")
    poly = sympy.Poly(sympy.expand(expr.subs(x, u + 4)), u)
    return [poly.coeff_monomial(u**k) for k in range(poly.degree() + 1)]


@exercise("9.4", "Taylor polynomial of √x at 4")
def taylor_sqrt(answer):
    import sympy

    expected = "2 + (x - 4)/4 - (x - 4)^2/64"
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        raise Hint("your answer is a number; a polynomial in x is expected")
    coefficients = _coefficients_around_4(answer)
    if coefficients is not None and len(coefficients) > 3 and any(
            c != 0 for c in coefficients[3:]):
        raise Hint(f"your polynomial has degree {len(coefficients) - 1}; the exercise asks for "
                   "the polynomial of degree 2 (terms up to (x − 4)²)")
    try:
        expect_expression(answer, expected, mistakes=_TAYLOR_MISTAKES,
                          factor_hint="check each coefficient f^(k)(4)/k!")
    except Hint as hint:
        if coefficients is None or str(hint) in {h for _, h in _TAYLOR_MISTAKES}:
            raise
        want = [sympy.Integer(2), sympy.Rational(1, 4), sympy.Rational(-1, 64)]
        got = coefficients + [sympy.Integer(0)] * (3 - len(coefficients))
        for k in range(3):
            if sympy.simplify(got[k] - want[k]) != 0:
                raise Hint(_COEFFICIENT_HINTS[k]) from None
        raise


# --- 9.5: how many terms for a given accuracy ----------------------------------------------
def _lagrange_bound(n: int) -> float:
    return math.e / math.factorial(n + 1)


@exercise("9.5", "a degree for eight digits")
def degree_for_accuracy(answer):
    # e/(n+1)! < 1e-8: n = 11 is the first (n = 10 gives about 6.8e-8)
    value = as_number(answer)
    if not value.is_integer() or value < 0:
        raise Hint(f"a degree is a whole number ≥ 0; your answer is {value!r}")
    n = int(value)
    if n == 11:
        return
    if n > 11 and _lagrange_bound(n - 1) < 1e-8:
        raise Hint(f"degree {n} works, but a smaller one already does: the exercise asks "
                   "for the smallest. The bound at degree n has f^(n+1) and (n+1)! in it, "
                   "and a polynomial of degree n has n + 1 terms — count degrees, not terms")
    raise Hint(f"at degree {n} the bound M·1^(n+1)/(n+1)! is {_lagrange_bound(n):.1e}, still "
               "above 1e-8: compute it for larger degrees")


# --- 9.6: Adam's bias correction --------------------------------------------------------------
@exercise("9.6", "Adam's bias correction")
def bias_correction(answer):
    # m_t = (1 − β^t) g for a constant gradient, so the factor is 1/(1 − β^t) at t = 10
    beta, t = 0.9, 10
    expect_number(answer, 1 / (1 - beta**t), rtol=5e-5, mistakes=[  # 5 significant figures
        (1 / (1 - beta), ("1/(1 − β) is the sum of all the weights β^k; but Adam's average "
                         "already has the factor (1 − β) in front — how much weight do t "
                         "steps collect?")),
        (1 - beta**t, ("that is m_10/g, the share of g the average has after 10 steps; the "
                      "correction undoes it")),
        (1 / (1 - beta ** (t - 1)), "count the steps again: m_1 already holds one term"),
        (1 / (1 - beta ** (t + 1)), "count the steps again: m_0 = 0 holds none"),
        (beta**t, "that is the weight left on the starting value m_0 = 0"),
        (1 / beta**t, "that would undo a decay β^t; m_t is a sum of t weights (1 − β)β^k"),
        (1.0, "the average starts at m_0 = 0 and has not caught up with g after 10 steps"),
    ], factor_hint=None)
