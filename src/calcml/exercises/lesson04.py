"""Checkers for lesson 04 — partial derivatives (``notebooks/04-partial-derivatives``).

Answers that are partial derivatives are expressions in ``x`` and ``y`` (SymPy, or a
string such as ``"3x^2 y^2 + y e^(x y)"``); :func:`expect_partial` compares them with
the right one at a grid of points covering the box the exercise states and, when they
differ, looks for the mistakes of the lesson: a variable that should have been held
fixed but was differentiated, the derivative with respect to the other variable, a
missing inner derivative, the wrong order of a mixed partial. Numbers and arrays go
through :func:`~calcml.exercises.answers.expect_number` and ``expect_array``.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from calcml.exercises.answers import (
    MAX_EXPRESSION_OPS,
    as_number,
    expect_array,
    expect_number,
    fmt,
    is_unevaluated,
)
from calcml.exercises.core import Hint, NotAttempted, exercise, within_time

#: where 4.1–4.3 compare answers: a 9 × 9 grid spread over the square [-2, 2]², shifted off
#: the axes (no point has x = 0 or y = 0, where many wrong answers agree with the right one)
_GRID = [(float(a), float(b)) for a in np.linspace(-1.9, 1.9, 9) + 0.05
         for b in np.linspace(-1.9, 1.9, 9) - 0.07]


def _parse(answer: Any, variables: Sequence[str], what: str):
    import sympy

    from calcml.parsing import ExpressionError, parse_expression

    if answer is Ellipsis:
        raise NotAttempted("not attempted yet: replace ... with your answer")
    if answer is None:
        raise Hint(f"{what} is None — assign a SymPy expression or a string")
    if callable(answer) and not isinstance(answer, sympy.Basic):
        raise Hint(f"{what} should be an expression (SymPy or a string), not a function")
    if isinstance(answer, bool) or not isinstance(answer, (str, int, float, sympy.Basic)):
        raise Hint(f"{what} should be a SymPy expression or a string, got "
                   f"{type(answer).__name__}")
    if isinstance(answer, str):
        answer = _split_products(answer, variables)
    try:
        expr = parse_expression(answer, variables=variables)
    except ExpressionError as exc:
        raise Hint(f"{what} could not be read: {exc}") from None
    if not isinstance(expr, sympy.Expr):
        raise Hint(f"{what} should be one expression, got {type(expr).__name__}")
    unevaluated = is_unevaluated(expr)
    if unevaluated:
        raise Hint(f"{what} still contains an unevaluated {unevaluated}: call .doit() or "
                   "write the derivative out")
    expr = expr.subs({s: sympy.Symbol(s.name) for s in expr.free_symbols})
    extra = sorted({s.name for s in expr.free_symbols} - set(variables))
    if extra:
        raise Hint(f"{what} contains {extra}, but should depend on "
                   f"{' and '.join(variables)} only")
    if sympy.count_ops(expr) > MAX_EXPRESSION_OPS:
        raise Hint(f"{what} is too large to check: simplify it first")
    return expr


def _split_products(text: str, variables: Sequence[str]) -> str:
    """``xy`` as ``x*y`` when x and y are the exercise's variables (as on paper: e^(xy))."""
    letters = "".join(v for v in variables if len(v) == 1)
    if len(letters) < 2:
        return text
    run = re.compile(rf"(?<![A-Za-z_])([{letters}]{{2,}})(?![A-Za-z0-9_])")
    return run.sub(lambda m: "*".join(m.group(1)), text)


def _values(expr, variables: Sequence[str], points) -> np.ndarray | None:
    """The expression at the points, or None where it is not real and finite."""
    import sympy

    symbols = [sympy.Symbol(v) for v in variables]
    try:
        f = sympy.lambdify(symbols, expr, "math")
        out = np.array([complex(f(*p)) for p in points])
    except (OverflowError, RecursionError):
        return None
    except (TypeError, ValueError, ArithmeticError, NameError, AttributeError, KeyError):
        return None
    if not np.all(np.isfinite(out)) or np.any(np.abs(out.imag) > 1e-12):
        return None
    return out.real


