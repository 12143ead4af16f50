"""Checkers for lesson 10 — integrals (``notebooks/10-integrals-overview``).

An antiderivative is right **up to a constant**: any ``F`` with ``F' = f`` on the whole
stated domain passes. :func:`_expect_antiderivative` differentiates the learner's
``F`` (SymPy), samples ``F' - f`` densely over the domain and accepts when it is zero
everywhere; ``F = F_0 + x`` (a non-constant difference) is rejected. Its diagnoses
compare ``F'`` with ``f`` — the sign, a constant factor, an extra constant slope, the
derivative of ``f`` given instead of an antiderivative, the known slips of each
technique — and never give ``F`` away.
"""

from __future__ import annotations

import math

import numpy as np

from calcml.exercises.answers import _kind, expect_number
from calcml.exercises.core import Hint, NotAttempted, exercise, within_time

_SECONDS = 3.0  # what a learner's expression may cost to differentiate and sample


def _read(answer, what: str):
    """The learner's answer as a SymPy expression in x (a Hint otherwise)."""
    import sympy

    from calcml.parsing import ExpressionError, parse_expression

    if answer is Ellipsis:
        raise NotAttempted("not attempted yet: replace ... with your answer")
    if answer is None:
        raise Hint(f"{what} is None — assign an expression (a string such as \"x^2/2\" or SymPy)")
    if callable(answer) and not isinstance(answer, sympy.Basic):
        raise Hint(f"{what} should be an expression (a string or SymPy), not a Python function")
    if isinstance(answer, bool) or not isinstance(answer, (str, int, float, sympy.Basic)):
        raise Hint(f"{what} should be an expression (a string or SymPy), got {_kind(answer)}")
    if isinstance(answer, str) and "|" in answer:
        raise Hint(f"{what}: write an absolute value |u| as Abs(u), e.g. ln(Abs(x))")
    try:
        expr = parse_expression(answer if not isinstance(answer, (int, float)) else str(answer))
    except ExpressionError as exc:
        raise Hint(f"{what} could not be read: {exc}") from None
    if not isinstance(expr, sympy.Expr):
        raise Hint(f"{what} should be an expression in x")
    if expr.has(sympy.Integral):
        raise Hint(f"{what} still contains an unevaluated integral: find a formula for it")
    names = {s.name for s in expr.free_symbols}
    if names - {"x"}:
        extra = sorted(names - {"x"})
        c = " (leave out the constant of integration C: any constant is accepted)" \
            if extra == ["C"] else ""
        raise Hint(f"{what} contains {extra}, but should depend on x only{c}")
    x = sympy.Symbol("x", real=True)  # real: (ln|u|)' = u'/u, not a symbolic Derivative
    return expr.xreplace(dict.fromkeys(expr.free_symbols, x)), x


def _sample(expr, x, xs: np.ndarray) -> np.ndarray:
    import sympy

    g = sympy.lambdify(x, expr, "numpy")
    with np.errstate(all="ignore"):
        values = np.asarray(g(xs), dtype=complex)
    if values.ndim == 0:
        values = np.full(xs.shape, complex(values))
    real = np.where(np.abs(values.imag) <= 1e-9 * (1 + np.abs(values.real)), values.real, np.nan)
    return real


