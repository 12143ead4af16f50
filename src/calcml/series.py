"""Sequences, series and Taylor polynomials: verdicts you can trust, sums that keep their digits.

Lesson 09 (``notebooks/09-taylor-series``) introduces everything here:

* :func:`convergence` — does :math:`\\sum_{n \\ge \\text{start}} a_n` converge? A
  :class:`Verdict` with ``.converges`` (``True``, ``False`` or ``None`` when no test here
  decides — never a guess), ``.test`` (the test that decided), ``.absolute`` and
  ``.steps`` (the reasoning a teacher would write, one line per step);
* :func:`radius_of_convergence` — the radius of :math:`\\sum c_n x^n`;
* :func:`taylor_polynomial` and :func:`remainder_bound` — the local polynomial model of
  a function (of one or several variables) and the Lagrange bound on its error;
* :func:`partial_sums` — :math:`S_N` for every ``N``, summed exactly (rationals) or with
  Neumaier's compensated summation, and :func:`harmonic_stall` — where the naive
  floating-point sum of :math:`1/n` stops growing.

How a verdict is reached. The tests are applied in the order a teacher would try them:
the *divergence test* (terms that do not tend to 0), the exact forms (*geometric* and
*p-series*, *telescoping* sums), an alternating sign :math:`(-1)^n` factored out, then
for terms that decay like a power the *limit comparison* with :math:`1/n^p` (and with
:math:`1/(n \\ln^s n)` when :math:`p = 1`), for factorials and exponentials the *ratio*
and *root* tests, then the *alternating series test*, *comparison* for bounded
oscillating factors (:math:`|\\sin(\\cdot)| \\le 1`), *Dirichlet's test* for
:math:`\\sin(an)\\,b_n`, and the *integral test*. Every conclusion rests on a symbolic limit
(SymPy's ``limit``) or an exact identity; numbers are only used to *choose* the
comparison series. SymPy's own ``Sum.is_convergent`` is not trusted: it answers some
textbook series wrongly (it says :math:`\\sum 1 - \\cos(1/n)` diverges), so it is asked
only when every test here failed, and its answer is then reported as unconfirmed with
``converges=None``.

Guarded against hanging: every SymPy call that could run long (limits, integrals,
series) runs under a deadline — a share of ``time_limit`` (default 1 s for a verdict) —
enforced with a timer signal when called from the main thread (Jupyter, the command
line, tests). In another thread only the structural limits apply (the size of the
term, the number of tests). A test that runs out of time is skipped, and the steps say so.
"""

from __future__ import annotations

import math
import numbers
import re
import threading
import time
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from calcml._cpu_time import cpu_time_limit

__all__ = [
    "SeriesError",
    "Verdict",
    "convergence",
    "harmonic_stall",
    "parse_term",
    "partial_sums",
    "radius_of_convergence",
    "remainder_bound",
    "taylor_polynomial",
]


class SeriesError(ValueError):
    """A term, start or function that calcml.series cannot work with (the message says why)."""


# --- time guard -------------------------------------------------------------------------


class _OutOfTime(BaseException):  # BaseException: SymPy's ``except Exception`` cannot swallow it
    pass


def _deadline(seconds: float | None):
    """Raise :class:`_OutOfTime` inside the block after ``seconds`` of this process's CPU
    time (see :func:`calcml._cpu_time.cpu_time_limit`); at least a millisecond."""
    return cpu_time_limit(None if seconds is None else max(seconds, 1e-3), _OutOfTime)


class _Budget:
    """The CPU time left for one verdict; each guarded call gets a share of it."""

    def __init__(self, total: float | None):
        self.total = total
        self.start = time.process_time()
        self.ran_out = False

    def left(self) -> float | None:
        if self.total is None:
            return None
        return self.total - (time.process_time() - self.start)

    def share(self, fraction: float = 0.5) -> float | None:
        left = self.left()
        if left is None:
            return None
        return max(0.0, min(left, fraction * self.total))

    def run(self, fn, *args, fraction: float = 0.5):
        """``fn(*args)``, or ``None`` when it raises or runs out of its share of time."""
        share = self.share(fraction)
        if share is not None and share <= 0.005:
            self.ran_out = True
            return None
        try:
            with _deadline(share):
                return fn(*args)
        except _OutOfTime:
            self.ran_out = True
            return None
        except (RecursionError, MemoryError):
            return None
        except Exception:  # noqa: BLE001 — SymPy raises many kinds; a failed test decides nothing
            return None


# --- reading a term ---------------------------------------------------------------------

_MAX_OPS = 150
_EXACT_MAX = 2000  # partial_sums sums at most this many exact fractions
_PLACEHOLDER = "factq{}"


def _matching_open(text: str, close: int) -> int:
    depth = 0
    for i in range(close, -1, -1):
        if text[i] == ")":
            depth += 1
        elif text[i] == "(":
            depth -= 1
            if depth == 0:
                return i
    raise SeriesError(f"unbalanced parentheses in {text!r}")