def _agree(a, b) -> bool:
    return a is not None and b is not None and bool(np.allclose(a, b, rtol=1e-9, atol=1e-10))


def _where(variables, point) -> str:
    return f"({', '.join(variables)}) = ({', '.join(fmt(round(c, 4)) for c in point)})"


def expect_partial(answer: Any, expected: Any, *, variables: Sequence[str] = ("x", "y"),
                   wrt: str | None = None, function: Any = None,
                   mistakes: Iterable[tuple[Any, str]] = (), points=None,
                   what: str = "your derivative") -> None:
    """Compare an expression in several variables with the expected one, point by point.

    Diagnoses, in order: unreadable input, an unevaluated derivative, a variable the
    exercise does not have; a known mistake from ``mistakes``; and when ``function``
    (the f the answer is a partial derivative of) and ``wrt`` are given: the derivative
    with respect to another variable, every variable differentiated (the one that should
    be held fixed too), f itself; then the wrong sign, a constant factor, a missing inner
    derivative (a factor ∂g/∂wrt for an inner function g of f); else the first point
    where the answer differs, with its value there — never the expected one.

    Parameters
    ----------
    answer : object
        The learner's expression (SymPy or a string).
    expected : str or sympy.Expr
        The right one.
    variables : sequence of str
        The exercise's variables.
    wrt : str, optional
        The variable of the partial derivative.
    function : str or sympy.Expr, optional
        The function differentiated.
    mistakes : iterable of (expression, hint)
        Known wrong answers and their hints.
    points : sequence of tuples, optional
        Where to compare (default: an 81-point grid over [-2, 2]²).
    what : str
        How the hints name the answer.
    """
    import sympy

    from calcml.parsing import parse_expression

    variables = tuple(variables)
    points = _GRID if points is None else list(points)
    got = _parse(answer, variables, what)

    def plain(e):
        e = parse_expression(e, variables=variables)
        return e.subs({s: sympy.Symbol(s.name) for s in e.free_symbols})

    want = plain(expected)
    got_v, want_v = _values(got, variables, points), _values(want, variables, points)
    if _agree(got_v, want_v):
        return
    if got_v is None and within_time(1.5, lambda: sympy.simplify(got - want) == 0, False):
        return  # (bounded: simplifying a huge power such as (x + y)^100000 takes minutes)
    for wrong, hint in mistakes:
        if _agree(got_v, _values(plain(wrong), variables, points)):
            raise Hint(hint)
    if function is not None and wrt is not None:
        f = plain(function)
        symbols = {v: sympy.Symbol(v) for v in variables}
        others = [v for v in variables if v != wrt]
        for v in others:
            if _agree(got_v, _values(sympy.diff(f, symbols[v]), variables, points)):
                raise Hint(f"that is the partial derivative with respect to {v}; this one is "
                           f"with respect to {wrt}, holding {v} fixed")
        everything = sum(sympy.diff(f, s) for s in symbols.values())
        if _agree(got_v, _values(everything, variables, points)):
            held = " and ".join(others)
            raise Hint(f"{held} should be held fixed — a constant, with derivative 0 — but "
                       f"was differentiated too (as if it changed with {wrt})")
        if _agree(got_v, _values(f, variables, points)):
            raise Hint(f"{what} is the function itself, not its derivative")
    if got_v is None:
        bad = next((p for p in points if _values(got, variables, [p]) is None), points[0])
        raise Hint(f"{what} has no real, finite value at {_where(variables, bad)}, where the "
                   "expected one has — a division by zero, the log or square root of a "
                   "negative number, or a number too large to compute?")
    if want_v is None:  # pragma: no cover — the exercises' expressions are finite on the grid
        raise Hint(f"{what} is not equal to the expected expression")
    if np.allclose(got_v, -want_v, rtol=1e-9, atol=1e-10):
        raise Hint(f"{what} has the wrong sign everywhere — check the sign")
    nz = np.abs(want_v) > 1e-9
    if nz.sum() >= 2 and np.all(np.abs(got_v[~nz]) <= 1e-9):
        ratio = got_v[nz] / want_v[nz]
        if np.ptp(ratio) <= 1e-7 * np.abs(ratio).max() and abs(ratio[0]) > 1e-6:
            raise Hint(f"{what} is off by a constant factor everywhere — a factor is missing "
                       "or extra (the power rule's exponent? the chain rule's inner "
                       "derivative?)")
        if function is not None and wrt is not None:
            _inner_derivative_hint(got_v, want_v, plain(function), wrt, variables, points, what)
    diff = got_v - want_v
    if np.ptp(diff) <= 1e-9 * (1 + np.abs(want_v).max()):
        raise Hint(f"{what} is off by a constant at every point — a constant term is "
                   "missing or extra")
    if function is not None and wrt is not None:
        _term_hint(got, got_v, plain(function), sympy.Symbol(wrt), variables, points)
    i = int(np.argmax(~np.isclose(got_v, want_v, rtol=1e-9, atol=1e-10)))
    direction = "too large" if got_v[i] > want_v[i] else "too small"
    raise Hint(f"at {_where(variables, points[i])} {what} gives {got_v[i]:.6g}, which is "
               f"{direction}")