def _expect_antiderivative(answer, f: str, domain: tuple[float, float], *,
                           mistakes=(), what: str = "your antiderivative") -> None:
    """Accept any F with F' = f on ``domain`` (400 points); diagnose the rest.

    ``mistakes`` are (expression, hint): an answer equal to one of them up to a constant
    gets its hint.
    """
    import sympy

    from calcml.parsing import parse_expression

    F, x = _read(answer, what)
    f_expr = parse_expression(f).xreplace({sympy.Symbol("x"): x})
    xs = np.linspace(*domain, 401)[1:]  # the open domain's inside, densely

    def compute():
        dF = sympy.diff(F, x)
        return _sample(dF, x, xs), _sample(F, x, xs)

    sampled = within_time(_SECONDS, compute)
    if sampled is None:
        raise Hint(f"{what} is too large to check in a few seconds: simplify it")
    dF, Fv = sampled
    fv = _sample(f_expr, x, xs)
    lo, hi = domain
    if np.any(np.isnan(Fv)):
        bad = xs[np.isnan(Fv)][0]
        raise Hint(f"{what} is not a finite real number at x = {bad:.4g}, inside the domain "
                   f"({lo:g}, {hi:g}) — a logarithm or root of a negative number (ln|u| is "
                   "defined for u < 0, ln u is not), or 0/0?")
    if np.any(np.isinf(Fv)) or np.any(np.isinf(dF)):
        bad = xs[np.isinf(Fv) | np.isinf(dF)][0]
        raise Hint(f"{what} overflows (or divides by zero) at x = {bad:.4g}, inside the domain "
                   f"({lo:g}, {hi:g}); f is finite there, so F' cannot be f")
    scale = 1 + np.abs(fv)

    def same(values) -> bool:
        return bool(np.all(np.abs(values - fv) <= 1e-7 * scale))

    if same(dF):
        return
    for wrong, hint in mistakes:
        w = parse_expression(wrong).xreplace({sympy.Symbol("x"): x})
        dw = _sample(sympy.diff(w, x), x, xs)
        if np.all(np.abs(dF - dw) <= 1e-7 * (1 + np.abs(dw))):
            raise Hint(hint)
    if same(-dF):
        raise Hint(f"{what} has the wrong sign: differentiate it and compare with f")
    df = _sample(sympy.diff(f_expr, x), x, xs)
    if np.all(np.abs(Fv - df) <= 1e-7 * (1 + np.abs(df))):
        raise Hint(f"{what} is the derivative of f: integrating goes the other way (look for "
                   "a function whose derivative is f)")
    if np.all(np.abs(Fv - fv) <= 1e-7 * scale):
        raise Hint(f"{what} is f itself: an antiderivative F is a function with F' = f")
    ratio = dF / np.where(fv != 0, fv, np.nan)
    ok = np.isfinite(ratio)
    if ok.sum() > 10 and np.ptp(ratio[ok]) <= 1e-6 * np.abs(ratio[ok]).max():
        raise Hint(f"{what} is off by a constant factor: differentiate it — F' is a constant "
                   "times f. Check the factor a substitution or the chain rule brings")
    gap = dF - fv
    if np.ptp(gap) <= 1e-7 * np.abs(fv).max():
        raise Hint(f"{what} differs from a right one by a term k·x (F' − f is a nonzero "
                   "constant): a constant of integration is a constant, not a multiple of x")
    i = int(np.argmax(np.abs(gap) / scale))
    raise Hint(f"differentiate {what}: at x = {xs[i]:.4g} its derivative is {dF[i]:.6g}, but "
               f"f({xs[i]:.4g}) = {fv[i]:.6g}, so F' ≠ f there")


# --- 10.1: the left Riemann sum of x² on [0, 2] with n = 4 --------------------------------


def _riemann(rule: str) -> float:
    from calcml.integrate import riemann_sum

    return riemann_sum(lambda t: t**2, 0.0, 2.0, 4, rule)


@exercise("10.1", "a Riemann sum by hand")
def riemann_by_hand(answer):
    from calcml.integrate import trapezoid

    expect_number(answer, _riemann("left"), rtol=1e-9, mistakes=[
        (_riemann("right"), ("those heights are taken at the right end of each strip; the left "
                            "sum uses the left end")),
        (_riemann("midpoint"), ("those heights are taken at the middle of each strip; the left "
                               "sum uses the left end")),
        (8 / 3, "that is the exact integral (the limit as n → ∞), not the sum of 4 strips"),
        (_riemann("left") / 0.5, ("the sum of the heights alone: each strip's area is height × "
                                 "width")),
        (0.5 * float(np.sum(np.linspace(0.0, 2.0, 4) ** 2)),
         "the left ends are a, a + h, …, b − h, spaced by h = (b − a)/n: b itself is no left end"),
        (trapezoid(lambda t: t**2, 0.0, 2.0, 4), ("that is the trapezoid rule; the left sum uses "
                                                 "flat strips at the left height")),
    ], factor_hint="check the width of a strip: (b − a)/n")


# --- 10.2: ∫ x cos x dx = x sin x + cos x (by parts) ----------------------------------------


@exercise("10.2", "integration by parts")
def by_parts(answer):
    _expect_antiderivative(answer, "x*cos(x)", (-6.0, 6.0), mistakes=[
        ("x*sin(x)", ("that is only u·v: by parts, ∫ u dv = u·v − ∫ v du — the second "
                     "integral is missing")),
        ("x*sin(x) - cos(x)", "check the sign of ∫ v du: what is the integral of sin x?"),
        ("x^2/2*sin(x)", ("the product of two antiderivatives is not an antiderivative of the "
                         "product: use ∫ u dv = u·v − ∫ v du with u = x")),
        ("-x*cos(x) + sin(x)", ("that is an antiderivative of x·sin x: check v = ∫ cos x dx "
                                "and the sign of ∫ v du")),
        ("x^2*sin(x)/2 + x*cos(x)", ("with u = cos x the second integral gets harder; choose u "
                                    "= x, so that du = dx")),
    ])


# --- 10.3: ∫ x/(1 + x²) dx = ln(1 + x²)/2 (substitution) -------------------------------------