def _matching_close(text: str, open_: int) -> int:
    depth = 0
    for i in range(open_, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    raise SeriesError(f"unbalanced parentheses in {text!r}")


def _pull_factorials(text: str) -> tuple[str, list[str]]:
    """Replace ``n!``, ``(2n)!`` and ``factorial(...)`` by placeholders; return their arguments."""
    if "!!" in text:
        raise SeriesError(f"double factorials (n!!) are not supported: {text!r}")
    args: list[str] = []
    while True:
        m = re.search(r"\bfactorial\s*\(", text)
        if m:
            close = _matching_close(text, m.end() - 1)
            args.append(text[m.end():close])
            text = f"{text[:m.start()]} {_PLACEHOLDER.format(len(args) - 1)} {text[close + 1:]}"
            continue
        bang = text.find("!")
        if bang < 0:
            return text, args
        before = text[:bang].rstrip()
        if not before:
            raise SeriesError(f"a factorial needs something before the '!': {text!r}")
        if before.endswith(")"):
            begin = _matching_open(before, len(before) - 1)
            arg = before[begin + 1:-1]
        else:
            word = re.search(r"[A-Za-z0-9.]+$", before)
            if not word:
                raise SeriesError(f"cannot tell what the '!' applies to in {text!r}")
            begin, arg = word.start(), word.group()
        args.append(arg)
        text = f"{before[:begin]} {_PLACEHOLDER.format(len(args) - 1)} {text[bang + 1:]}"


def parse_term(term, n: str = "n"):
    """The term of a series as a SymPy expression in ``n``, from a string or SymPy.

    Strings go through :func:`calcml.parsing.parse_expression` (nothing is evaluated),
    with factorials added: ``n!``, ``(2n)!`` and ``factorial(n)``. The term must depend
    on ``n`` only. Raises :class:`SeriesError` (a ``ValueError``) naming the problem.
    """
    import sympy

    from calcml.parsing import ExpressionError, parse_expression

    if not isinstance(n, (str, sympy.Symbol)) or not str(n).isidentifier():
        raise TypeError(f"n must be the name of the index variable, e.g. 'n', got {n!r}")
    name = str(n)
    if isinstance(term, str):
        text, args = _pull_factorials(term)
        names = [_PLACEHOLDER.format(i) for i in range(len(args))]
        try:
            expr = parse_expression(text, variables=(name, *names))
            inner = [parse_term(arg, name) for arg in args]
        except ExpressionError as exc:
            raise SeriesError(f"cannot read the term {term!r}: {exc}") from None
        for placeholder, arg in zip(names, inner, strict=True):
            if arg.is_number and (not arg.is_integer or arg > 1000 or arg < 0):
                raise SeriesError(f"factorial({arg}) is not a factorial calcml computes "
                                  "(a whole number 0..1000, or one depending on n)")
            expr = expr.subs(sympy.Symbol(placeholder), sympy.factorial(arg))
    elif isinstance(term, sympy.Basic):
        expr = term
    elif isinstance(term, numbers.Number) and not isinstance(term, bool):
        expr = sympy.sympify(term)
    else:
        raise TypeError(f"the term must be a string such as '1/n^2' or a SymPy expression, "
                        f"got {type(term).__name__} {term!r}")
    if not isinstance(expr, sympy.Expr):
        raise SeriesError(f"the term {term!r} is not a single expression")
    others = sorted(s.name for s in expr.free_symbols if s.name != name)
    if others:
        raise SeriesError(f"the term {term!r} depends on {', '.join(others)}; a series term "
                          f"must depend on the index {name} only")
    if sympy.count_ops(expr) > _MAX_OPS:
        raise SeriesError(f"the term {term!r} is too long (more than {_MAX_OPS} operations)")
    plain = {s: sympy.Symbol(name) for s in expr.free_symbols}
    return expr.xreplace(plain)


def _check_start(start) -> int:
    if isinstance(start, (bool, np.bool_)) or not isinstance(start, numbers.Integral):
        if isinstance(start, numbers.Real) and float(start).is_integer():
            raise TypeError(f"start must be a whole number (an int), got {start!r}")
        raise TypeError(f"start must be a whole number such as 1, got {type(start).__name__} "
                        f"{start!r}")
    if start < 0:
        raise ValueError(f"start must be 0 or more, got {start}")
    return int(start)


def _numeric(expr, n):
    """A fast numeric evaluator (mpmath: no exact big numbers, no overflow) of ``expr``.

    Powers go through :func:`_bounded_pow`: a tower such as n^n^n^n^n at n = 3 is inf at
    once instead of an integer of trillions of digits (a C-level computation no time
    limit can stop).
    """
    import sympy

    placeholder = sympy.Function("bounded_pow")  # (lambdify prints it by its name)
    bounded = expr.replace(lambda e: e.is_Pow and not e.exp.is_Integer,
                           lambda e: placeholder(*e.args))
    return sympy.lambdify(n, bounded, [{"bounded_pow": _bounded_pow}, "mpmath"])


_overflowed = threading.local()  # set when _bounded_pow gave inf for a finite power
_LARGEST_EXPONENT = 2 ** 60  # |t| above this: s^t through t·ln|s| (no huge integer t)
_LARGEST_LOG = 10 ** 10_000  # |t·ln s| above: s^t is ±inf or 0 (mpmath's exp would stall)


def _bounded_pow(s, t):
    """s^t in mpmath; ±inf (or 0) at once where s^t would be astronomically large (small).

    mpmath raises s to a whole-number power t by repeated squaring on the integer t itself,
    which for t = 3^3^27 is an integer of trillions of digits: a C computation that no
    time limit stops. Past 2^60 the size is read from t·ln|s| instead.
    """
    import mpmath

    s, t = (mpmath.mpf(v) if isinstance(v, (int, float)) else v for v in (s, t))
    if not (isinstance(s, mpmath.mpf) and isinstance(t, mpmath.mpf)
            and abs(t) > _LARGEST_EXPONENT and s != 0):
        return s ** t
    if s < 0 and t != mpmath.floor(t):
        return mpmath.nan  # a negative number to a fractional power: not real
    log_size = t * mpmath.log(abs(s))
    if log_size > _LARGEST_LOG:
        _overflowed.hit = True
        size = mpmath.inf
    elif log_size < -_LARGEST_LOG:
        size = mpmath.mpf(0)
    else:
        size = mpmath.exp(log_size)
    return -size if s < 0 and t != 2 * mpmath.floor(t / 2) else size


def _check_defined(expr, n, start: int, shown, budget: _Budget, count: int = 12) -> None:
    """The term must be a real number at start, start+1, ... (checked for ``count`` values)."""
    import mpmath
    import sympy

    f = _numeric(expr, n)

    def probe(k):
        _overflowed.hit = False
        with mpmath.workdps(20):
            return f(mpmath.mpf(k))

    def later(k: int) -> str:
        """``start=j``: the first j after k from which the next ``count`` terms are real."""
        def fine(j):
            try:
                with _deadline(budget.share()):
                    v = probe(j)
            except (_OutOfTime, Exception):  # noqa: BLE001 — out of time: no suggestion
                return False
            return not isinstance(v, mpmath.mpc) and mpmath.isfinite(v)

        j = k + 1
        while j < k + 200:
            bad = next((i for i in range(j, j + count) if not fine(i)), None)
            if bad is None:
                return f"start={j}"
            j = bad + 1
        return f"a start after {k}"

    for k in range(start, start + count):
        try:
            with _deadline(budget.share()):
                value = probe(k)
        except _OutOfTime:
            return
        except OverflowError:
            raise SeriesError(f"the term {shown} is too large to evaluate at {n} = {k} (it "
                              "overflows even in arbitrary precision)") from None
        except (ZeroDivisionError, ValueError):
            value = None
        except Exception:  # noqa: BLE001
            value = None
        if value is None or (isinstance(value, mpmath.mpc) and value.imag != 0):
            exact = budget.run(lambda k=k: expr.subs(n, k))
            if exact is not None and exact.is_extended_real and exact.is_finite:
                continue
            what = "not a real number" if isinstance(value, mpmath.mpc) else "undefined"
            raise SeriesError(f"the term {shown} is {what} at {n} = {k}: start the sum "
                              f"later ({later(k)}) or change the term")
        if not mpmath.isfinite(value) and getattr(_overflowed, "hit", False):
            if mpmath.isinf(value):
                continue  # a finite number beyond what can be written down: defined, huge
            raise SeriesError(f"the term {shown} is too large to evaluate at {n} = {k} (its "
                              "parts overflow even in arbitrary precision)")
        if not mpmath.isfinite(value):
            raise SeriesError(f"the term {shown} is undefined at {n} = {k}: start the sum "
                              f"later ({later(k)}) or change the term")
    if expr.is_rational_function(n):
        den = sympy.fraction(sympy.together(expr))[1]
        poly = budget.run(lambda: sympy.Poly(den, n))
        if poly is not None and poly.degree() <= 12:
            roots = budget.run(poly.ground_roots) or {}
            bad = sorted(int(r) for r in roots if r.is_integer and r >= start)
            if bad:
                raise SeriesError(f"the term {shown} is undefined at {n} = {bad[0]} (a zero of "
                                  f"its denominator): start the sum after it")


# --- the verdict ------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """The outcome of :func:`convergence`.

    Attributes
    ----------
    converges : bool or None
        ``True``/``False``, or ``None`` when no test decided (the steps say why).
    test : str
        The test that decided ("p-series", "ratio test", "limit comparison with 1/n**2",
        ...), or "undecided".
    absolute : bool or None
        Whether :math:`\\sum |a_n|` converges (equal to ``converges`` for terms of one sign).
    steps : tuple of str
        The reasoning, one line per step.
    term : sympy.Expr
        The term :math:`a_n`.
    start : int
        The first index.
    value : sympy.Expr or None
        The exact sum when a test finds it (geometric, telescoping), else ``None``.
    """

    converges: bool | None
    test: str
    absolute: bool | None
    steps: tuple[str, ...]
    term: object = None
    start: int = 1
    value: object = None
    index: str = field(default="n", repr=False)

    def __str__(self) -> str:
        head = {True: "converges", False: "diverges", None: "undecided"}[self.converges]
        if self.converges and self.absolute is False:
            head = "converges conditionally (not absolutely)"
        test = "no test decided" if self.converges is None else self.test
        first = f"Σ_{{{self.index}≥{self.start}}} {self.term}: {head} — {test}"
        if self.value is not None:
            first += f"; sum = {self.value}"
        return "\n".join([first, *(f"  {i}. {s}" for i, s in enumerate(self.steps, 1))])

    def _repr_markdown_(self) -> str:
        lines = str(self).split("\n")
        return "**" + lines[0] + "**\n\n" + "\n".join(
            f"{i}. {line.split('. ', 1)[1]}" for i, line in enumerate(lines[1:], 1))


class _Decided(Exception):
    def __init__(self, verdict):
        self.verdict = verdict


def _fmt(expr) -> str:
    return str(expr)


def _power_limit(expr, n):
    """The limit as n → ∞ of a product of powers built from n and positive numbers (a tower
    n^n^n^n^n, 1/n^(n^n), 2^n·n³), by the rules of limits of products and powers; None when
    those rules do not decide it (a limit 0·∞ or 1^∞, a negative base, anything else)."""
    import sympy

    if expr == n:
        return sympy.oo
    if expr.is_number:
        return expr if expr.is_positive and expr.is_finite else None
    if expr.is_Pow:
        base = _power_limit(expr.base, n)
        if base is None:
            return None
        exp = expr.exp
        if exp.is_number:
            if not (exp.is_real and exp.is_finite) or exp.is_zero:
                return None
            if base is sympy.oo:
                return sympy.oo if exp.is_positive else sympy.S.Zero
            return base**exp
        if exp.could_extract_minus_sign():  # b^(−e) = 1/b^e (b^e positive)
            inverse = _power_limit(expr.base ** (-exp), n)
            if inverse is None:
                return None
            return (sympy.S.Zero if inverse is sympy.oo else sympy.oo if inverse.is_zero
                    else 1 / inverse)
        power = _power_limit(exp, n)  # a positive exponent that depends on n
        if power is None or (power.is_zero and base is sympy.oo):  # (∞⁰)
            return None
        if power is sympy.oo:
            if base is sympy.oo or (base - 1).is_positive:
                return sympy.oo
            return sympy.S.Zero if (1 - base).is_positive else None
        return sympy.oo if base is sympy.oo else base**power
    if expr.is_Mul:
        limits = [_power_limit(f, n) for f in expr.args]
        if any(v is None for v in limits):
            return None
        if sympy.oo in limits and any(v.is_zero for v in limits):
            combined = sympy.powsimp(expr)  # n^T/n = n^(T − 1): one power, perhaps decided
            return None if combined == expr else _power_limit(combined, n)  # (else 0·∞)
        return sympy.Mul(*limits)
    if expr.is_Add:  # positive-valued terms and numbers of either sign
        limits = [term if term.is_number else _power_limit(term, n) for term in expr.args]
        if any(v is None or not (v.is_real or v is sympy.oo) for v in limits):
            return None
        total = sympy.oo if sympy.oo in limits else sympy.Add(*limits)
        return total if total is sympy.oo or total.is_positive else None
    return None


def _is_num(value) -> bool:
    """A finite or infinite real number (not nan, not an AccumBounds, not a Limit)."""
    import sympy

    return (value is not None and isinstance(value, sympy.Expr) and value.is_number
            and not value.has(sympy.nan, sympy.zoo, sympy.AccumBounds, sympy.Limit)
            and value.is_extended_real is True)


def _sign_of(value) -> int:
    import sympy

    if value in (sympy.oo, -sympy.oo):
        return 1 if value == sympy.oo else -1
    return 1 if value > 0 else (-1 if value < 0 else 0)


def _paren(p) -> str:
    if p.is_Float:
        return f"{float(p):g}"
    return str(p) if p.is_Integer else f"({p})"


def _power_name(name: str, p) -> str:
    return f"1/{name}" if p == 1 else f"1/{name}**{_paren(p)}"


def _nice_exponent(p: float):
    """A simple rational close to ``p`` (a comparison exponent), or None."""
    import sympy

    if not math.isfinite(p):
        return None
    frac = Fraction(p).limit_denominator(6)
    return sympy.Rational(frac.numerator, frac.denominator)


class _Analysis:
    """Runs the tests on one term; :meth:`run` returns the verdict."""

    def __init__(self, expr, n_name: str, start: int, budget: _Budget):
        import sympy

        self.sp = sympy
        self.n = sympy.Symbol(n_name, integer=True, positive=True)
        self.x = sympy.Symbol("t" if n_name == "x" else "x", positive=True)  # n as a real number
        self.term = expr.xreplace({sympy.Symbol(n_name): self.n})
        self.start = start
        self.budget = budget
        self.steps: list[str] = []
        self.name = n_name
        self.last_test = ""
        self.last_limit = None
        self.letter = "a"  # the terms the positive tests speak of: a_n, or b_n = |a_n| or a bound

    # helpers
    def limit(self, expr, fraction: float = 0.5):
        sp = self.sp
        quick = _power_limit(expr, self.n)
        if quick is not None:  # (a tower n^n^n^n^n: SymPy's gruntz took 1 s of the 1 s)
            return quick
        value = self.budget.run(lambda: sp.limit(expr, self.n, sp.oo), fraction=fraction)
        if value is None or value.has(sp.Limit):
            return self.limit_by_parity(expr)
        return value

    def limit_by_parity(self, expr):
        """With (−1)^n inside, the limit along even and along odd n, when they agree (two
        subsequences that cover every n and share a limit: that is the limit)."""
        sp, n = self.sp, self.n
        if not any(p.base == -1 and p.exp.has(n) for p in expr.atoms(sp.Pow)):
            return None
        k = sp.Symbol("k", integer=True, positive=True)
        limits = []
        for at in (2 * k, 2 * k - 1):
            along = self.budget.run(lambda at=at: sp.limit(sp.powsimp(expr.subs(n, at)), k,
                                                           sp.oo))
            if along is None or along.has(sp.Limit) or not _is_num(along):
                return None
            limits.append(along)
        return limits[0] if limits[0] == limits[1] else None

    def limit_x(self, expr):
        """The limit with the index read as a real variable (for derivatives, integrals)."""
        sp = self.sp
        e = expr.xreplace({self.n: self.x})
        value = self.budget.run(lambda: sp.limit(e, self.x, sp.oo))
        if value is None or value.has(sp.Limit):
            return None
        return value

    def decide(self, converges, test, absolute, value=None):
        raise _Decided((converges, test, absolute, value))

    def numeric_order(self, b) -> float | None:
        """An estimate of p in b_n ≈ C/n^p, from b at n = 10^6 and 2·10^6 (only to choose p)."""
        import mpmath

        f = _numeric(b, self.n)

        def est():
            with mpmath.workdps(30):
                v1, v2 = f(mpmath.mpf(10**6)), f(mpmath.mpf(2 * 10**6))
                if not (mpmath.isfinite(v1) and mpmath.isfinite(v2)) or v1 == 0 or v2 == 0:
                    return None
                if isinstance(v1, mpmath.mpc) or isinstance(v2, mpmath.mpc):
                    return None
                return float(-mpmath.log(abs(v2) / abs(v1)) / mpmath.log(2))

        return self.budget.run(est)

    # the tests
    def run(self):
        try:
            self._run()
        except _Decided as d:
            converges, test, absolute, value = d.verdict
            return Verdict(converges, test, absolute, tuple(self.steps), self.term,
                           self.start, value, self.name)
        if self.budget.ran_out:
            self.steps.append("the time limit was reached before a test decided "
                              "(pass a larger time_limit to try longer)")
        return Verdict(None, "undecided", None, tuple(self.steps), self.term, self.start,
                       None, self.name)

    def _run(self):
        sp, n, a = self.sp, self.n, self.term
        if not a.has(n):
            if a.is_finite is False or a.has(sp.zoo, sp.nan):
                raise SeriesError(f"the term is undefined for every whole {self.name} (it "
                                  f"simplifies to {a}, a division by 0), so the series has no "
                                  "terms to add")
            if a == 0:
                self.steps.append("every term is 0, so every partial sum is 0")
                self.decide(True, "every term is 0", True, sp.Integer(0))
            self.steps.append(f"the terms are the constant {a} ≠ 0, so they do not tend to 0")
            self.decide(False, "divergence test", False)
        sign, b = self.split_sign(a)
        self.divergence_test(a, b, sign)
        self.geometric(a)
        self.p_series(a)
        self.telescoping(a)
        if sign is not None:
            self.steps.append(f"the signs alternate: a_{self.name} = {sign}·b_{self.name} "
                              f"with b_{self.name} = {_fmt(b)}")
            absolute = self.absolutely(b)
            self.alternating_test(b, absolute)
            return
        self.sign_pattern(a)
        bounded = self.bounded_factors(a)
        if bounded is not None:
            self.comparison_bounded(a, *bounded)
            self.dirichlet(a, *bounded[:2])
        result = self.positive_tests(a)
        if result is not None:
            self.decide(result, self.last_test, result)  # one sign: absolute = plain
        self.integral_test(a)
        self.sympy_fallback(a)

    def sign_pattern(self, a):
        """a_n = (−1)^(g(n))·b_n with signs that do not simply alternate: test Σ|a_n| = Σ b_n."""
        sp, n, name = self.sp, self.n, self.name
        units = (-1, sp.I, -sp.I)  # SymPy writes (−1)^(n(n+1)/2) as I^(n(n+1)) for whole n
        signs = [f for f in sp.Mul.make_args(sp.powsimp(a))
                 if f.is_Pow and f.base in units and f.exp.has(n)]
        if len(signs) != 1:
            return
        b = sp.powsimp(a / signs[0])
        if any(p.base in units for p in b.atoms(sp.Pow)):
            return
        sign = signs[0]
        if sign.base != -1:  # show I^e as (−1)^(e/2)
            sign = sp.Pow(-1, sp.factor(sign.exp * (1 if sign.base == sp.I else 3) / 2),
                          evaluate=False)
        before = len(self.steps)
        self.steps.append(f"|{_fmt(sign)}| = 1, so |a_{name}| = b_{name} with b_{name} = "
                          f"{_fmt(b)}")
        self.absolutely(b)
        del self.steps[before:]

    def absolutely(self, b):
        """The positive-term tests on b = |a_n|: when Σ b converges, decide that Σ a_n
        converges absolutely; otherwise return their verdict (False or None)."""
        self.letter = "b"
        result = self.positive_tests(b, quiet_fail=True)
        self.letter = "a"
        if result is True:
            self.steps.append(f"so Σ|a_{self.name}| converges, and a series that converges "
                              "absolutely converges")
            self.decide(True, self.last_test + " (absolutely)", True)
        return result

    def split_sign(self, a):
        """``((-1)**n-like factor, rest)`` when ``a`` has an alternating factor, else (None, a)."""
        sp, n = self.sp, self.n
        # the factors as typed first: powsimp merges (−1)^n·(1 + 1/n)^n into (−1 − 1/n)^n
        for factor in (*sp.Mul.make_args(a), *sp.Mul.make_args(sp.powsimp(a))):
            if (factor.is_Pow and factor.base == -1 and factor.exp.has(n)
                    and factor.exp.is_polynomial(n) and sp.degree(factor.exp, n) == 1):
                coeff = sp.Poly(factor.exp, n).LC()
                if coeff.is_integer and coeff % 2 == 1:
                    return factor, sp.powsimp(a / factor)
        return None, a

    def divergence_test(self, a, b, sign):
        sp = self.sp
        # SymPy's limits of factorials are slow (n!/n^n: 0.5 s), and the ratio test decides
        # those series anyway: a short try only
        slow = b.has(sp.factorial, sp.gamma, sp.binomial, sp.RisingFactorial)
        L = self.limit(b, fraction=0.15 if slow else 0.5)
        if L is None:
            if sign is None:  # (−1)^n inside, not as a sign factor: even and odd n apart
                self.divergence_by_parity(a)
            return
        if L.has(sp.AccumBounds) or L is sp.nan:
            if self.confirms_no_limit(a):
                self.steps.append(f"the terms {_fmt(a)} keep oscillating without tending to 0 "
                                  f"(the limit of the terms is {L})")
                self.decide(False, "divergence test", False)
            return
        if _is_num(L) and L != 0:
            what = f"|a_{self.name}| → {L}" if sign is not None else f"a_{self.name} → {L}"
            self.steps.append(f"{what} ≠ 0 as {self.name} → ∞: the terms do not tend to 0")
            self.decide(False, "divergence test", False)
        if L == 0:
            self.steps.append(f"a_{self.name} → 0, so the divergence test says nothing; "
                              "another test must decide")

    def divergence_by_parity(self, a):
        """With (−1)^n inside (1/(2 + (−1)^n)^n): the terms along even and along odd n."""
        sp, n, name = self.sp, self.n, self.name
        if not any(p.base == -1 and p.exp.has(n) for p in a.atoms(sp.Pow)):
            return
        k = sp.Symbol("k", integer=True, positive=True)
        for parity, at in (("even", 2 * k), ("odd", 2 * k - 1)):
            along = self.budget.run(lambda at=at: sp.simplify(a.subs(n, at)))
            if along is None or (along.has(sp.Pow) and any(
                    p.base == -1 for p in along.atoms(sp.Pow))):
                continue
            L = self.budget.run(lambda along=along: sp.limit(along, k, sp.oo))
            if L is not None and _is_num(L) and L != 0 and not L.has(sp.AccumBounds):
                self.steps.append(f"along the {parity} {name} the terms are {_fmt(along)} "
                                  f"(with {name} = {at}), which tend to {L} ≠ 0: the terms "
                                  "do not tend to 0")
                self.decide(False, "divergence test", False)

    def confirms_no_limit(self, a) -> bool:
        """A numeric check that |a_n| does not become small (backs an AccumBounds limit)."""
        import mpmath

        f = _numeric(a, self.n)

        def biggest():
            with mpmath.workdps(20):
                return max(abs(f(mpmath.mpf(k))) for k in range(10**5, 10**5 + 60))

        value = self.budget.run(biggest)
        return value is not None and value > 1e-2

    def geometric(self, a):
        sp, n = self.sp, self.n
        powers = [p for p in a.atoms(sp.Pow, sp.exp) if p.has(n)]
        if not powers or any(p.is_Pow and p.base.has(n) for p in powers):
            return  # n only in exponents of constant bases: c·r^n
        if a.has(sp.log, sp.sin, sp.cos, sp.tan, sp.factorial, sp.gamma):
            return
        ratio = self.budget.run(lambda: sp.powsimp(
            sp.expand_power_exp(a.subs(n, n + 1)) / a, force=True))
        if ratio is None or ratio.has(n) or not ratio.is_number:
            return
        r = ratio
        self.steps.append(f"a_(n+1)/a_n = {r} for every n: a geometric series with ratio r = {r}")
        if r.is_real is not True:
            return
        if abs(r) < 1:
            first = a.subs(n, self.start)
            value = sp.nsimplify(sp.simplify(first / (1 - r))) if first.is_number else None
            self.steps.append(f"|r| < 1, so it converges, to a_{self.start}/(1 − r) = {value}")
            self.decide(True, "geometric series", True, value)
        self.steps.append("|r| ≥ 1, so the terms do not tend to 0: it diverges")
        self.decide(False, "geometric series", False)

    def p_series(self, a):
        sp, n = self.sp, self.n
        c, rest = a.as_independent(n, as_Add=False)
        if rest == n:
            exponent = sp.Integer(1)
        elif rest.is_Pow and rest.base == n and not rest.exp.has(n):
            exponent = rest.exp
        else:
            return
        p = -exponent
        if not p.is_real:
            return
        shown = f"{c}/{self.name}^{_paren(p)}"
        if p > 1:
            self.steps.append(f"a_{self.name} = {shown}: a p-series with p = {p} > 1, "
                              "which converges (integral test)")
            value = c * sp.zeta(p) if self.start == 1 else None
            self.decide(True, "p-series", True, value)
        self.steps.append(f"a_{self.name} = {shown}: a p-series with p = {p} ≤ 1, "
                          "which diverges (integral test)")
        self.decide(False, "p-series", False)

    def telescoping(self, a):
        """``a_n = A(n) − A(n+k)``: S_N = A(start)+…+A(start+k−1) − (A(N+1)+…+A(N+k))."""
        sp, n = self.sp, self.n
        forms = []
        if a.is_rational_function(n):
            forms.append(self.budget.run(lambda: sp.apart(a, n)))
        if a.has(sp.log):
            forms.append(self.budget.run(lambda: sp.expand_log(a, force=True)))
        for form in forms:
            if form is None or not form.is_Add:
                continue
            parts = form.args
            for k in range(1, 4):
                for i, A in enumerate(parts):
                    rest = sp.Add(*(p for j, p in enumerate(parts) if j != i))
                    if sp.simplify(rest + A.subs(n, n + k)) != 0:
                        continue
                    lim = self.limit(A)
                    if lim is None or not _is_num(lim):
                        continue
                    head = sum(A.subs(n, self.start + j) for j in range(k))
                    tail = "A(N+1)" if k == 1 else f"(A(N+1) + … + A(N+{k}))"
                    self.steps.append(f"a_{self.name} = A({self.name}) − A({self.name}+{k}) with "
                                      f"A({self.name}) = {A}: a telescoping sum, "
                                      f"S_N = {sp.simplify(head)} − {tail}")
                    if lim in (sp.oo, -sp.oo):
                        self.steps.append(f"A(N) → {lim}, so S_N has no finite limit")
                        self.decide(False, "telescoping", False)
                    value = sp.simplify(head - k * lim)
                    self.steps.append(f"A(N) → {lim}, so S_N → {value}")
                    positive = a.is_positive or (-a).is_positive
                    self.decide(True, "telescoping", True if positive else None, value)

    def positive_tests(self, b, quiet_fail: bool = False):
        """Tests for Σ|b_n|: True (converges), False (diverges) or None; sets last_test."""
        sp, n = self.sp, self.n
        factorials = b.has(sp.factorial, sp.gamma, sp.binomial, sp.RisingFactorial)
        powers = [p for p in b.atoms(sp.Pow) if p.exp.has(n)] + [
            e for e in b.atoms(sp.exp) if e.args[0].has(n)]
        if factorials:  # n!, (2n)!: ratios simplify, roots do not
            order = (self.ratio_test, self.raabe_test, self.root_test, self.limit_comparison)
        elif any((p.exp.is_polynomial(n) and sp.degree(p.exp, n) >= 2) or p.base.has(n)
                 for p in powers if p.is_Pow):  # (1 - 1/n)^(n^2), n^log(n): roots first
            order = (self.root_test, self.limit_comparison, self.ratio_test)
        elif powers:  # 2^n, e^(-n): the ratio test
            order = (self.ratio_test, self.root_test, self.limit_comparison)
        else:  # powers of n, logs, trig of 1/n: compare with 1/n^p (the ratio tends to 1)
            order = (self.limit_comparison,)
        for test in order:
            result = test(b)
            if result is not None:
                return result
        return None

    def ratio_test(self, b):
        sp, n = self.sp, self.n
        ratio = self.budget.run(lambda: sp.combsimp(sp.powsimp(b.subs(n, n + 1) / b)))
        if ratio is None:
            return None
        r = self.limit(ratio)
        if not _is_num(r):
            return None
        r = abs(r)
        name, t = self.name, self.letter
        if r < 1:
            self.steps.append(f"ratio test: |{t}_({name}+1)/{t}_{name}| → {r} < 1, so "
                              f"Σ|{t}_{name}| converges")
            self.last_test = "ratio test"
            return True
        if r > 1:
            self.steps.append(f"ratio test: |{t}_({name}+1)/{t}_{name}| → {r} > 1: the terms "
                              "grow, so the series diverges")
            self.last_test = "ratio test"
            return False
        self.steps.append("ratio test: the ratio tends to 1, which decides nothing")
        return None

    def raabe_test(self, b):
        """Raabe: n(1 − a_(n+1)/a_n) → L; L > 1 converges, L < 1 diverges (terms of one sign)."""
        sp, n, name = self.sp, self.n, self.name
        ratio = self.budget.run(lambda: sp.combsimp(sp.powsimp(b.subs(n, n + 1) / b)))
        if ratio is None:
            return None
        L = self.limit(n * (1 - ratio))
        if not _is_num(L) or L == 1:
            return None
        t = self.letter
        self.steps.append(f"Raabe's test (the ratio test's sharper form): "
                          f"{name}·(1 − {t}_({name}+1)/{t}_{name}) → {L} "
                          f"{'>' if L > 1 else '<'} 1")
        self.last_test = "Raabe's test"
        return bool(L > 1)

    def root_test(self, b):
        sp, n = self.sp, self.n
        r = self.limit(sp.Abs(b) ** (sp.Integer(1) / n))
        if not _is_num(r):
            return None
        name, t = self.name, self.letter
        if r < 1:
            self.steps.append(f"root test: |{t}_{name}|^(1/{name}) → {r} < 1, so Σ|{t}_{name}| "
                              "converges")
            self.last_test = "root test"
            return True
        if r > 1:
            self.steps.append(f"root test: |{t}_{name}|^(1/{name}) → {r} > 1: the series "
                              "diverges")
            self.last_test = "root test"
            return False
        self.steps.append("root test: the root tends to 1, which decides nothing")
        return None

    def limit_comparison(self, b):
        """Compare with 1/n^p (p chosen from the numbers, decided by a symbolic limit)."""
        sp, n, name = self.sp, self.n, self.name
        p_est = self.numeric_order(b)
        if p_est is None:
            return None
        if p_est > 3:  # faster than 1/n^3 (or than any power): compare with 1/n^2
            L = self.limit(b * n**2)
            if L == 0:
                t = self.letter
                self.steps.append(f"{t}_{name}·{name}^2 → 0, so |{t}_{name}| ≤ 1/{name}^2 for "
                                  f"large {name}; Σ1/{name}^2 converges (p-series)")
                self.last_test = f"comparison with 1/{name}**2"
                return True
            return None
        p = _nice_exponent(p_est)
        if p is None:
            return None
        candidates = [p]
        if abs(p_est - 1) < 0.35 and p != 1:  # log factors make p look a little off 1
            candidates.insert(0, sp.Integer(1))
        for p in candidates:
            result = self.compare_with_power(b, p)
            if result is not None:
                return result
            if p < 1 and self.last_limit == 0:
                # smaller than 1/n^p but maybe still larger than 1/n^p' for some p < p' < 1
                between = _nice_exponent((max(float(p), 0.0) + 1) / 2)
                result = self.compare_with_power(b, between)
                if result is not None:
                    return result
            if p > 1 and self.last_limit in (sp.oo, -sp.oo):
                # a little slower than 1/n^p (a log factor): compare with a power in between
                result = self.compare_with_power(b, (p + 1) / 2)
                if result is not None:
                    return result
        return None

    def compare_with_power(self, b, p):
        sp, n, name = self.sp, self.n, self.name
        L = self.last_limit = self.limit(b * n**p)
        compare = _power_name(name, p)
        t = self.letter
        times = f"{t}_{name}·{name}" + ("" if p == 1 else f"^{_paren(p)}")
        if _is_num(L) and L != 0 and L not in (sp.oo, -sp.oo):
            verdict = bool(p > 1)
            self.steps.append(
                f"limit comparison with {compare}: {times} → {L}, a finite number ≠ 0, "
                f"so Σ {t}_{name} and Σ {compare} behave alike (and the terms keep one sign)")
            self.steps.append(f"Σ {compare} {'converges' if verdict else 'diverges'} (p-series, "
                              f"p = {p} {'>' if verdict else '≤'} 1)")
            self.last_test = f"limit comparison with {compare}"
            return verdict
        if L is None or not _is_num(L):
            return None
        if p > 1 and L == 0:
            self.steps.append(f"{times} → 0, so |{t}_{name}| ≤ {compare} for large "
                              f"{name}; Σ {compare} converges (p-series, p = {p} > 1)")
            self.last_test = f"comparison with {compare}"
            return True
        if p <= 1 and L in (sp.oo, -sp.oo):
            self.steps.append(f"|{times}| → ∞, so |{t}_{name}| ≥ {compare} for large "
                              f"{name} (one sign); Σ {compare} diverges (p-series, p = {p} ≤ 1)")
            self.last_test = f"comparison with {compare}"
            return False
        if p == 1 and L == 0:
            return self.log_comparison(b)
        return None

    def log_comparison(self, b):
        """Compare with 1/(n·ln(n)^s), which converges iff s > 1 (integral test)."""
        sp, n, name = self.sp, self.n, self.name
        q = self.limit(sp.log(sp.Abs(b) * n) / sp.log(sp.log(n)))
        if q == -sp.oo:  # smaller than 1/n by more than any power of ln n: n^(1+δ)·b → 0?
            for delta in (sp.Rational(1, 10), sp.Rational(1, 100)):
                result = self.compare_with_power(b, 1 + delta)
                if result is not None:
                    return result
            return None
        if not _is_num(q) or q in (sp.oo, -sp.oo):
            return None
        s = -q
        compare = f"1/({name}*log({name}))" if s == 1 else f"1/({name}*log({name})**{_paren(s)})"
        L = self.limit(b * n * sp.log(n) ** s)
        if not _is_num(L):
            return None
        known = f"Σ {compare} {'converges' if s > 1 else 'diverges'} (integral test: s = {s} " \
                f"{'>' if s > 1 else '≤'} 1)"
        t = self.letter
        if L == 1 and sp.simplify(b * n * sp.log(n) ** s - 1) == 0:  # b is that series itself
            self.steps.append(f"integral test: {t}_{name} = f({name}) with f(x) = "
                              f"{compare.replace(name, 'x')}, positive and decreasing; "
                              f"∫ dx/(x·ln(x)^s) = " + ("ln(ln x)" if s == 1 else
                                                        "ln(x)^(1−s)/(1−s)")
                              + f" with s = {s}, which "
                              + ("stays finite as x → ∞" if s > 1 else "grows without bound"))
            self.last_test = "integral test"
            return bool(s > 1)
        if L != 0 and L not in (sp.oo, -sp.oo):
            self.steps.append(f"limit comparison with {compare}: {t}_{name}·{name}·log({name})^{s} "
                              f"→ {L} ≠ 0")
            self.steps.append(known)
            self.last_test = f"limit comparison with {compare}"
            return bool(s > 1)
        if s > 1 and L == 0:
            self.steps.append(f"{t}_{name}·{name}·log({name})^{s} → 0, so |{t}_{name}| ≤ {compare}")
            self.steps.append(known)
            self.last_test = f"comparison with {compare}"
            return True
        if s == 1 and L == 0:
            return self.bertrand(b)
        return None

    def bertrand(self, b):
        """b = c/(n·ln(n)·ln(ln(n))^s) exactly: converges iff s > 1 (the integral test with
        u = ln(ln x)). An exact form only: limits of nested logarithms are slow in SymPy."""
        sp, n, name, t = self.sp, self.n, self.name, self.letter
        loglog = sp.log(sp.log(n))
        rest = self.budget.run(lambda: sp.powsimp(sp.cancel(b * n * sp.log(n)), force=True))
        if rest is None:
            return None
        c, e = rest.as_coeff_exponent(loglog)
        if c.has(n) or not _is_num(e) or not (c > 0) is sp.true:
            return None
        s2 = -e
        compare = f"1/({name}*log({name})*log(log({name}))" + ("" if s2 == 1 else
                                                            f"**{_paren(s2)}") + ")"
        verdict = bool(s2 > 1)
        shown = compare if c == 1 else f"{c}·{compare}"
        self.steps.append(f"{t}_{name} = {shown}: with u = ln(ln x), the integral test "
                          f"gives ∫ du/u^{_paren(s2)}, which "
                          + ("stays finite" if verdict else "grows without bound")
                          + f" as x → ∞ (s = {s2} {'>' if verdict else '≤'} 1)")
        self.last_test = "integral test"
        return verdict

    def eventually_decreasing(self, b) -> bool:
        """b'(x) < 0 for large x, shown by lim b'(x)·w(x) < 0 for a growing weight w."""
        sp, x = self.sp, self.x
        bx = b.xreplace({self.n: x})
        d = self.budget.run(lambda: sp.diff(bx, x))
        if d is None:
            return False
        for w in (x**2, sp.exp(x), sp.exp(x**2)):
            L = self.budget.run(lambda w=w: sp.limit(d * w, x, sp.oo))
            if L is None or not _is_num(L):
                return False
            if L != 0:
                return _sign_of(L) < 0
        return False

    def alternating_test(self, b, absolute):
        _sp, name = self.sp, self.name
        L = self.limit(b)
        if L != 0:
            return
        if not self.eventually_decreasing(b):
            self.steps.append(f"b_{name} is not shown to decrease, so the alternating series "
                              "test does not apply")
            return
        self.steps.append(f"alternating series test: b_{name} → 0 and b_{name} decreases "
                          f"(its derivative is negative for large {name}), so the series "
                          "converges")
        if absolute is None:
            self.steps.append(f"whether Σ b_{name} converges was not decided, so the "
                              "convergence may or may not be absolute")
        self.decide(True, "alternating series test", absolute if absolute is False else None)

    def bounded_factors(self, a):
        """``(factor, rest, lo, hi)``: a = factor·rest with lo ≤ factor ≤ hi, where factor
        holds every sin/cos of an argument that grows (sin(n), 2 + cos(3n), sin(n)²)."""
        sp, n = self.sp, self.n
        oscillating = {}
        for f in a.atoms(sp.sin, sp.cos):
            if f.args[0].has(n):
                arg_limit = self.limit(f.args[0])
                if arg_limit in (sp.oo, -sp.oo):
                    oscillating[f] = sp.AccumBounds(-1, 1)
        if not oscillating:
            return None  # sin(1/n) and the like: not an oscillating factor
        parts = sp.Mul.make_args(a)
        factor = sp.Mul(*[f for f in parts if f.has(*oscillating)])
        rest = sp.powsimp(a / factor)
        if rest.has(*oscillating) or sp.sympify(factor.xreplace(dict.fromkeys(oscillating, sp.S.Zero))).has(n):
            return None  # the oscillation is mixed with n in another way
        bounds = factor.xreplace(oscillating)
        if not isinstance(bounds, sp.AccumBounds):
            return None
        lo, hi = bounds.min, bounds.max
        if not (_is_num(lo) and _is_num(hi)) or sp.oo in (abs(lo), abs(hi)):
            return None
        return factor, rest, lo, hi

    def comparison_bounded(self, a, factor, rest, lo, hi):
        sp, name = self.sp, self.name
        steps_before = len(self.steps)
        bound = sp.Max(abs(lo), abs(hi))
        self.letter = "b"
        result = self.positive_tests(rest)
        self.letter = "a"
        scaled = "" if bound == 1 else f"{bound}·"
        if result is True:
            self.steps.insert(steps_before, f"{lo} ≤ {factor} ≤ {hi}, so |a_{name}| ≤ "
                              f"{scaled}b_{name} with b_{name} = |{_fmt(rest)}|")
            self.steps.append(f"so Σ|a_{name}| converges by comparison, and the series "
                              "converges absolutely")
            self.decide(True, f"comparison ({self.last_test})", True)
        if result is False and lo > 0 and rest.is_positive:
            self.steps.insert(steps_before, f"{factor} ≥ {lo} > 0, so a_{name} ≥ {lo}·b_{name} "
                              f"with b_{name} = {_fmt(rest)} > 0")
            self.steps.append(f"so Σ a_{name} diverges by comparison")
            self.decide(False, f"comparison ({self.last_test})", False)
        del self.steps[steps_before:]

    def dirichlet(self, a, factor, rest):
        """Σ sin(αn+β)·b_n with b_n ↓ 0 and α not a multiple of 2π: bounded partial sums."""
        sp, n, name = self.sp, self.n, self.name
        if not isinstance(factor, (sp.sin, sp.cos)):
            return
        arg = factor.args[0]
        if not (arg.is_polynomial(n) and sp.degree(arg, n) == 1):
            return
        alpha = sp.Poly(arg, n).LC()
        if not alpha.is_real or (alpha / (2 * sp.pi)).is_integer is not False:
            return
        if self.limit(rest) != 0 or not self.eventually_decreasing(rest):
            return
        self.steps.append(f"Dirichlet's test: the partial sums of {factor} stay bounded "
                          f"({alpha} is not a multiple of 2π) and {rest} decreases to 0, "
                          "so the series converges")
        absolute = None
        p_est = self.numeric_order(rest)
        if p_est is not None and p_est <= 1:
            steps_before = len(self.steps)
            L = self.limit(rest * n)
            if _is_num(L) and L != 0:
                self.steps.append(f"it does not converge absolutely: |{factor}| ≥ {factor}² "
                                  f"and Σ {factor}²·{rest} diverges like Σ{rest}/2 "
                                  f"(limit comparison with 1/{name})")
                absolute = False
            else:
                del self.steps[steps_before:]
        self.decide(True, "Dirichlet test", absolute)

    def integral_test(self, a):
        sp, x, _name = self.sp, self.x, self.name
        if a.has(sp.factorial, sp.gamma, sp.sin, sp.cos) or not self.eventually_decreasing(a):
            return
        fx = a.xreplace({self.n: x})
        start = max(self.start, 2) + 1
        value = self.budget.run(lambda: sp.integrate(fx, (x, start, sp.oo)))
        if value is None or value.has(sp.Integral) or not _is_num(value):
            return
        self.steps.append(f"integral test: f(x) = {fx} is positive and decreasing for large x, "
                          f"and ∫_{start}^∞ f(x) dx = {value}")
        finite = value not in (sp.oo, -sp.oo)
        self.steps.append(f"the integral is {'finite' if finite else 'infinite'}, so the series "
                          f"{'converges' if finite else 'diverges'}")
        self.decide(finite, "integral test", finite)

    def sympy_fallback(self, a):
        sp, n = self.sp, self.n
        answer = self.budget.run(lambda: sp.Sum(a, (n, self.start, sp.oo)).is_convergent())
        if answer in (sp.true, sp.false, True, False):
            self.steps.append(f"no test here decided; SymPy's Sum.is_convergent says "
                              f"{'converges' if answer else 'diverges'}, which is not confirmed "
                              "(SymPy is wrong on some series), so no verdict is given")
        else:
            self.steps.append("no test here decided, and SymPy could not either")


def convergence(term, n: str = "n", start: int = 1, *, time_limit: float | None = 1.0) -> Verdict:
    """Does :math:`\\sum_{n=\\text{start}}^{\\infty} a_n` converge? A verdict with its reasons.

    Parameters
    ----------
    term : str or sympy.Expr
        The term :math:`a_n`, e.g. ``"1/n^2"``, ``"(-1)^n/n"``, ``"n!/n^n"``,
        ``"1 - cos(1/n)"``. Strings are read by the safe parser (``n!`` and
        ``factorial(n)`` allowed).
    n : str
        The name of the index.
    start : int
        The first index; the term must be defined from there on.
    time_limit : float or None
        CPU seconds for the whole verdict (``None``: no limit): the same work, so the same
        verdict, on an idle or a busy machine. Tests that run out of time are skipped, and
        the verdict may then be ``None``.

    Returns
    -------
    Verdict
        ``.converges`` (True/False/None), ``.test``, ``.absolute``, ``.steps``, ``.value``.

    Raises
    ------
    SeriesError (a ValueError)
        The term does not parse, depends on another variable, or is undefined or not real
        at some index from ``start`` on.
    TypeError
        ``start`` is not a whole number, or ``term`` is neither a string nor SymPy.

    Examples
    --------
    >>> convergence("1 - cos(1/n)").test
    'limit comparison with 1/n**2'
    """
    start = _check_start(start)
    if time_limit is not None and not (isinstance(time_limit, numbers.Real) and time_limit > 0):
        raise ValueError(f"time_limit must be a positive number of seconds or None, "
                         f"got {time_limit!r}")
    expr = parse_term(term, n)
    budget = _Budget(None if time_limit is None else float(time_limit))
    shown = repr(term) if isinstance(term, str) else str(expr)
    import sympy

    _check_defined(expr.xreplace({sympy.Symbol(str(n)): sympy.Symbol(str(n))}),
                   sympy.Symbol(str(n)), start, shown, budget)
    if expr.has(sympy.Float):  # 2.5 as 5/2: exact limits are faster and cannot round
        expr = expr.xreplace({f: sympy.Rational(str(f)) for f in expr.atoms(sympy.Float)})
    return _Analysis(expr, str(n), start, budget).run()


# --- power series -----------------------------------------------------------------------


def radius_of_convergence(coefficient, n: str = "n", *, power: int = 1,
                          time_limit: float | None = 2.0):
    """The radius of convergence R of :math:`\\sum_n c_n x^{\\text{power}\\cdot n}`.

    By the ratio test on the coefficients, :math:`R = \\lim |c_n / c_{n+1}|`, and where
    that limit does not exist by the root test, :math:`1/R = \\lim |c_n|^{1/n}`. With
    ``power = k`` (series in :math:`x^{kn}`, such as :math:`\\sum (-1)^n x^{2n}`) the
    radius is :math:`R^{1/k}`.

    Returns a SymPy number (``sympy.oo`` when the series converges for every x), or
    ``None`` when neither limit can be found within ``time_limit`` seconds.
    """
    import sympy

    c = parse_term(coefficient, n)
    if not isinstance(power, numbers.Integral) or isinstance(power, bool) or power < 1:
        raise ValueError(f"power must be a whole number ≥ 1, got {power!r}")
    k = sympy.Symbol(str(n), integer=True, positive=True)
    c = c.xreplace({sympy.Symbol(str(n)): k})
    if not c.has(k):
        if c == 0:
            raise SeriesError("every coefficient is 0: the series is 0 for every x")
        return sympy.Integer(1)
    budget = _Budget(time_limit)
    ratio = budget.run(lambda: sympy.combsimp(sympy.powsimp(c / c.subs(k, k + 1))))
    R = None
    if ratio is not None:
        R = budget.run(lambda: sympy.limit(sympy.Abs(ratio), k, sympy.oo))
    if not _is_num(R):
        root = budget.run(lambda: sympy.limit(sympy.Abs(c) ** (sympy.Integer(1) / k), k, sympy.oo))
        if not _is_num(root):
            return None
        R = sympy.oo if root == 0 else (sympy.Integer(0) if root == sympy.oo else 1 / root)
    R = abs(R)
    if power != 1 and R not in (0, sympy.oo):
        R = R ** sympy.Rational(1, power)
    return sympy.nsimplify(R) if R.is_Float else R


# --- Taylor polynomials -----------------------------------------------------------------


def _variables(x):
    import sympy

    if isinstance(x, (str, sympy.Symbol)):
        return (str(x),)
    if isinstance(x, (tuple, list)) and x and all(isinstance(v, (str, sympy.Symbol)) for v in x):
        return tuple(str(v) for v in x)
    raise TypeError(f"x must be a variable name such as 'x' or a tuple of names, got {x!r}")


def _parse_function(f, names):
    import sympy

    from calcml.parsing import ExpressionError, parse_expression

    if callable(f) and not isinstance(f, sympy.Basic):
        raise TypeError("f must be an expression (a string such as 'exp(x)' or SymPy), not a "
                        "Python function: a Taylor polynomial needs exact derivatives")
    try:
        expr = parse_expression(f, variables=names)
    except ExpressionError as exc:
        raise SeriesError(f"cannot read f = {f!r}: {exc}") from None
    others = sorted(s.name for s in expr.free_symbols if s.name not in names)
    if others:
        raise SeriesError(f"f = {f!r} depends on {', '.join(others)}, not only on "
                          f"{', '.join(names)}")
    return expr.xreplace({s: sympy.Symbol(s.name) for s in expr.free_symbols})


def _check_order(order) -> int:
    if isinstance(order, bool) or not isinstance(order, numbers.Integral) or order < 0:
        raise ValueError(f"order must be a whole number ≥ 0, got {order!r}")
    if order > 60:
        raise ValueError(f"order {order} is more than calcml computes (at most 60)")
    return int(order)


def taylor_polynomial(f, x="x", x0=0, order: int = 2, *, time_limit: float | None = 5.0):
    """The Taylor polynomial of ``f`` at ``x0`` of the given order (degree ≤ order).

    :math:`T_n(x) = \\sum_{k=0}^{n} f^{(k)}(x_0)(x - x_0)^k / k!`, computed with
    ``sympy.series``. With several variables (``x=("x", "y")``, ``x0=(0, 1)``) it is
    :math:`\\sum_{|\\alpha| \\le n}` of the mixed partial derivatives — for order 2,
    :math:`f(x_0) + \\nabla f(x_0)\\cdot d + \\tfrac12 d^\\top H(x_0) d` with
    :math:`d = x - x_0` (lesson 09's going-deeper section, lesson 08's Hessian),
    computed as the one-variable series of :math:`t \\mapsto f(x_0 + t\\,d)` at
    :math:`t = 1`.

    Raises :class:`SeriesError` when f does not parse or has no Taylor polynomial at
    ``x0`` (not differentiable there, e.g. ``log(x)`` at 0), or when SymPy runs past
    ``time_limit`` seconds.
    """
    import sympy

    names = _variables(x)
    order = _check_order(order)
    expr = _parse_function(f, names)
    points = x0 if isinstance(x0, (tuple, list, np.ndarray)) else (x0,)
    if len(points) != len(names):
        raise ValueError(f"x0 must give one value per variable ({len(names)}), got {x0!r}")
    try:
        points = [sympy.nsimplify(sympy.sympify(p)) if not isinstance(p, sympy.Basic) else p
                  for p in points]
    except (sympy.SympifyError, TypeError, ValueError):
        raise SeriesError(f"x0 must be a number (or one per variable), got {x0!r}") from None
    if any(not p.is_number or p.is_real is False for p in points):
        raise SeriesError(f"x0 must be real numbers, got {x0!r}")
    symbols = [sympy.Symbol(nm) for nm in names]
    t = sympy.Dummy("t")
    if len(symbols) == 1:  # one variable: the series in u = x − x0 at u = 0
        (s0,), (p0,) = symbols, points
        along = expr.subs(s0, p0 + t)
        back = {t: s0 - p0}
    else:  # f(x0 + t·(x − x0)) at t = 1
        along = expr.subs({s: p + t * (s - p) for s, p in zip(symbols, points, strict=True)},
                          simultaneous=True)
        back = {t: 1}

    def compute():
        return sympy.series(along, t, 0, order + 1).removeO()

    try:
        with _deadline(time_limit):
            poly = compute()
    except _OutOfTime:
        raise SeriesError(f"the Taylor polynomial of {f!r} took longer than {time_limit} s") \
            from None
    except (ValueError, TypeError, NotImplementedError, ZeroDivisionError) as exc:
        raise SeriesError(f"f = {f!r} has no Taylor polynomial at {x0!r}: {exc}") from None
    if poly.has(sympy.Order) or not poly.is_polynomial(t) or poly.has(
            sympy.zoo, sympy.nan, sympy.oo):
        raise SeriesError(f"f = {f!r} has no Taylor polynomial at {x0!r} (it is not "
                          "differentiable there)")
    result = sympy.expand(poly.subs(back))
    if result.has(sympy.zoo, sympy.nan) or (not expr.is_number and _undefined_at(expr, symbols,
                                                                                 points)):
        raise SeriesError(f"f = {f!r} is undefined at {x0!r}")
    return result


def _undefined_at(expr, symbols, points) -> bool:
    import sympy

    value = expr.subs(dict(zip(symbols, points, strict=True)))
    return value.has(sympy.zoo, sympy.nan) or value.is_finite is False


def remainder_bound(f, x0, order: int, interval, x="x", *, samples: int = 4001) -> float:
    """The Lagrange bound on the error of the Taylor polynomial of order ``order`` at ``x0``.

    For every x in ``interval``,
    :math:`|f(x) - T_n(x)| = |f^{(n+1)}(\\xi)|\\,|x - x_0|^{n+1}/(n+1)!` for some ξ between
    x0 and x, so :math:`|f(x) - T_n(x)| \\le M\\, r^{n+1}/(n+1)!` with r the largest
    distance from x0 to the interval's ends and M the largest :math:`|f^{(n+1)}|` on the
    interval and x0 together. M is found by sampling :math:`f^{(n+1)}` at ``samples``
    points and refining the best one with a bounded local maximiser (SciPy); this is not
    interval arithmetic, so M (and the bound) is as good as that search — exact when the
    maximum is at an end, as it is for exp, and to many digits for smooth functions.
    """
    import sympy

    (name,) = _variables(x)
    order = _check_order(order)
    expr = _parse_function(f, (name,))
    try:
        lo, hi = (float(v) for v in interval)
        x0 = float(x0)
    except (TypeError, ValueError):
        raise TypeError(f"interval must be two numbers (a, b) and x0 a number, got "
                        f"{interval!r} and {x0!r}") from None
    if not (math.isfinite(lo) and math.isfinite(hi) and math.isfinite(x0)) or lo >= hi:
        raise ValueError(f"interval must be finite with a < b, got {interval!r}")
    a, b = min(lo, x0), max(hi, x0)
    sym = sympy.Symbol(name)
    derivative = sympy.diff(expr, sym, order + 1)
    g = sympy.lambdify(sym, derivative, "numpy")
    xs = np.linspace(a, b, samples)
    with np.errstate(all="ignore"):
        values = np.abs(np.broadcast_to(np.asarray(g(xs), dtype=float), xs.shape))
    if not np.all(np.isfinite(values)):
        bad = xs[~np.isfinite(values)][0]
        raise SeriesError(f"f^({order + 1}) of {f!r} is not finite at x = {bad:g} in "
                          f"[{a:g}, {b:g}]: no Lagrange bound on this interval")
    i = int(np.argmax(values))
    M = float(values[i])
    if 0 < i < samples - 1:
        from scipy.optimize import minimize_scalar

        res = minimize_scalar(lambda t: -abs(float(g(t))), bounds=(xs[i - 1], xs[i + 1]),
                              method="bounded", options={"xatol": 1e-12})
        M = max(M, -float(res.fun))
    r = max(abs(lo - x0), abs(hi - x0))
    return M * r ** (order + 1) / math.factorial(order + 1)


# --- partial sums -----------------------------------------------------------------------


def partial_sums(term, n_max: int, start: int = 1, n: str = "n", *, method: str = "auto"):
    """The partial sums :math:`S_N = \\sum_{n=\\text{start}}^{N} a_n` for N = start … n_max.

    Returns a float64 NumPy array of length ``n_max - start + 1``. ``method``:

    * ``"exact"`` — every term an exact rational (SymPy ``Rational`` / Python
      ``Fraction``), summed exactly, each S_N rounded once at the end: correct to the
      last digit. Only for terms that are rational at whole n (rational functions,
      whole powers, factorials), and at most 2000 terms (the fractions grow long);
    * ``"kahan"`` — the terms in float64, summed with Neumaier's compensated summation
      (Kahan's improved form): the error stays a few units in the last place whatever N;
    * ``"naive"`` — ``np.cumsum`` of the float64 terms, left to right: its round-off grows
      with N (the lesson shows it stalling on the harmonic series in float32);
    * ``"auto"`` (default) — ``"exact"`` for at most 2000 rational terms, else
      ``"kahan"``.
    """
    import sympy

    start = _check_start(start)
    if isinstance(n_max, bool) or not isinstance(n_max, numbers.Integral):
        raise TypeError(f"n_max must be a whole number, got {n_max!r}")
    if n_max < start:
        raise ValueError(f"n_max ({n_max}) must be at least start ({start})")
    if n_max - start > 10**7:
        raise ValueError(f"n_max - start = {n_max - start} is more terms than partial_sums "
                         "computes (at most 10**7)")
    if method not in ("auto", "exact", "kahan", "naive"):
        raise ValueError(f"method must be 'auto', 'exact', 'kahan' or 'naive', got {method!r}")
    expr = parse_term(term, n)
    k = sympy.Symbol(str(n))
    count = int(n_max) - start + 1
    rational = _rational_terms(expr, k)
    if method == "exact" and (not rational or count > _EXACT_MAX):
        raise ValueError("method='exact' needs terms that are rational at whole n (no "
                         f"sin, log, sqrt...) and at most {_EXACT_MAX} of them")
    if method == "auto":
        method = "exact" if rational and count <= _EXACT_MAX else "kahan"
    if method == "exact":
        evaluate = _exact_evaluator(expr, k)
        total, out = Fraction(0), np.empty(count)
        for i in range(count):
            try:
                total += evaluate(start + i)
            except (ZeroDivisionError, ValueError):
                raise SeriesError(f"the term {term!r} is undefined at {n} = {start + i}") \
                    from None
            out[i] = float(total)
        return out
    terms = _float_terms(expr, k, start, count, term)
    if method == "naive":
        return np.cumsum(terms)
    out = np.empty(count)
    s = c = 0.0
    for i, t in enumerate(terms.tolist()):  # Neumaier: carry the lost low-order part in c
        big = s + t
        c += (s - big) + t if abs(s) >= abs(t) else (t - big) + s
        s = big
        out[i] = s + c
    return out


def _rational_terms(expr, k) -> bool:
    """Whether every term is an exact rational: +, ×, whole powers, factorials, rationals."""
    import sympy

    for node in sympy.preorder_traversal(expr):
        if isinstance(node, (sympy.Symbol, sympy.Rational, sympy.Add, sympy.Mul,
                             sympy.factorial)):
            continue
        if isinstance(node, sympy.Pow) and (node.exp.is_Integer or (
                node.exp.is_polynomial(k) and all(
                    c.is_Integer for c in sympy.Poly(node.exp, k).coeffs()))):
            continue
        return False
    return True


def _exact_evaluator(expr, k):
    """A function of a whole number returning the term as an exact :class:`Fraction`.

    Built from the expression tree (sums, products, whole powers, factorials, rational
    constants), much faster than one SymPy ``subs`` per term.
    """
    import sympy

    if expr == k:
        return Fraction
    if expr.is_Rational:
        value = Fraction(int(expr.p), int(expr.q))
        return lambda m: value
    parts = [_exact_evaluator(a, k) for a in expr.args]
    if expr.is_Add:
        return lambda m: sum((p(m) for p in parts), Fraction(0))
    if expr.is_Mul:
        def product(m):
            result = Fraction(1)
            for p in parts:
                result *= p(m)
            return result
        return product
    if expr.is_Pow:
        base, exponent = parts

        def power(m):
            e = exponent(m)
            if e.denominator != 1:
                raise ValueError("not a whole power")
            b = base(m)
            if b == 0 and e < 0:
                raise ZeroDivisionError
            return b ** int(e)
        return power
    if isinstance(expr, sympy.factorial):
        (arg,) = parts

        def fact(m):
            a = arg(m)
            if a.denominator != 1 or a < 0:
                raise ValueError("factorial of a non-whole number")
            return Fraction(math.factorial(int(a)))
        return fact
    raise ValueError(f"not a rational term: {expr}")


def _float_terms(expr, k, start, count, shown):
    import sympy
    from scipy.special import gamma

    f = sympy.lambdify(k, expr, [{"factorial": lambda a: gamma(a + 1)}, "numpy"])
    ks = np.arange(start, start + count, dtype=float)
    with np.errstate(all="ignore"):
        values = np.broadcast_to(np.asarray(f(ks), dtype=float), ks.shape).astype(float)
    bad = ~np.isfinite(values)
    if bad.any():
        raise SeriesError(f"the term {shown!r} is not a finite float64 at {k} = "
                          f"{int(ks[bad][0])}")
    return values


def harmonic_stall(dtype=np.float64) -> tuple[int, float]:
    """Where the naive running sum of 1/n in ``dtype`` stops growing: (N, H_N), estimated.

    Adding 1/N to a running sum S changes it only if 1/N is at least half the spacing of
    floating-point numbers near S (round to nearest). The spacing near S is
    :math:`2^{e - m}` with :math:`2^e \\le S < 2^{e+1}` and m the mantissa bits (52 for
    float64, 23 for float32). With the exact :math:`H_N \\approx \\ln N + \\gamma +
    1/(2N)` for S, the first N with :math:`1/N \\le 2^{e-m-1}` is returned with
    :math:`H_N`. The real running sum has gathered round-off on the way and is
    somewhat larger (lesson 09 runs the float32 case to see it), but stalls at this N.
    """
    info = np.finfo(dtype)
    mantissa = info.nmant
    gamma = 0.5772156649015329
    N = 1.0
    for _ in range(200):
        H = math.log(N) + gamma + 1 / (2 * N)
        e = math.floor(math.log2(H))
        N_new = 2.0 ** (mantissa + 1 - e)  # 1/N = half the spacing 2^(e - mantissa)
        if N_new == N:
            break
        N = N_new
    return int(N), math.log(N) + gamma + 1 / (2 * N)