def _paper(expr) -> str:
    """An expression as a learner types it: ``x^3*y^2``, ``exp(x*y)``."""
    import sympy

    return sympy.sstr(expr).replace("**", "^")


def _term_hint(got, got_v, f, x, variables, points) -> None:
    """When f is a sum of terms, say which term's derivative is missing or wrong — while the
    others are right — naming the term of f (never a term of the answer)."""
    import itertools

    import sympy

    terms = [t for t in sympy.Add.make_args(f) if x in t.free_symbols]
    if not isinstance(f, sympy.Add) or len(terms) < 2:
        return
    parts = [_values(sympy.diff(t, x), variables, points) for t in terms]
    if any(p is None for p in parts):  # pragma: no cover — the exercises' terms are finite
        return
    pieces = sympy.Add.make_args(got)
    right = "the other term is" if len(terms) == 2 else "the other terms are"
    for k, term in enumerate(terms):
        others = sum(p for j, p in enumerate(parts) if j != k)
        rest, mine = got_v - others, parts[k]
        name = _paper(term)
        if np.allclose(rest, 0, rtol=0, atol=1e-9 * (1 + np.abs(got_v).max())):
            raise Hint(f"the derivative of the term {name} is missing (it depends on "
                       f"{x} too); {right} right")
        nz = np.abs(mine) > 1e-9
        if nz.sum() >= 2 and np.all(np.abs(rest[~nz]) <= 1e-9):
            ratio = rest[nz] / mine[nz]
            if np.ptp(ratio) <= 1e-7 * np.abs(ratio).max():
                if np.isclose(ratio[0], -1):
                    raise Hint(f"the derivative of the term {name} has the wrong sign; "
                               f"{right} right")
                raise Hint(f"the derivative of the term {name} is off by a constant factor "
                           "(the power rule's exponent? the chain rule's inner derivative?); "
                           f"{right} right")
        if len(pieces) <= 8:  # which of the answer's own terms are the other terms' derivative?
            for size in range(1, len(pieces)):
                for chosen in itertools.combinations(pieces, size):
                    v = _values(sympy.Add(*chosen), variables, points)
                    if _agree(v, others):
                        raise Hint(f"the derivative of the term {name} is not right; "
                                   f"{right} right")


def _inner_derivative_hint(got_v, want_v, f, wrt, variables, points, what) -> None:
    """A hint when expected = answer + (something) where that something carries the factor
    ∂g/∂wrt of an inner function g of f — or simply answer·c·∂g/∂wrt."""
    import sympy

    x = sympy.Symbol(wrt)
    inner = []
    for node in sympy.preorder_traversal(f):
        if isinstance(node, (sympy.Function, sympy.Pow)):
            inner += [a for a in node.args if x in a.free_symbols and a != x]
    for g in inner:
        dg = sympy.diff(g, x)
        if not dg.free_symbols:
            continue
        d = _values(dg, variables, points)
        if d is None or np.any(np.abs(d) < 1e-9) or np.any(np.abs(got_v) < 1e-12):
            continue
        c = want_v / (got_v * d)
        if np.ptp(c) <= 1e-7 * np.abs(c).max():
            raise Hint(f"{what} is missing a factor that depends on the variables — the "
                       f"chain rule's inner derivative (with respect to {wrt})?")