@exercise("10.3", "substitution")
def substitution(answer):
    _expect_antiderivative(answer, "x/(1 + x^2)", (-5.0, 5.0), mistakes=[
        ("log(1 + x^2)", "with u = 1 + x², du = 2x dx, so x dx is du/2: a factor is missing"),
        ("atan(x)", "that is ∫ 1/(1 + x²) dx; here the numerator is x"),
        ("x^2/2*atan(x)", ("the integral of a product is not the product of the integrals: try "
                          "u = 1 + x²")),
        ("log(x)", "ln x would need 1/x: substitute u = 1 + x², the denominator"),
        ("-1/(2*(1 + x^2))", ("that would be ∫ x/(1 + x²)² dx: after u = 1 + x² the integral "
                             "is ∫ du/(2u), a logarithm")),
    ])


# --- 10.4: ∫ 1/(x(x+1)) dx = ln x − ln(x+1) on x > 0 (partial fractions) ----------------------


@exercise("10.4", "partial fractions")
def partial_fractions(answer):
    _expect_antiderivative(answer, "1/(x*(x + 1))", (0.05, 10.0), mistakes=[
        ("log(x) + log(x + 1)", ("check the sign of the second fraction: 1/(x(x+1)) = A/x + "
                                "B/(x+1) — find B by putting x = −1")),
        ("log(x*(x + 1))", "ln(x(x+1)) = ln x + ln(x+1): check the sign of the second fraction"),
        ("1/x - 1/(x + 1)", "that is the split into fractions — now integrate each one"),
        ("log(x^2 + x)", ("ln(x² + x) has derivative (2x + 1)/(x² + x): split into partial "
                         "fractions first")),
        ("log(x)*log(x + 1)", ("the integral of a product is not the product of the integrals: "
                              "split 1/(x(x+1)) into a sum of two fractions first")),
    ])


# --- 10.5: the normalising constant of e^(−x²/2) ---------------------------------------------


@exercise("10.5", "a normalising constant")
def normalising_constant(answer):
    expect_number(answer, 1 / math.sqrt(2 * math.pi), rtol=1e-6, mistakes=[
        (1 / math.sqrt(math.pi), ("that normalises e^(−x²); here the exponent is −x²/2 — "
                                 "substitute x = √2·t")),
        (math.sqrt(2 * math.pi), ("that is the integral itself; the constant c makes c·(integral) "
                                 "= 1")),
        (math.sqrt(math.pi), ("that is ∫ e^(−x²) dx; here the exponent is −x²/2, and c makes the "
                             "area 1")),
        (1 / (2 * math.pi), "the Gaussian integral gives a square root: ∫ e^(−x²/2) dx = √(…)"),
        (1 / math.sqrt(2 * math.pi) / 2, "the integral runs over the whole line, both halves"),
    ], factor_hint="check ∫ e^(−x²/2) dx over the whole line (the Gaussian integral "
                   "with x = √2·t)")


# --- 10.6: ROC-AUC by the trapezoid rule -----------------------------------------------------

#: the ROC curve of a small classifier: false- and true-positive rates, increasing
ROC_FPR = np.array([0.0, 0.1, 0.2, 0.4, 0.7, 1.0])
ROC_TPR = np.array([0.0, 0.45, 0.7, 0.85, 0.95, 1.0])


@exercise("10.6", "ROC-AUC by the trapezoid rule")
def roc_auc(answer):
    widths = np.diff(ROC_FPR)
    trapezoids = float(np.sum(widths * (ROC_TPR[1:] + ROC_TPR[:-1]) / 2))
    expect_number(answer, trapezoids, rtol=1e-9, mistakes=[
        (float(np.sum(widths * ROC_TPR[:-1])), ("that is a left Riemann sum (each strip at its "
                                               "left height): the trapezoid rule averages both "
                                               "ends")),
        (float(np.sum(widths * ROC_TPR[1:])), ("that is a right Riemann sum (each strip at its "
                                              "right height): the trapezoid rule averages both "
                                              "ends")),
        (float(np.mean(ROC_TPR)), ("the mean of the true-positive rates ignores the widths: the "
                                  "points are not evenly spaced in the false-positive rate")),
        (float(np.sum(np.diff(ROC_TPR) * (ROC_FPR[1:] + ROC_FPR[:-1]) / 2)),
         ("that is the area to the left of the curve: integrate the true-positive rate over "
         "the false-positive rate")),
        (float(np.sum((ROC_TPR[1:] + ROC_TPR[:-1]) / 2)), ("each trapezoid's area is its mean "
                                                          "height times its width")),
    ], factor_hint="each trapezoid's area is its width times the mean of its two heights")


# --- 10.7: Monte Carlo: how many more points for 10 times less error? -------------------------


@exercise("10.7", "Monte Carlo's error")
def monte_carlo_points(answer):
    expect_number(answer, 100.0, rtol=1e-9, mistakes=[
        (10.0, "the error of Monte Carlo falls like 1/√n, not like 1/n"),
        (math.sqrt(10), "the error falls like 1/√n: solve 1/√(k·n) = (1/10)·1/√n for k"),
        (1000.0, "the error falls like 1/√n (not n^(−1/3)): solve for k"),
        (1 / 100, "that is fewer points: more points give less error"),
    ], factor_hint="the error falls like 1/√n")