# --- 4.1: ∂/∂x of x^3 y^2 + e^(x y) ----------------------------------------------------------

F41 = "x^3*y^2 + exp(x*y)"


@exercise("4.1", "a partial derivative: hold y fixed")
def partial_x(answer):
    expect_partial(answer, "3x^2 y^2 + y exp(x y)", wrt="x", function=F41, mistakes=[
        ("3x^2 y^2 + exp(x y)", ("the chain rule's inner derivative is missing in the "
                                 "exponential term: what is inside e^(...) depends on x")),
        ("3x^2 y^2 + x exp(x y)", ("the inner derivative of e^(xy) is with respect to x "
                                  "(y held fixed), not with respect to y")),
        ("6x^2 y + y exp(x y)", ("y² is a constant factor when y is held fixed: it stays as it "
                                "is, it is not differentiated")),
        ("3x^2 + y exp(x y)", ("y² is a constant factor when y is held fixed: it stays in the "
                              "term, it does not disappear")),
    ])


# --- 4.2: ∂/∂y of (x^2 + y^2) sin(x y): a product of two-variable factors -----------------------

F42 = "(x^2 + y^2)*sin(x*y)"


@exercise("4.2", "a product of two-variable factors")
def partial_product(answer):
    expect_partial(answer, "2y sin(x y) + (x^2 + y^2) x cos(x y)", wrt="y", function=F42,
                   mistakes=[
        ("2y x cos(x y)", ("(u·v)' is not u'·v': the product rule has two terms, u'·v + u·v' "
                          "(both factors depend on y)")),
        ("2y sin(x y)", ("only the first factor was differentiated: sin(xy) depends on y "
                        "too, so the product rule needs its term")),
        ("(x^2 + y^2) x cos(x y)", ("only the second factor was differentiated: x² + y² "
                                   "depends on y too, so the product rule needs its term")),
        ("2y sin(x y) + (x^2 + y^2) cos(x y)", ("the chain rule's inner derivative is "
                                                "missing in the sine: what is inside "
                                                "sin(...) depends on y")),
        ("2y sin(x y) + (x^2 + y^2) y cos(x y)", ("the inner derivative of sin(xy) is with "
                                                 "respect to y (x held fixed), not x")),
        ("(2x + 2y) sin(x y) + (x^2 + y^2) x cos(x y)", ("x is held fixed: x² is a constant, "
                                                        "its derivative is 0")),
        ("2y sin(x y) - (x^2 + y^2) x cos(x y)", ("the derivative of sin has no minus sign: "
                                                 "(sin u)' = cos(u)·u' (it is cos' = −sin)")),
        ("2y sin(x y) + (x^2 + y^2) x sin(x y)", "(sin u)' is cos(u)·u', not sin(u)·u'"),
        ("2 sin(x y) + (x^2 + y^2) x cos(x y)", ("the derivative of x² + y² with respect to y "
                                                "still has a y in it: the power rule")),
    ])


# --- 4.3: the mixed partial f_xy of e^(x y^2) ---------------------------------------------------

F43 = "exp(x*y^2)"


@exercise("4.3", "a mixed partial derivative")
def mixed_partial(answer):
    f_x, f_y = "y^2 exp(x y^2)", "2 x y exp(x y^2)"
    expect_partial(answer, "(2y + 2x y^3) exp(x y^2)", mistakes=[
        (f_x, "that is the first partial ∂f/∂x; now differentiate it with respect to y"),
        (f_y, "that is the first partial ∂f/∂y; now differentiate it with respect to x"),
        ("y^4 exp(x y^2)", ("that is f_xx (x twice); the mixed partial differentiates once by x "
                           "and once by y")),
        ("(2x + 4x^2 y^2) exp(x y^2)", ("that is f_yy (y twice); the mixed partial "
                                       "differentiates once by x and once by y")),
        ("2 x y^3 exp(2 x y^2)", ("that is the product f_x·f_y; the mixed partial "
                                 "differentiates f_x again, with respect to y")),
        ("2 x y^3 exp(x y^2)", ("the product rule is missing: f_x = y²·e^(xy²) is a product of "
                               "two factors that depend on y")),
        ("2y exp(x y^2)", ("only the first factor of f_x = y²·e^(xy²) was differentiated; "
                          "e^(xy²) depends on y too")),
        ("(2y + y^2) exp(x y^2)", ("the chain rule's inner derivative is missing when "
                                  "e^(xy²) is differentiated with respect to y")),
        ("(2y + x y^3) exp(x y^2)", ("the inner derivative ∂(xy²)/∂y is off by a factor: the "
                                    "power rule's exponent of y²")),
        ("(2 x y + y^2) exp(x y^2)", ("that is f_x + f_y, the sum of the two first partials; "
                                     "the mixed partial differentiates f_x with respect to y")),
    ])


# --- 4.4: the linear approximation of sqrt(x^2 + y^2) near (3, 4) ----------------------------------

def _f44(x, y):
    return math.hypot(x, y)


_A44, _P44 = (3.0, 4.0), (3.2, 3.9)


def linear_approximation_44() -> float:
    """f(a) + f_x(a) h1 + f_y(a) h2 for f = sqrt(x² + y²), a = (3, 4), a + h = (3.2, 3.9)."""
    (a1, a2), (p1, p2) = _A44, _P44
    r = _f44(a1, a2)
    return r + a1 / r * (p1 - a1) + a2 / r * (p2 - a2)


@exercise("4.4", "a linear approximation")
def linear_approximation(answer):
    (a1, a2), (p1, p2) = _A44, _P44
    r = _f44(a1, a2)
    h1, h2 = p1 - a1, p2 - a2
    fx, fy = a1 / r, a2 / r
    exact = _f44(p1, p2)
    value = as_number(answer, "your answer")
    if math.isfinite(value) and abs(value - exact) <= 1e-4 * exact:  # also when rounded
        raise Hint("that is (close to) the exact value f(3.2, 3.9); the exercise asks for the "
                   "linear approximation from the tangent plane at (3, 4)")
    expect_number(answer, linear_approximation_44(), rtol=1e-9, atol=0, factor_hint=None,
                  mistakes=[
        (r, "that is f(3, 4) alone: add the changes f_x·h₁ + f_y·h₂ from the tangent plane"),
        (r + fy * h1 + fx * h2, ("the partial derivatives are paired with the wrong steps: "
                                "f_x goes with the step in x, f_y with the step in y")),
        (r - fx * h1 - fy * h2, "the steps have the wrong sign: h = (3.2, 3.9) − (3, 4)"),
        (r + fx * h1, "only the step in x was used: y changes too"),
        (r + fy * h2, "only the step in y was used: x changes too"),
        (r + fx * abs(h1) + fy * abs(h2), ("two slips lead here: the step in y taken as "
                                           "positive (y decreases from 4 to 3.9), or f_x and "
                                           "f_y without the square root's outer derivative "
                                           "(√u)' = 1/(2√u)")),
        (r + 2 * a1 * h1 + 2 * a2 * h2, ("those are the partial derivatives of x² + y²: the "
                                         "square root's outer derivative (√u)' = 1/(2√u) is "
                                         "missing")),
        (r + 2 * (fx * h1 + fy * h2), ("f_x and f_y carry an extra factor: the square root's "
                                       "outer derivative is (√u)' = 1/(2√u), with its 1/2")),
        (r + (h1 + h2) / (2 * r), ("f_x and f_y are missing the chain rule's inner derivative: "
                                   "the derivative of x² + y²")),
        (r + p1 / exact * h1 + p2 / exact * h2, ("the partial derivatives are taken at (3, 4), where the "
                                         "plane touches the surface, not at (3.2, 3.9)")),
        (r + h1 + h2, "the steps must be multiplied by the partial derivatives at (3, 4)"),
    ])


# --- 4.5: the gradient of the MSE loss of a one-feature regression -----------------------------

#: where 4.5 asks for ∂L/∂w and ∂L/∂b
W45, B45 = 8.0, -50.0


def problem_4_5():
    """The BMI ``x`` (kg/m²) and the disease progression ``y`` of lesson 04's regression."""
    from calcml.datasets import diabetes

    data = diabetes()
    return data.column("bmi"), data.y


@exercise("4.5", "the partial derivatives of the MSE loss")
def mse_partials(answer):
    x, y = problem_4_5()
    r = W45 * x + B45 - y
    dw, db = 2 * np.mean(r * x), 2 * np.mean(r)
    expected = np.array([dw, db])
    arr = None
    with contextlib.suppress(TypeError, ValueError):
        arr = np.asarray(answer, dtype=float)
    if arr is not None and arr.shape == (2,):
        mistakes = [
            ([db, dw], "the two partial derivatives are in the wrong order: [∂L/∂w, ∂L/∂b]"),
            ([db, db], ("∂L/∂w is missing a factor: the chain rule's inner derivative of "
                       "w·xᵢ + b − yᵢ with respect to w")),
            ([2 * np.mean(r * x), 2 * np.mean(r * x)], ("∂L/∂b has an extra factor xᵢ: the "
                                                       "inner derivative with respect to b is 1")),
            ([2 * np.sum(r * x), 2 * np.sum(r)], ("L is the mean of the squared errors, not "
                                                 "their sum: divide by N")),
            ([np.mean(r * x), np.mean(r)], ("the outer derivative of the square, (u²)' = 2u, "
                                           "is missing a factor")),
            ([np.mean(r**2 * x), np.mean(r**2)], "differentiate the square: (u²)' = 2u·u'"),
            ([2 * np.mean(r) * np.mean(x), db], ("∂L/∂w is the mean of the products (error "
                                                "times xᵢ), not the product of two means")),
            ([2 * np.mean((5 * x - y) * x), 2 * np.mean(5 * x - y)],
             ("that is the gradient at the lesson's point (w, b) = (5, 0); the exercise asks "
              "at (W45, B45)")),
        ]
        for wrong, hint in mistakes:
            if np.allclose(arr, wrong, rtol=1e-9, atol=0):
                raise Hint(hint)
    expect_array(answer, expected, rtol=1e-7, atol=0, what="your [∂L/∂w, ∂L/∂b]",
                 factor_hint="the mean's 1/N, or the square's 2?")


# --- 4.6: a neuron's output, differentiated with respect to one weight -----------------------

#: the neuron of 4.6: inputs, weights, bias (b is not −2·w·x: σ' is even, so with that bias
#: an answer that forgets b would give the same number)
X46, W46, B46 = (0.5, -1.5), (0.8, 0.3), 0.4


def _sigma(z: float) -> float:
    return 1 / (1 + math.exp(-z))


@exercise("4.6", "a neuron's partial derivative")
def neuron_partial(answer):
    (x1, x2), (w1, w2) = X46, W46
    z = w1 * x1 + w2 * x2 + B46
    s = _sigma(z)
    ds = s * (1 - s)
    expect_number(answer, ds * x2, rtol=1e-6, atol=0, factor_hint=None, mistakes=[
        (ds, ("the inner derivative is missing: z = w₁x₁ + w₂x₂ + b, differentiated with "
             "respect to w₂")),
        (x2, "the outer derivative is missing: σ'(z), evaluated at the neuron's z"),
        (s * x2, "σ(z) is the neuron's output, not its slope: σ' = σ(1 − σ)"),
        (ds * x1, "that input goes with the other weight: ∂z/∂w₂ is the input w₂ multiplies"),
        (ds * w2, ("that is ∂a/∂x₂, the derivative with respect to the input; the exercise "
                  "asks for the weight w₂, with the inputs held fixed")),
        (s * (1 - s) * x2 * w2, "∂z/∂w₂ is the input w₂ multiplies, not input times weight"),
        (_sigma(x2) * (1 - _sigma(x2)), "σ' is evaluated at the neuron's z, not at an input"),
        (_sigma(z - B46) * (1 - _sigma(z - B46)) * x2, ("the bias is missing from z: "
                                                        "z = w₁x₁ + w₂x₂ + b")),
    ])
