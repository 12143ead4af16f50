"""Integrals explained step by step, the way a teacher writes them (lesson 10, *Techniques*).

``integral_steps("x*exp(x)")`` finds an antiderivative and lists the steps that lead to
it, each naming its rule in a teacher's words:

>>> s = integral_steps("x*exp(x)")
>>> s.result
(x - 1)*exp(x)
>>> [step.rule for step in s.steps]
['parts', 'table', 'table']
>>> s.steps[0].title
'integration by parts with u = x, dv = exp(x) dx'

How it works. SymPy's ``manualintegrate`` integrates the way a person does and returns
its work as a tree of rules (:func:`sympy.integrals.manualintegrate.integral_steps`);
this module walks that tree and names each node (:data:`RULES`). Two things a teacher
does differently are done first:

* a **rational function** :math:`p(x)/q(x)` is split by polynomial division and
  **partial fractions** (SymPy's ``apart``), unless the numerator is a multiple of
  the denominator's derivative (then the substitution :math:`u = q(x)` is shorter).
  SymPy's own search would try substitutions first — ``1/(x(x+1))`` by
  :math:`u = 1/x` — and takes seconds on a few textbook integrands;
* a rational function of :math:`e^{kx}` (the sigmoid and its relatives) is turned
  into a rational function of :math:`u = e^{kx}` by that **substitution**, then split
  the same way.

Where SymPy offers alternatives (``AlternativeRule``), the one with the fewest steps
and the shortest answer is shown. The answer is simplified, logarithms of expressions
that can be negative get their absolute value (:math:`\\int dx/x = \\ln|x|`), and
constant terms are dropped (they belong to the constant of integration ``+ C``).

When the antiderivative is not **elementary** — :math:`e^{-x^2}` has none — the
explanation says so and names the special function it is written with (``erf``).
With ``bounds=(a, b)`` the definite integral follows by the fundamental theorem,
:math:`F(b) - F(a)`, with limits at an infinite bound or an endpoint where ``f`` is
unbounded (an improper integral); a divergent one says so.

Every call is **time-bounded** (``timeout``, 5 s of CPU time by default): SymPy's search
runs under a timer, and a search that does not finish in time is reported, never waited
for.
(The timer needs the main thread of a Unix process; elsewhere there is no bound.)
"""

from __future__ import annotations

import dataclasses
import itertools
import math
import time
from dataclasses import dataclass, field

import sympy as sp

from calcml._cpu_time import cpu_time_limit
from calcml.integrate.poles import Pole, poles

__all__ = ["INTEGRAL_TABLE", "RULES", "SPECIAL_FUNCTIONS", "IntegralSteps", "Step",
           "integral_steps", "table_markdown"]

_x, _n, _a = sp.Symbol("x", real=True), sp.Symbol("n", real=True), sp.Symbol("a", positive=True)

#: the table of integrals of lesson 10: (f, an antiderivative F, where it holds); the
#: tests differentiate every F back to f
INTEGRAL_TABLE: list[tuple[sp.Expr, sp.Expr, str]] = [
    (_x**_n, _x ** (_n + 1) / (_n + 1), "n ≠ −1 (x > 0 unless n is a whole number)"),
    (1 / _x, sp.log(sp.Abs(_x)), "x ≠ 0"),
    (sp.exp(_x), sp.exp(_x), ""),
    (_a**_x, _a**_x / sp.log(_a), "a > 0, a ≠ 1"),
    (sp.log(_x), _x * sp.log(_x) - _x, "x > 0 (by parts)"),
    (sp.sin(_x), -sp.cos(_x), ""),
    (sp.cos(_x), sp.sin(_x), ""),
    (1 / sp.cos(_x) ** 2, sp.tan(_x), "cos x ≠ 0"),
    (1 / (1 + _x**2), sp.atan(_x), ""),
    (1 / sp.sqrt(1 - _x**2), sp.asin(_x), "−1 < x < 1"),
    (sp.exp(-(_x**2)), sp.sqrt(sp.pi) / 2 * sp.erf(_x), "not elementary: the error function"),
]


def table_markdown() -> str:
    """The table of integrals as a Markdown table (lesson 10 shows it)."""
    rows = ["| $f(x)$ | $\\int f(x)\\,dx$ (+ C) | where |", "|---|---|---|"]
    for f, F, where in INTEGRAL_TABLE:
        rows.append(f"| ${sp.latex(f, ln_notation=True)}$ | ${sp.latex(F, ln_notation=True)}$ "
                    f"| {where} |")
    return "\n".join(rows)

#: every rule a step can name (the key of a step), with a statement in plain text
RULES: dict[str, str] = {
    "constant": "∫ c dx = c x",
    "power": "∫ x^n dx = x^(n+1)/(n+1)  (n ≠ −1)",
    "table": "a line of the table of integrals",
    "sum": "∫ (f + g) dx = ∫ f dx + ∫ g dx",
    "constant multiple": "∫ c f dx = c ∫ f dx",
    "substitution": "∫ f(u(x)) u'(x) dx = ∫ f(u) du",
    "parts": "∫ u dv = u v − ∫ v du",
    "cyclic parts": "by parts until the integral comes back, then solve for it",
    "partial fractions": "split p(x)/q(x) into simple fractions over the factors of q",
    "polynomial division": "p/q = quotient + remainder/q when deg p ≥ deg q",
    "trig identity": "rewrite with a trigonometric identity",
    "complete the square": "a x² + b x + c = a (x + b/(2a))² + (c − b²/(4a))",
    "trig substitution": "x = a sin θ (or a tan θ, a sec θ) for a square root of a quadratic",
    "rewrite": "rewrite the integrand in an equal form",
    "reduction formula": "∫ du/(u² + r²)^k in terms of ∫ du/(u² + r²)^(k−1), by parts",
    "expand": "multiply out a product or a power of a polynomial into a sum of terms",
    "special function": "no elementary antiderivative: a special function",
    "integrator": "SymPy's integrator (Risch, Meijer G): an answer without a hand method",
    "fundamental theorem": "∫_a^b f dx = F(b) − F(a) for an antiderivative F",
    "improper": "an infinite bound or an unbounded integrand: a limit of F",
    "unknown": "no antiderivative found",
    "cases": "a parameter decides the answer: the integral for each set of its values",
}

#: special functions an antiderivative may need, with the names a teacher gives them
SPECIAL_FUNCTIONS: dict[str, str] = {
    "erf": "the error function erf(x) = 2/√π ∫_0^x e^(−t²) dt",
    "erfi": "the imaginary error function erfi(x) = 2/√π ∫_0^x e^(t²) dt",
    "erfc": "the complementary error function erfc = 1 − erf",
    "fresnels": "the Fresnel integral S",
    "fresnelc": "the Fresnel integral C",
    "Si": "the sine integral Si(x) = ∫_0^x sin(t)/t dt",
    "Ci": "the cosine integral Ci",
    "Shi": "the hyperbolic sine integral Shi",
    "Chi": "the hyperbolic cosine integral Chi",
    "Ei": "the exponential integral Ei(x) = ∫_−∞^x e^t/t dt",
    "li": "the logarithmic integral li(x) = ∫_0^x dt/ln t",
    "polylog": "the polylogarithm Li_s (for s = 2 the dilogarithm)",
    "uppergamma": "the incomplete gamma function Γ(s, x)",
    "lowergamma": "the incomplete gamma function γ(s, x)",
    "expint": "the generalised exponential integral E_n",
    "elliptic_e": "the elliptic integral E",
    "elliptic_f": "the elliptic integral F",
    "LambertW": "the Lambert W function",
}

_TABLE_RULES = {  # SymPy's atomic rules that are one line of the table, as (f, F) in X
    "ExpRule": ("exp(X)", "exp(X)"),
    "ReciprocalRule": ("1/X", "ln|X|"),
    "ArctanRule": ("1/(1 + X^2)", "atan(X)"),
    "ArcsinRule": ("1/sqrt(1 - X^2)", "asin(X)"),
    "ArcsinhRule": ("1/sqrt(1 + X^2)", "asinh(X)"),
    "SinRule": ("sin(X)", "-cos(X)"),
    "CosRule": ("cos(X)", "sin(X)"),
    "SecTanRule": ("sec(X) tan(X)", "sec(X)"),
    "CscCotRule": ("csc(X) cot(X)", "-csc(X)"),
    "Sec2Rule": ("sec(X)^2", "tan(X)"),
    "Csc2Rule": ("csc(X)^2", "-cot(X)"),
    "SinhRule": ("sinh(X)", "cosh(X)"),
    "CoshRule": ("cosh(X)", "sinh(X)"),
    "ReciprocalSqrtQuadraticRule": ("1/sqrt(a + b X + c X^2)", "(a square root of a quadratic)"),
    "SqrtQuadraticRule": ("sqrt(a + b X + c X^2)", "(a square root of a quadratic)"),
    "SqrtQuadraticDenomRule": ("p(X)/sqrt(a + b X + c X^2)", "(a square root of a quadratic)"),
}


def _table_title(name: str, x) -> str:
    f, F = _TABLE_RULES[name]
    v = str(x)
    f, F = (t.replace("X", v) for t in (f, F))
    if F.startswith("("):
        return f"table: ∫ {f} d{v} {F}"
    return f"table: ∫ {f} d{v} = {F}"


_NAMES = ("u", "w", "v", "t", "s", "z")


def _fresh(*exprs):
    """A name for a new variable that none of ``exprs`` uses."""
    used = {s.name for e in exprs if isinstance(e, sp.Basic) for s in e.free_symbols}
    return sp.Symbol(next(n for n in _NAMES if n not in used))


def _atomic(rule) -> bool:
    from sympy.integrals import manualintegrate as mi

    if isinstance(rule, mi.ConstantTimesRule):
        rule = rule.substep
    return isinstance(rule, mi.AtomicRule)
_SPECIAL_RULES = {"ErfRule": "erf", "FresnelSRule": "fresnels", "FresnelCRule": "fresnelc",
                  "SiRule": "Si", "CiRule": "Ci", "ShiRule": "Shi", "ChiRule": "Chi",
                  "EiRule": "Ei", "LiRule": "li", "PolylogRule": "polylog",
                  "UpperGammaRule": "uppergamma", "EllipticERule": "elliptic_e",
                  "EllipticFRule": "elliptic_f"}

_U = sp.Symbol("u")


class _Timeout(BaseException):  # BaseException: SymPy's ``except Exception`` cannot swallow it
    """SymPy's search ran out of time."""


def _time_limit(seconds: float | None):
    """Raise :class:`_Timeout` in the block after ``seconds`` of this process's CPU time
    (see :func:`calcml._cpu_time.cpu_time_limit`): the same search, so the same answer,
    on an idle or a busy machine."""
    return cpu_time_limit(seconds, _Timeout)


class _Clock:
    def __init__(self, seconds: float | None) -> None:
        self.deadline = None if seconds is None else time.process_time() + seconds

    def left(self, share: float = 1.0) -> float | None:
        if self.deadline is None:
            return None
        return max(0.0, (self.deadline - time.process_time()) * share)


# --- the steps -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step: the rule (a key of :data:`RULES`), its title in a teacher's words, the
    integrand it acts on (in ``variable``) and that integrand's antiderivative.

    ``template`` and ``math`` hold the title with its formulas apart (``{u}`` in the
    template is ``math["u"]``), so that :attr:`title` prints them as text and
    :attr:`latex_title` as LaTeX.
    """

    rule: str
    template: str
    integrand: sp.Expr
    variable: sp.Symbol
    result: sp.Expr
    depth: int = 0
    math: tuple = ()

    @property
    def title(self) -> str:
        return self.template.format(**{k: _text(v) for k, v in self.math})

    @property
    def latex_title(self) -> str:
        import re

        # "d{x}" is one symbol in LaTeX: $dx$, not d$x$
        template = re.sub(r"(?<![\w{])d\{(\w+)\}", r"{d_\1}", self.template)
        values = {k: f"${sp.latex(v)}$" for k, v in self.math}
        values.update({f"d_{k}": f"$d{sp.latex(v)}$" for k, v in self.math})
        return template.format(**values)


def _text(expr) -> str:
    return sp.sstr(expr).replace("**", "^")


def _bound(value) -> str:
    """A bound as written after ∫_ or ^: in brackets unless it is one number or symbol
    (∫_0^(2*pi), not ∫_0^2*pi, which reads as (∫_0^2)·pi)."""
    text = _text(value)
    return text if value.is_Atom or (value.is_Number and value >= 0) else f"({text})"


def _dx(var) -> str:
    return f"d{var}"


def _shown(expr):
    """SymPy's dummy variables (``_u``) shown by their names (``u``)."""
    if not isinstance(expr, sp.Basic):
        return expr
    return expr.xreplace({d: sp.Symbol(d.name) for d in expr.atoms(sp.Dummy)})


@dataclass
class _Walk:
    steps: list = field(default_factory=list)
    specials: list = field(default_factory=list)
    unknown: list = field(default_factory=list)

    def add(self, rule, template, integrand, var, result, depth, **math):
        self.steps.append(Step(rule, template, _shown(integrand), _shown(var), _shown(result),
                               depth, tuple((k, _shown(sp.sympify(v))) for k, v in math.items())))


def _size(rule) -> tuple[int, int, int]:
    """How a teacher ranks alternatives: fail-free first, then fewer steps, then shorter."""
    walk = _Walk()
    _walk_rule(rule, walk, 0, count_only=True)
    try:
        ops = sp.count_ops(rule.eval())
    except Exception:  # noqa: BLE001 — an alternative SymPy cannot evaluate ranks last
        ops = 10**6
    return (len(walk.unknown), len(walk.steps), int(ops))


def _pretty_u(rule):
    """The substitution's dummy variable, shown as u (or the rule unchanged)."""
    return rule.u_var, rule.substep.xreplace({rule.u_var: _U}) if _U not in \
        rule.u_func.free_symbols else rule.substep


def _kind_of_rewrite(rule) -> tuple[str, str]:
    """Which rewrite a RewriteRule is: partial fractions, a trig identity, ..."""
    f, g, x = rule.integrand, rule.rewritten, rule.variable
    name = type(rule).__name__
    if name == "CompleteSquareRule":
        return "complete the square", "complete the square: {f} = {g}"
    if f.has(sp.sin, sp.cos, sp.tan, sp.sec, sp.csc, sp.cot):
        return "trig identity", "trigonometric identity: {f} = {g}"
    if f.is_polynomial(x) and g.is_Add:
        return "expand", "multiply out: {f} = {g}"
    if f.is_rational_function(x) and g.is_Add and len(g.args) > 1:
        try:
            if sp.apart(f, x) == g or sp.denom(sp.together(f)).as_poly(x).degree() > 1:
                return "partial fractions", "partial fractions: {f} = {g}"
        except (sp.PolynomialError, ValueError, AttributeError):
            pass
    return "rewrite", "rewrite: {f} = {g}"


def _walk_rule(rule, walk: _Walk, depth: int, count_only: bool = False) -> None:
    """Name a SymPy rule, then its sub-rules (one level deeper)."""
    from sympy.integrals import manualintegrate as mi

    name = type(rule).__name__
    f, x = rule.integrand, rule.variable
    if isinstance(rule, mi.URule) and rule.u_var in f.free_symbols:
        f = f.xreplace({rule.u_var: rule.u_func})  # SymPy may keep u in the integrand

    def result():
        return sp.S.Zero if count_only else rule.eval()

    def add(key, template, **math):
        walk.add(key, template, f, x, result(), depth, **math)

    if isinstance(rule, mi.AlternativeRule):
        best = min(rule.alternatives, key=_size)
        _walk_rule(best, walk, depth, count_only)
    elif isinstance(rule, mi.AddRule):
        add("sum", "sum rule: integrate term by term")
        for sub in rule.substeps:
            _walk_rule(sub, walk, depth + 1, count_only)
    elif isinstance(rule, mi.ConstantTimesRule):
        add("constant multiple", "constant multiple: take {c} out of the integral",
            c=rule.constant)
        first = len(walk.steps)
        _walk_rule(rule.substep, walk, depth + 1, count_only)
        if len(walk.steps) > first and not count_only:  # SymPy's substep may carry the
            step = walk.steps[first]  # integrand c·g instead of g: show g
            walk.steps[first] = dataclasses.replace(step, integrand=_shown(rule.other))
    elif isinstance(rule, mi.ConstantRule):
        add("constant", "constant: ∫ c d{x} = c·{x}", x=x)
    elif isinstance(rule, mi.PowerRule):
        if rule.base == x:
            add("power", "power rule: ∫ {x}^n d{x} = {x}^(n+1)/(n+1) with n = {n}", x=x,
                n=rule.exp)
        else:
            add("power", "power rule on the linear {b} (then divide by its slope), n = {n}",
                b=rule.base, n=rule.exp)
    elif isinstance(rule, mi.ExpRule) and rule.base != sp.E:
        add("table", "table: ∫ a^{x} d{x} = a^{x}/ln(a) with a = {a}", x=x, a=rule.base)
    elif name in _TABLE_RULES:
        add("table", _table_title(name, _shown(x)).replace("{", "{{").replace("}", "}}"))
    elif name in _SPECIAL_RULES:
        special = _SPECIAL_RULES[name]
        walk.specials.append(special)
        add("special function", "no elementary antiderivative: ∫ {f} d{x} is written with "
            + SPECIAL_FUNCTIONS[special].replace("{", "{{").replace("}", "}}"), f=f, x=x)
    elif isinstance(rule, mi.URule):
        du = sp.diff(rule.u_func, x)
        sub = rule.substep
        # by parts inside would read "u = u": then the new variable is t
        u = sp.Symbol("t") if _has_parts(sub) and "t" not in {s.name for s in f.free_symbols} \
            else _fresh(x, rule.u_func, f)
        if rule.u_func.is_polynomial(x) and sp.degree(rule.u_func, x) == 1 and _atomic(sub):
            # ∫ cos(2x) dx: a line of the table with 2x for x, divided by the slope 2
            add("table", "table, with {g} in place of {x} (divide by its slope {k})" if du != 1
                else "table, with {g} in place of {x}", g=rule.u_func, x=x, k=du)
            return
        add("substitution", "substitution {u} = {g}, d{u} = {du} d{x}" if du != 1 else
            "substitution {u} = {g}, d{u} = d{x}", u=u, g=rule.u_func, du=du, x=x)
        _walk_rule(_rename(sub, rule.u_var, u), walk, depth + 1, count_only)
    elif isinstance(rule, mi.PartsRule):
        v = sp.S.Zero if count_only or rule.v_step is None else rule.v_step.eval()
        du = sp.diff(rule.u, x)
        add("parts", "integration by parts with u = {u}, "
            + ("dv = d{x}" if rule.dv == 1 else "dv = {dv} d{x}") + ": "
            + ("du = d{x}" if du == 1 else "du = {du} d{x}") + ", v = {v}",
            u=rule.u, dv=rule.dv, x=x, du=du, v=v)
        if rule.v_step is not None and not _atomic(rule.v_step):
            _walk_rule(rule.v_step, walk, depth + 1, count_only)
        if rule.second_step is not None:
            _walk_rule(rule.second_step, walk, depth + 1, count_only)
    elif isinstance(rule, mi.CyclicPartsRule):
        add("cyclic parts", "integration by parts twice: the integral comes back (times "
            "{c}), so solve the equation for it", c=rule.coefficient)
        for sub in rule.parts_rules:
            v = sp.S.Zero if count_only else sub.v_step.eval()
            walk.add("parts", "by parts with u = {u}, dv = {dv} d{x}", sub.u * sub.dv, x,
                     sub.u * v - sp.Integral(v * sp.diff(sub.u, x), x), depth + 1,
                     u=sub.u, dv=sub.dv, x=x)
    elif isinstance(rule, mi.TrigSubstitutionRule):
        add("trig substitution", "trigonometric substitution {x} = {g}", x=x, g=rule.func)
        _walk_rule(rule.substep, walk, depth + 1, count_only)
    elif isinstance(rule, mi.RewriteRule):
        key, template = ("rewrite", "") if count_only else _kind_of_rewrite(rule)
        add(key, template, f=rule.integrand, g=rule.rewritten)
        _walk_rule(rule.substep, walk, depth + 1, count_only)
    elif isinstance(rule, mi.DontKnowRule):
        walk.unknown.append(f)
        add("unknown", "no rule found for ∫ {f} d{x}", f=f, x=x)
    elif isinstance(rule, mi.PiecewiseRule):
        add("rewrite", "piecewise: each piece on its own")
        for sub, _cond in rule.subfunctions:
            _walk_rule(sub, walk, depth + 1, count_only)
    else:  # a rule outside the course (Heaviside, orthogonal polynomials, ...)
        add("table", f"table ({name.removesuffix('Rule')}): " + "∫ {f} d{x}", f=f, x=x)


def _has_parts(rule) -> bool:
    """Whether a SymPy rule tree integrates by parts somewhere."""
    from sympy.integrals import manualintegrate as mi

    if isinstance(rule, (mi.PartsRule, mi.CyclicPartsRule)):
        return True
    if isinstance(rule, list):
        return any(_has_parts(r) for r in rule)
    if dataclasses.is_dataclass(rule):
        return any(_has_parts(getattr(rule, fl.name)) for fl in dataclasses.fields(rule)
                   if fl.name not in ("integrand", "variable"))
    return False


def _rename(rule, old, new):
    """A rule tree with the variable ``old`` renamed ``new`` (SymPy rules are dataclasses)."""

    def swap(value):
        if isinstance(value, sp.Basic):
            return value.xreplace({old: new})
        if dataclasses.is_dataclass(value):
            return dataclasses.replace(value, **{fl.name: swap(getattr(value, fl.name))
                                                 for fl in dataclasses.fields(value)})
        if isinstance(value, list):
            return [swap(v) for v in value]
        if isinstance(value, tuple):
            return tuple(swap(v) for v in value)
        return value

    return swap(rule)


# --- routes a teacher takes before SymPy's search ------------------------------------------


def _is_rational(f, x) -> bool:
    return f.is_rational_function(x) and not f.is_polynomial(x)


def _rational_route(f, x, walk: _Walk, depth: int, clock: _Clock):
    """Polynomial division and partial fractions; each simple fraction then by the table.

    Returns the antiderivative, or None when the teacher would not split (the numerator
    is c·q'(x): substitute u = q instead; or nothing to split).
    """
    num, den = sp.fraction(sp.cancel(sp.together(f)))
    if sp.Poly(den, x).degree() > 8:
        return None  # apart on a high degree: SymPy's search (under its timer) instead
    ratio = sp.cancel(num / sp.diff(den, x))
    if x not in ratio.free_symbols:
        return None  # u = denominator
    with _time_limit(clock.left(0.5)):
        parts = sp.apart(f, x)
    terms = sp.Add.make_args(parts)
    quotient = sp.Add(*[t for t in terms if t.is_polynomial(x)])
    if len(terms) == 1 and quotient == 0:
        return None  # already a simple fraction
    start = len(walk.steps)
    walk.add("partial fractions", "", f, x, sp.S.Zero, depth)
    total = sp.S.Zero
    for term in terms:
        total += _explain(term, x, walk, depth + 1, clock)
    deg_num = sp.Poly(num, x).degree()
    deg_den = sp.Poly(den, x).degree()
    rule = "partial fractions"
    if deg_num >= deg_den and len(terms) - (quotient != 0) <= 1:
        rule, title = "polynomial division", "polynomial division: {f} = {g}"
    elif deg_num >= deg_den:
        title = "polynomial division and partial fractions: {f} = {g}"
    else:
        title = "partial fractions: {f} = {g}"
    walk.steps[start] = Step(rule, title, f, x, total, depth, (("f", f), ("g", parts)))
    return total


def _simple_fraction(f, x, walk: _Walk, depth: int):
    """c·(a x + b)^k for a whole k < 0: the table, with a linear inner function."""
    c, rest = sp.factor(f).as_independent(x, as_Add=False)
    base, k = rest.as_base_exp()
    if not (k.is_Integer and k < 0 and base.is_polynomial(x) and sp.degree(base, x) == 1):
        return None
    a = sp.diff(base, x)
    if k == -1:
        result = c * sp.log(base) / a
        walk.add("table", "table: ∫ 1/u du = ln|u| with u = {g} (divide by its slope {a})"
                 if a != 1 else "table: ∫ 1/u du = ln|u| with u = {g}", f, x, result, depth,
                 g=base, a=a)
    else:
        result = c * base ** (k + 1) / ((k + 1) * a)
        walk.add("power", "power rule on the linear {g}, n = {n}" + (
            " (divide by its slope {a})" if a != 1 else ""), f, x, result, depth, g=base, n=k,
            a=a)
    return result


def _exp_route(f, x, walk: _Walk, depth: int, clock: _Clock):
    """A rational function of e^(kx): substitute u = e^(kx), then partial fractions."""
    exps = [e for e in f.atoms(sp.exp) if x in e.free_symbols]
    if not exps:
        return None
    slopes = []
    for e in exps:
        k = sp.cancel(e.args[0] / x)
        if x in k.free_symbols or not k.is_Rational:
            return None
        slopes.append(abs(k))
    k = sp.gcd_list(slopes) if len(slopes) > 1 else slopes[0]
    u = sp.Dummy("u", positive=True)
    g = f.xreplace({e: u ** sp.cancel(e.args[0] / (k * x)) for e in exps})
    if x in g.free_symbols or not _is_rational(g, u):
        return None
    g = sp.factor(sp.cancel(g / (k * u)))  # dx = du/(k u)
    shown = _fresh(f)
    g = g.xreplace({u: shown})
    uk = sp.exp(k * x)
    start = len(walk.steps)
    walk.add("substitution", "", f, x, sp.S.Zero, depth)
    inner = _explain(g, shown, walk, depth + 1, clock)
    total = inner.xreplace({shown: uk})
    math = (("u", shown), ("g", uk), ("du", k * shown), ("x", x), ("f", f), ("h", g))
    walk.steps[start] = Step("substitution", "substitution {u} = {g}, d{u} = {du} d{x}, so "
                             "∫ {f} d{x} = ∫ {h} d{u}", f, x, total, depth, math)
    return total


def _quadratic_route(f, x, walk: _Walk, depth: int, clock: _Clock):
    """(p x + q)/(a x² + b x + c) with no real roots: complete the square, then atan (and
    ln for the part of the numerator that is a multiple of the denominator's slope)."""
    num, den = sp.fraction(sp.cancel(f))
    pn, pd = sp.Poly(num, x), sp.Poly(den, x)
    if pd.degree() != 2 or pn.degree() > 1:
        return None
    lead = pd.LC()  # 3x² − 3x + 3 as 3·(x² − x + 1): no ln 3 in the answer
    num, den = sp.expand(num / lead), sp.expand(den / lead)
    pn, pd = sp.Poly(num, x), sp.Poly(den, x)
    a, b, c = pd.all_coeffs()
    if not (b**2 - 4 * a * c).is_negative:
        return None
    h, k = b / (2 * a), c - b**2 / (4 * a)  # a x² + b x + c = a (x + h)² + k
    p, q = (pn.all_coeffs() if pn.degree() == 1 else [0, pn.all_coeffs()[0]])
    alpha = p / (2 * a)  # p x + q = alpha (2 a x + b) + beta
    beta = q - alpha * b
    if b == 0 or beta == 0:
        return None  # no square to complete, or a plain u = denominator: SymPy's table
    r = sp.sqrt(k / a)
    u = _fresh(f)
    total = alpha * sp.log(den) + beta / (a * r) * sp.atan((x + h) / r)
    start = len(walk.steps)
    walk.add("complete the square", "", f, x, total, depth)
    if alpha != 0:
        walk.add("substitution", "the part {p}·({dd})/({d}) of the integrand, whose numerator "
                 "is {p} times the slope of the denominator: substitution {u} = {d}, so its "
                 "integral is {p}·ln({d})", alpha * sp.diff(den, x) / den, x,
                 alpha * sp.log(den), depth + 1, p=alpha, u=u, d=den, dd=sp.diff(den, x))
    if beta != 0:
        walk.add("substitution", "substitution {u} = {g}, d{u} = d{x}", beta / den, x,
                 total - alpha * sp.log(den), depth + 1, u=u, g=x + h, x=x)
        walk.add("table", "table: ∫ 1/({u}² + r²) d{u} = atan({u}/r)/r with r = {r} (times "
                 "{c})" if beta != 1 else "table: ∫ 1/({u}² + r²) d{u} = atan({u}/r)/r with "
                 "r = {r}", beta / (u**2 + r**2), u, beta * sp.atan(u / r) / r, depth + 2,
                 u=u, r=r, c=beta)
    walk.steps[start] = Step("complete the square", "complete the square: {d} = {s}", f, x,
                             total, depth, (("d", den), ("s", sp.UnevaluatedExpr(a) * (x + h)**2
                                                          + k if a != 1 else (x + h)**2 + k)))
    return total


def _quadratic_power_route(f, x, walk: _Walk, depth: int, clock: _Clock):
    """(p x + q)/(c·Q^j) with Q = x² + b x + d without real roots and j ≥ 2.

    The numerator is split as α·Q' + β: ∫ α Q'/Q^j is the substitution u = Q (a power),
    and ∫ β/Q^j, with Q = (x + h)² + r², is the reduction formula (integration by parts
    on ∫ du/(u² + r²)^(j−1)) down to the atan of the table. SymPy's own search tries
    trigonometric substitutions first and takes seconds on these.
    """
    num, den = sp.fraction(sp.cancel(f))
    coeff, factors = sp.factor_list(den, x)
    if len(factors) != 1 or sp.Poly(num, x).degree() > 1:
        return None
    Q, j = factors[0]
    pq = sp.Poly(Q, x)
    if j < 2 or pq.degree() != 2:
        return None
    lead = pq.LC()
    Q, coeff = sp.expand(Q / lead), coeff * lead**j
    _one, b, d = sp.Poly(Q, x).all_coeffs()
    if not (b**2 - 4 * d).is_negative:
        return None
    h = b / 2
    r2 = d - h**2  # Q = (x + h)² + r²
    p, q = sp.Poly(sp.expand(num / coeff), x).all_coeffs()[-2:] if sp.Poly(
        num, x).degree() == 1 else (sp.S.Zero, sp.expand(num / coeff))
    alpha, beta = p / 2, q - p / 2 * b  # p x + q = α (2x + b) + β
    u = _fresh(f)

    def reduction(k):
        """∫ du/(u² + r²)^k."""
        if k == 1:
            return sp.atan(u / sp.sqrt(r2)) / sp.sqrt(r2)
        return (u / (2 * (k - 1) * r2 * (u**2 + r2) ** (k - 1))
                + sp.Rational(2 * k - 3, 2 * (k - 1)) / r2 * reduction(k - 1))

    total_u = reduction(j)
    total = alpha * Q ** (1 - j) / (1 - j) + beta * total_u.subs(u, x + h)
    both = alpha != 0 and beta != 0
    if both:
        walk.add("rewrite", "split the numerator as α·(slope of {q}) + β: {f} = {g}", f, x,
                 total, depth, f=f, q=Q, g=sp.Add(alpha * sp.diff(Q, x) / Q**j, beta / Q**j,
                                                   evaluate=False))
    level = depth + 1 if both else depth
    if alpha != 0:
        dq = sp.diff(Q, x)
        walk.add("substitution", "substitution {u} = {q}, d{u} = ({dq}) d{x}: ∫ {g} d{u}"
                 if dq.is_Add else "substitution {u} = {q}, d{u} = {dq} d{x}: ∫ {g} d{u}",
                 alpha * dq / Q**j, x, alpha * Q ** (1 - j) / (1 - j), level, u=u, q=Q,
                 dq=dq, x=x, g=alpha / u**j)
    if beta != 0:
        times = "" if beta == 1 else " (times {c})"
        if h != 0:
            walk.add("complete the square", "complete the square: {q} = {s}, then the "
                     "substitution {u} = {g}, d{u} = d{x}" + times, beta / Q**j, x,
                     beta * total_u.subs(u, x + h), level, q=Q, s=(x + h) ** 2 + r2, u=u,
                     g=x + h, x=x, c=beta)
            level, times = level + 1, ""
        for k in range(j, 1, -1):
            walk.add("reduction formula", "reduction formula (by parts): ∫ d{u}/({u}² + r²)^k "
                     "= {u}/(2(k − 1) r² ({u}² + r²)^(k − 1)) + (2k − 3)/(2(k − 1) r²)·"
                     "∫ d{u}/({u}² + r²)^(k − 1) with k = {k}, r² = {r2}" + times,
                     (beta if times else 1) / (u**2 + r2) ** k, u,
                     (beta if times else 1) * reduction(k), level, u=u, k=k, r2=r2, c=beta)
            level, times = level + 1, ""
        walk.add("table", "table: ∫ 1/({u}² + r²) d{u} = atan({u}/r)/r with r = {r}",
                 1 / (u**2 + r2), u, reduction(1), level, u=u, r=sp.sqrt(r2))
    return total


def _trig_atoms(f, x):
    atoms = [t for t in f.atoms(sp.sin, sp.cos) if x in t.free_symbols]
    if not atoms or f.has(sp.tan, sp.cot, sp.sec, sp.csc, sp.exp, sp.log):
        return None
    names = {t: sp.Dummy() for t in atoms}
    if x in f.xreplace(names).free_symbols or not f.xreplace(names).is_polynomial(
            *names.values()):
        return None
    if not all(t.args[0].is_polynomial(x) and sp.degree(t.args[0], x) == 1 for t in atoms):
        return None
    return atoms


def _trig_route(f, x, walk: _Walk, depth: int, clock: _Clock):
    """Products and powers of sin and cos: an odd power gives a substitution (u = cos or
    sin), even powers and mixed frequencies a power-reduction / product-to-sum identity."""
    from sympy.simplify.fu import TR8

    atoms = _trig_atoms(f, x)
    if atoms is None or len(sp.Add.make_args(sp.expand(f))) > 6:
        return None
    args = {t.args[0] for t in atoms}
    if len(args) == 1 and (f.is_Mul or f.is_Pow):
        (g,) = args
        s_, c_ = sp.sin(g), sp.cos(g)
        coeff, rest = f.as_independent(x)
        m, n = rest.as_powers_dict().get(s_, 0), rest.as_powers_dict().get(c_, 0)
        if sp.expand(rest - s_**m * c_**n) == 0 and (m % 2 == 1 or n % 2 == 1) and m + n > 1:
            a = sp.diff(g, x)
            u = _fresh(f)
            if m % 2 == 1:  # keep one sin for du = -a sin(g) dx; sin² = 1 − cos²
                h = sp.expand(-coeff * (1 - u**2) ** ((m - 1) // 2) * u**n / a)
                back, name, ident = c_, "cos", "sin^2 = 1 - cos^2"
            else:
                h = sp.expand(coeff * (1 - u**2) ** ((n - 1) // 2) * u**m / a)
                back, name, ident = s_, "sin", "cos^2 = 1 - sin^2"
            start = len(walk.steps)
            walk.add("substitution", "", f, x, sp.S.Zero, depth)
            inner = _explain(h, u, walk, depth + 1, clock)
            total = inner.xreplace({u: back})
            walk.steps[start] = Step(
                "substitution", f"an odd power: keep one factor for d{{u}}, use {ident}, and "
                "substitute {u} = {b}, so ∫ {f} d{x} = ∫ {h} d{u}", f, x, total, depth,
                (("u", u), ("b", back), ("f", f), ("x", x), ("h", h)))
            del name
            return total
    g = sp.expand(f)
    for _ in range(6):
        with _time_limit(clock.left(0.3)):
            g2 = sp.expand(TR8(g))
        if g2 == g:
            break
        g = g2
    terms = sp.Add.make_args(g)
    if g == sp.expand(f):
        return None  # nothing to reduce: a line of the table (with a linear inner function)
    if not all(len([a for a in t.atoms(sp.sin, sp.cos) if x in a.free_symbols]) <= 1
               and not any(p.is_Pow and p.base.has(x) for p in sp.Mul.make_args(t))
               for t in terms):
        return None
    start = len(walk.steps)
    walk.add("trig identity", "", f, x, sp.S.Zero, depth)
    total = sp.S.Zero
    for term in terms:
        total += _explain(term, x, walk, depth + 1, clock)
    walk.steps[start] = Step("trig identity", "trigonometric identity (power reduction, "
                             "product to sum): {f} = {g}", f, x, total, depth,
                             (("f", f), ("g", g)))
    return total


_RECIPROCAL_TRIG = {sp.tan: lambda g: sp.sin(g) / sp.cos(g),
                    sp.cot: lambda g: sp.cos(g) / sp.sin(g),
                    sp.sec: lambda g: 1 / sp.cos(g), sp.csc: lambda g: 1 / sp.sin(g)}


def _sin_cos_of_one_angle(f, x):
    """(g, R, s, c) when f = R(sin g, cos g), a rational function R(s, c) of one angle
    g = a x + b with s or c in its denominator (tan, cot, sec, csc written with sin and
    cos); else None."""
    if f.has(sp.exp, sp.log) or f.is_rational_function(x):
        return None
    h = f.replace(lambda e: type(e) in _RECIPROCAL_TRIG, lambda e: _RECIPROCAL_TRIG[
        type(e)](e.args[0]))
    angles = {t.args[0] for t in h.atoms(sp.sin, sp.cos) if x in t.free_symbols}
    if len(angles) != 1:
        return None
    (g,) = angles
    if not (g.is_polynomial(x) and sp.degree(g, x) == 1):
        return None
    s_, c_ = sp.Dummy("s"), sp.Dummy("c")
    r = h.xreplace({sp.sin(g): s_, sp.cos(g): c_})
    if x in r.free_symbols or not r.is_rational_function(s_, c_):
        return None
    if sp.fraction(sp.cancel(sp.together(r)))[1].free_symbols.isdisjoint({s_, c_}):
        return None  # a polynomial in sin and cos: identities, not this substitution
    return g, r, s_, c_


def _tangent_substitution(f, x):
    """For a rational function of sin g and cos g: (t, g, a, h, back, title) with h(t)
    the integrand after the substitution t = back(x) (a = g'), or None."""
    found = _sin_cos_of_one_angle(f, x)
    if found is None:
        return None
    g, r, s_, c_ = found
    a = sp.diff(g, x)
    t = _fresh(f)
    if sp.cancel(r.xreplace({s_: -s_, c_: -c_}) - r) == 0:  # even in (sin, cos): t = tan g
        c2 = sp.Dummy("c2", positive=True)  # s = t c, c² = 1/(1 + t²): even powers of c only
        h = sp.cancel(r.xreplace({s_: t * c_})).xreplace({c_: sp.sqrt(c2)})
        h = sp.cancel(h.xreplace({c2: 1 / (1 + t**2)}) / (a * (1 + t**2)))
        back, k = sp.tan(g), 1 / a
        title = ("substitution {t} = tan({g}), as f is unchanged when sin({g}) and cos({g}) "
                 "both change sign: cos²({g}) = 1/(1 + {t}²), sin²({g}) = {t}²/(1 + {t}²), "
                 "sin({g})·cos({g}) = {t}/(1 + {t}²), and d{x} = ")
    else:
        h = sp.cancel(r.xreplace({s_: 2 * t / (1 + t**2), c_: (1 - t**2) / (1 + t**2)})
                      * 2 / (a * (1 + t**2)))
        back, k = sp.tan(g / 2), 2 / a
        title = ("substitution {t} = tan({half}), the half-angle (Weierstrass) substitution, "
                 "which turns any rational function of sin and cos into one of {t}: by the "
                 "double-angle formulas sin({g}) = 2{t}/(1 + {t}²) and cos({g}) = "
                 "(1 − {t}²)/(1 + {t}²), and d{x} = ")
    title += ("d{t}/(1 + {t}²)" if k == 1 else "{k} d{t}/(1 + {t}²)" if k.is_Integer
              else "({k}) d{t}/(1 + {t}²)")
    if not h.is_rational_function(t):  # (a root of c left over: not a rational integral)
        return None
    return t, g, k, h, back, title


def _tangent_route(f, x, walk: _Walk, depth: int, clock: _Clock):
    """A rational function of sin g and cos g: t = tan g when it is even in (sin, cos)
    together (then sin² = t²/(1 + t²), cos² = 1/(1 + t²)), else t = tan(g/2), the
    Weierstrass substitution (sin g = 2t/(1 + t²), cos g = (1 − t²)/(1 + t²)). Either way
    the integral of a rational function of t, by partial fractions. None when it does not
    apply, or the integral in t is not found."""
    try:
        with _time_limit(clock.left(0.3)):
            prepared = _tangent_substitution(f, x)
    except _Timeout:
        if clock.left() == 0:
            raise
        return None
    if prepared is None:
        return None
    t, g, k, h, back, title = prepared
    start, unknown = len(walk.steps), len(walk.unknown)
    walk.add("substitution", "", f, x, sp.S.Zero, depth)
    try:  # half of the time left: SymPy's own search and integrator get the rest
        with _time_limit(clock.left(0.5)):
            inner = _explain(h, t, walk, depth + 1, clock)
    except _Timeout:
        del walk.steps[start:], walk.unknown[unknown:]
        if clock.left() == 0:
            raise
        return None
    if len(walk.unknown) > unknown or inner.has(sp.Integral):
        # a rational function in t always has an elementary integral: where the course's
        # routes have no hand method for it ((t² + 1)/(t⁴ + 1)), SymPy's integrator
        del walk.steps[start + 1:], walk.unknown[unknown:]
        inner = _rational_integral(h, t, clock)
        if inner is None:
            del walk.steps[start:]
            return None
        walk.add("integrator", "the course's methods stop at this rational function of "
                 "{t}; SymPy's integrator for rational functions integrates it (every "
                 "rational function has an elementary antiderivative)", h, t, inner,
                 depth + 1, t=t)
    total = inner.xreplace({t: back}).replace(  # atan(tan u) = u up to a constant on each
        lambda e: isinstance(e, sp.atan) and isinstance(e.args[0], sp.tan),  # piece, and u
        lambda e: e.args[0].args[0])  # is continuous: the better antiderivative
    walk.steps[start] = Step("substitution", title + ", so ∫ {f} d{x} = ∫ {h} d{t}",
                             _shown(f), _shown(x), _shown(total), depth,
                             tuple((k, _shown(sp.sympify(v))) for k, v in (
                                 ("t", t), ("g", g), ("half", g / 2), ("k", k), ("f", f),
                                 ("x", x), ("h", h))))
    return total


def _rational_integral(h, t, clock: _Clock):
    """∫ h dt for a rational function h by SymPy's integrator, or None (time, failure)."""
    try:
        with _time_limit(clock.left(0.5)):
            H = sp.integrate(h, t)
    except _Timeout:
        if clock.left() == 0:
            raise
        return None
    except (NotImplementedError, ValueError, TypeError):
        return None
    return None if H.has(sp.Integral, sp.RootSum) else H


def _sympy_route(f, x, walk: _Walk, depth: int, clock: _Clock):
    from sympy.integrals import manualintegrate as mi

    # a rational function of sin and cos (1/(sin⁴x + cos⁴x)) can keep SymPy's search busy
    # for the whole time limit: at the top it gets 40 % of the time, then the tangent
    # substitution gets a turn (inside another search, an outer limit is in charge)
    # (the search resumes with the time left if the substitution finds nothing)
    shares = (0.4, 1.0) if depth == 0 and _sin_cos_of_one_angle(f, x) is not None else (1.0,)
    tried = False  # the tangent substitution, already
    for share in shares:
        try:
            with _time_limit(clock.left(share)):
                rule = mi.integral_steps(f, x)
            break
        except _Timeout:
            mi._integral_cache.clear()  # SymPy marks integrals in progress there
            if share == 1.0 or clock.left() == 0:
                raise
            result, tried = _tangent_route(f, x, walk, depth, clock), True
            if result is not None:
                return result
    before = len(walk.unknown)
    if rule.contains_dont_know() and not tried:  # no hand method: a substitution may have one
        result = _tangent_route(f, x, walk, depth, clock)
        if result is not None:
            return result
    _walk_rule(rule, walk, depth)
    with _time_limit(clock.left()):
        result = rule.eval()
    if len(walk.unknown) > before:
        return result  # holds unevaluated Integral(...) parts
    return result


def _explain(f, x, walk: _Walk, depth: int, clock: _Clock):
    """The antiderivative of f, its steps appended to ``walk``."""
    if _is_rational(f, x):
        result = _simple_fraction(f, x, walk, depth)
        if result is None:
            result = _rational_route(f, x, walk, depth, clock)
        if result is None:
            result = _quadratic_route(f, x, walk, depth, clock)
        if result is None:
            result = _quadratic_power_route(f, x, walk, depth, clock)
        if result is not None:
            return result
    elif f.has(sp.sin, sp.cos) and not f.is_Add:
        mark = len(walk.steps)
        try:
            result = _trig_route(f, x, walk, depth, clock)
        except (sp.PolynomialError, ValueError, TypeError):
            del walk.steps[mark:]
            result = None
        if result is not None:
            return result
    elif f.has(sp.exp) and not f.is_polynomial(x):
        mark = len(walk.steps)
        try:
            result = _exp_route(f, x, walk, depth, clock)
        except (sp.PolynomialError, ValueError):
            del walk.steps[mark:]
            result = None
        if result is not None:
            return result
    return _sympy_route(f, x, walk, depth, clock)


# --- tidying the answer --------------------------------------------------------------------


def _abs_logs(expr, x, integrand):
    """log(u) → log(|u|) where u can be negative for a real x: ∫ du/u = ln|u|.

    Not for a logarithm the integrand has itself (∫ ln x dx = x ln x − x: there x > 0).
    """
    given = {node.args[0] for node in integrand.atoms(sp.log)}

    def positive(arg) -> bool:
        if arg.is_positive:
            return True
        if arg.is_polynomial(x):  # no real root and a positive leading coefficient
            try:  # (SymPy counts roots over the rationals, not over EX: x − sqrt(2))
                poly = sp.Poly(arg, x)
                return poly.count_roots() == 0 and bool(poly.LC() > 0)
            except (sp.PolynomialError, sp.polys.polyerrors.DomainError, TypeError):
                return False
        return False

    def fix(node):
        arg = node.args[0]
        if x in arg.free_symbols and not positive(arg) and arg.is_real is not False \
                and not isinstance(arg, sp.Abs) and arg not in given:
            return sp.log(sp.Abs(arg))
        return node
    return expr.replace(lambda n: isinstance(n, sp.log), fix)


def _drop_constants(expr, x):
    if expr.is_Add:
        kept = [t for t in expr.args if x in t.free_symbols]
        return sp.Add(*kept) if kept else sp.S.Zero
    return expr


def _tidy(expr, x, integrand, clock: _Clock):
    """The shortest of a few equal forms; constants dropped, |.| in logarithms."""
    expr = _drop_constants(sp.expand_log(expr, force=False) if expr.has(sp.log) else expr, x)
    candidates = [expr]

    def size(e):
        return (sp.count_ops(e), len(str(e)))

    if sp.count_ops(expr) <= 60:
        for method in (sp.factor, _expand_then_factor_terms, sp.simplify):
            if method is sp.simplify and size(min(candidates, key=size))[0] <= 6:
                break  # already short: simplify costs more than it could save
            try:
                with _time_limit(clock.left(0.5)):
                    candidates.append(_drop_constants(method(expr), x))
            except (_Timeout, RecursionError, sp.PolynomialError, ValueError, TypeError):
                break
    best = min(candidates, key=size)
    return _abs_logs(best, x, integrand)


def _expand_then_factor_terms(expr):
    return sp.factor_terms(sp.expand(expr))


# --- definite integrals -------------------------------------------------------------------


def _read_bound(value, name: str):
    from calcml.parsing import parse_expression

    if isinstance(value, bool):
        raise TypeError(f"{name} must be a number or ±oo, got {value!r}")
    if isinstance(value, str):
        text = value.strip().replace("∞", "oo").replace("−", "-")
        if text.lstrip("+-") in {"oo", "inf", "infinity"}:
            return sp.oo if not text.startswith("-") else -sp.oo
        try:
            value = parse_expression(text, variables=())
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{name} must be a number or ±oo, got {value!r} ({exc})") from None
    elif isinstance(value, (int, float)):
        if math.isnan(value):
            raise ValueError(f"{name} is NaN; a number or ±oo is expected")
        value = sp.oo if value == math.inf else -sp.oo if value == -math.inf else sp.nsimplify(
            value, rational=True) if isinstance(value, float) else sp.Integer(value)
    elif not isinstance(value, sp.Basic):
        raise TypeError(f"{name} must be a number or ±oo, got {type(value).__name__} {value!r}")
    value = sp.sympify(value)
    if value in (sp.oo, -sp.oo):
        return value
    if not (value.is_number and value.is_real is not False) or value.free_symbols:
        raise ValueError(f"{name} must be a real number or ±oo, got {value}")
    if value.is_real is not True and not value.evalf().is_real:
        raise ValueError(f"{name} must be a real number or ±oo, got {value}")
    return value


class _Points(list):
    """The points :func:`_singular_points` found; ``complete`` is False when there may be
    others it could not find (the root of x = cos x, or SymPy ran out of time)."""

    complete = True


def _singular_points(f, x, a, b, clock: _Clock) -> _Points:
    """Points inside (a, b) where f is not continuous (where it is known)."""
    from sympy.calculus.util import continuous_domain

    unknown = _Points()
    unknown.complete = False
    try:
        with _time_limit(clock.left(0.3)):
            domain = continuous_domain(f, x, sp.Interval.open(a, b))
    except (_Timeout, RecursionError, NotImplementedError, ValueError, TypeError):
        return unknown
    gaps = sp.Complement(sp.Interval.open(a, b), domain)
    if gaps is sp.S.EmptySet:
        return _Points()
    if isinstance(gaps, sp.FiniteSet):
        return _Points(sorted(gaps, key=float))
    return unknown


def _one_side(F, x, point, direction, clock: _Clock):
    with _time_limit(clock.left(0.5)):
        return sp.limit(F, x, point, direction)


# --- the result ----------------------------------------------------------------------------


class IntegralSteps:
    """What :func:`integral_steps` returns: ``.result``, ``.steps`` and what it says.

    Attributes
    ----------
    integrand, variable : sympy objects
    bounds : tuple or None
    antiderivative : sympy.Expr or None
        Simplified, without ``+ C``; None when none was found.
    result : sympy.Expr or None
        The antiderivative, or the value when bounds are given (``oo``/``-oo`` for a
        divergent integral, ``nan`` when no value exists).
    steps : tuple of Step
    elementary : bool
        False when the antiderivative needs a special function (``special_functions``)
        or none was found.
    special_functions : tuple of str
        Names of the special functions in the antiderivative (keys of
        :data:`SPECIAL_FUNCTIONS`).
    message : str
        What to tell the learner besides the steps (non-elementary, divergent, ...).
    """

    def __init__(self, integrand, variable, bounds, antiderivative, result, steps,
                 specials, message):
        self.integrand, self.variable, self.bounds = integrand, variable, bounds
        self.antiderivative, self.result = antiderivative, result
        self.steps = tuple(steps)
        self.special_functions = tuple(dict.fromkeys(specials))
        self.elementary = antiderivative is not None and not self.special_functions
        self.message = message

    def rules(self) -> list[str]:
        """The rules used, in order of first use."""
        return list(dict.fromkeys(step.rule for step in self.steps))

    def _header(self) -> str:
        x = self.variable
        if self.bounds is None:
            return f"∫ {_text(self.integrand)} d{x}"
        a, b = self.bounds
        return f"∫_{_bound(a)}^{_bound(b)} {_text(self.integrand)} d{x}"

    def __str__(self) -> str:
        lines = [f"{self._header()}:"]
        for i, step in enumerate(self.steps, 1):
            pad = "   " * step.depth
            lines.append(f"{pad}{i}. {step.title}")
            if step.rule not in ("fundamental theorem", "improper", "unknown"):
                lines.append(f"{pad}   ∫ {_text(step.integrand)} d{step.variable} = "
                             f"{_text(step.result)}")
        if self.message:
            lines.append(self.message)
        if self.bounds is None:
            answer = "not found" if self.antiderivative is None else \
                f"{_text(self.antiderivative)} + C"
        else:
            answer = _text(self.result)
        lines.append(f"Answer: {self._header()} = {answer}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        return f"IntegralSteps({self._header()} = {self.result}, rules={self.rules()})"

    def _repr_markdown_(self) -> str:
        x = sp.latex(self.variable)

        def integral(f, var=x):
            return rf"\int {sp.latex(f)}\,d{var}"

        lines = []
        for i, step in enumerate(self.steps, 1):
            pad = "   " * step.depth
            title = step.latex_title
            body = ""
            if step.rule not in ("fundamental theorem", "improper", "unknown"):
                body = (f": ${integral(step.integrand, sp.latex(step.variable))} = "
                        f"{sp.latex(step.result)}$")
            lines.append(f"{pad}{i}. **{step.rule}** — {title}{body}")
        if self.message:
            lines.append(f"\n{self.message}")
        if self.bounds is None:
            head = integral(self.integrand)
            answer = r"\text{not found}" if self.antiderivative is None else \
                f"{sp.latex(self.antiderivative)} + C"
        else:
            a, b = self.bounds
            head = rf"\int_{{{sp.latex(a)}}}^{{{sp.latex(b)}}} {sp.latex(self.integrand)}\,d{x}"
            answer = sp.latex(self.result)
        lines.append(f"\n**Answer:** ${head} = {answer}$")
        return "\n".join(lines)


def _parse(expr, var):
    from calcml.parsing import parse_expression
    from calcml.symbolic import _check_var_name

    name = var.name if isinstance(var, sp.Symbol) else _check_var_name(var)
    if isinstance(expr, bool) or not isinstance(expr, (str, int, float, sp.Expr)):
        raise TypeError(f"expected an expression (a string or a SymPy expression), got "
                        f"{type(expr).__name__} {str(expr)[:60]!r}")
    parsed = parse_expression(expr, variables=(name,)) if not isinstance(expr, sp.Expr) \
        else expr
    x = sp.Symbol(name, real=True)
    same = [s for s in parsed.free_symbols if isinstance(s, sp.Symbol) and s.name == name]
    parsed = parsed.xreplace(dict.fromkeys(same, x))
    return sp.sympify(parsed), x


def integral_steps(f, var="x", bounds=None, *, timeout: float | None = 5.0) -> IntegralSteps:
    """Integrate ``f`` by the techniques of a calculus course, showing each step.

    Parameters
    ----------
    f : str or sympy.Expr
        The integrand, e.g. ``"x*exp(x)"``, ``"1/(x*(x+1))"``, ``"e^(-x^2)"`` (read by
        :func:`calcml.parsing.parse_expression`, which executes nothing).
    var : str or sympy.Symbol
        The variable of integration (real).
    bounds : (a, b), optional
        Limits of a definite integral: numbers, SymPy numbers, or ``"oo"``/``"-oo"``
        (also ``±math.inf``, ``sympy.oo``). ``a > b`` gives ``-∫_b^a``.
    timeout : float or None
        CPU seconds allowed in all (None: no bound). Textbook integrals take well under
        a second (``benchmarks/bench_integrate.py``); counting CPU time, not wall-clock
        time, a lesson gives the same answer on a busy machine as on an idle one.

    Returns
    -------
    IntegralSteps
        ``.result`` (the antiderivative, or the value with bounds), ``.steps``,
        ``.elementary``, ``.special_functions``, ``.message``.

    Raises
    ------
    calcml.parsing.ExpressionError
        ``f`` is a string that is not an expression (a ``ValueError``).
    ValueError
        ``var`` is no variable name, or a bound is no real number or ±oo. (A search
        that runs out of time is no error: the result says so, ``.result`` is None.)
    TypeError
        ``f`` is not an expression, or ``bounds`` is not a pair.

    Examples
    --------
    >>> integral_steps("1/(x*(x+1))").steps[0].rule
    'partial fractions'
    >>> integral_steps("exp(-x^2)", bounds=("-oo", "oo")).result
    sqrt(pi)
    """
    f, x = _parse(f, var)
    if bounds is not None:
        if not (isinstance(bounds, (tuple, list)) and len(bounds) == 2):
            raise TypeError(f"bounds must be a pair (a, b), got {bounds!r}")
        a, b = (_read_bound(v, n) for v, n in zip(bounds, ("the lower bound a",
                                                          "the upper bound b"), strict=False))
        if a == b or (a.is_infinite and a == b):
            return IntegralSteps(f, x, (a, b), None, sp.S.Zero, [], [],
                                 "equal bounds: the integral is 0")
    clock = _Clock(timeout)
    walk = _Walk()
    try:
        raw = _explain(f, x, walk, 0, clock)
        found = not raw.has(sp.Integral)
        antiderivative = _tidy(raw, x, f, clock) if found else None
    except _Timeout:
        antiderivative, found = None, False
        walk.add("unknown", f"no antiderivative found within {timeout} s (SymPy's search "
                 "was stopped)", f, x, sp.S.Zero, 0)
        walk.timed_out = True
    specials = list(walk.specials)
    if antiderivative is not None:
        specials += [name for name in SPECIAL_FUNCTIONS
                     if any(type(fn).__name__ == name for fn in antiderivative.atoms(
                         sp.Function))]
    elif not getattr(walk, "timed_out", False):
        # a definite integral keeps half of what is left for its value (SymPy's search for
        # an antiderivative of sin(x)/(x(1 + x²)) spends 2 s failing; its definite
        # integration then finds π(1 − 1/e)/2 in 0.1 s)
        antiderivative = _special_fallback(f, x, clock, 1.0 if bounds is None else 0.5)
        if antiderivative is not None:
            specials += [name for name in SPECIAL_FUNCTIONS
                         if any(type(fn).__name__ == name
                                for fn in antiderivative.atoms(sp.Function))]
            if specials:
                title = ("no elementary antiderivative by the methods of the course; SymPy's "
                         "integrator writes it with "
                         + ", ".join(SPECIAL_FUNCTIONS[s] for s in dict.fromkeys(specials)))
            else:
                title = ("none of the course's methods applies here; SymPy's integrator "
                         "(the Risch algorithm) finds this antiderivative")
            walk.add("special function" if specials else "integrator",
                     title.replace("{", "{{").replace("}", "}}"), f, x, antiderivative, 0)
    message = ""
    if specials:
        message = (f"{_text(f)} has no elementary antiderivative: it is written with "
                   + "; ".join(SPECIAL_FUNCTIONS[s] for s in dict.fromkeys(specials)) + ".")
    elif antiderivative is None:
        message = f"No antiderivative of {_text(f)} was found."
    if bounds is None:
        if antiderivative is not None and not antiderivative.free_symbols - {x}:
            antiderivative, message = _checked(antiderivative, f, x, walk, message, clock)
        return IntegralSteps(f, x, None, antiderivative, antiderivative, walk.steps, specials,
                             message)
    if f.free_symbols - {x}:
        return _with_parameters(f, x, a, b, antiderivative, walk, specials, message, clock)
    return _definite(f, x, a, b, antiderivative, walk, specials, message, clock)


#: where an antiderivative with no bounds is checked: F′ = f wherever f is a real number
_CHECK_POINTS = tuple(sign * v for v in (0.37, 0.93, 1.61, 2.47, 3.9, 5.3, 8.7, 13.1, 21.4)
                      for sign in (1, -1))


def _where_wrong(F, f, x, clock: _Clock):
    """(a point, what is wrong there) where F′ ≠ f or F is undefined while f is a real
    number, among :data:`_CHECK_POINTS`, each confirmed with 30 digits; None when F′ = f
    at all of them (or when F′ takes more than a fifth of the time left)."""
    import warnings

    import numpy as np

    try:
        with _time_limit(clock.left(0.2)):
            dF = sp.diff(F, x)
            g = sp.lambdify(x, dF - f, "numpy")
            h = sp.lambdify(x, f, "numpy")
            points = np.array(_CHECK_POINTS)
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                d = np.broadcast_to(np.asarray(g(points), float), points.shape)
                v = np.broadcast_to(np.asarray(h(points), float), points.shape)
            for i in np.flatnonzero(np.isfinite(v) & ~(np.abs(d) <= 1e-6 * np.maximum(1, abs(v)))):
                p = sp.Rational(_CHECK_POINTS[i]).limit_denominator(100)
                exact_f = sp.N(f.subs(x, p), 30)
                if not (exact_f.is_real and exact_f.is_finite):
                    continue
                exact_d = sp.N(dF.subs(x, p), 30)
                if exact_d is sp.nan or not exact_d.is_finite:
                    return float(p), "F is not defined there, f is"
                off = exact_d - exact_f
                if abs(off) > 1e-12 * max(1, abs(exact_f)):
                    return float(p), f"F′ − f = {float(off):.4g}, not 0"
    except _Timeout:
        if clock.left() == 0:
            raise
    except (TypeError, ValueError, NotImplementedError, AttributeError, ZeroDivisionError):
        pass
    return None


def _checked(F, f, x, walk: _Walk, message, clock: _Clock):
    """An antiderivative checked: F′ = f wherever f is real (:func:`_where_wrong`). SymPy's
    formulas can hold on part of the line only (its F for |cos x| is −sin x for x ≤ 0; its
    trigonometric substitution x = sec θ gives acos(1/x) for −1 < x < 1, where f is not even
    real). A Piecewise F one of whose formulas holds everywhere gives that formula; otherwise
    no antiderivative is given, and the message says where F fails."""
    try:
        wrong = _where_wrong(F, f, x, clock)
    except _Timeout:
        return F, message
    if wrong is None:
        return F, message
    if isinstance(F, sp.Piecewise):
        for expr, _ in F.args:
            try:
                if _where_wrong(expr, f, x, clock) is None:
                    walk.add("rewrite", "the formula {F} alone, without the conditions SymPy "
                             "attached to it, is an antiderivative wherever f is real (F′ = f "
                             "checked at points from −21.4 to 21.4)", f, x, expr, 0, F=expr)
                    return expr, message
            except _Timeout:
                break
    point, what = wrong
    walk.add("unknown", "the F found is not an antiderivative of f everywhere: at {x} = {p}, "
             + what.replace("{", "{{").replace("}", "}}"), f, x, F, 0, x=x,
             p=sp.Float(point, 4))
    return None, (f"No antiderivative of {_text(f)} on the whole line was found: the formula "
                  f"{_text(F)} holds only on part of it (at {x} = {point:g}, {what}).")


def _with_parameters(f, x, a, b, F, walk: _Walk, specials, message, clock: _Clock):
    """∫_a^b f dx with parameters in f: case by case in one real parameter
    (:func:`calcml.integrate.cases.by_cases`), else as SymPy's formulas give it; then
    compared with quadrature at a few values of the parameters, and refused where they
    disagree (:func:`calcml.integrate.cases.spot_check`)."""
    from calcml.integrate import cases

    # a parameter of an integral over real x is a real number (a of 1/(x² + a²)): as
    # such SymPy knows that √(a²) = |a|, and its sign can be split on
    real = {q: sp.Symbol(q.name, real=True) for q in f.free_symbols - {x}
            if isinstance(q, sp.Symbol) and not q.is_real}
    f, F = f.xreplace(real), None if F is None else F.xreplace(real)
    params = sorted(f.free_symbols - {x}, key=str)
    names = ", ".join(map(str, params))
    r = None
    if len(params) == 1 and params[0].is_real:
        def value_of(g, G):
            return _definite(g, x, a, b, G, _Walk(), [], "", clock)

        def integral_of(g):
            return integral_steps(g, x, bounds=(a, b), timeout=clock.left(0.5))

        try:
            with _time_limit(clock.left()):
                found = cases.by_cases(f, x, a, b, F, params[0], value_of, integral_of)
        except (_Timeout, RecursionError, NotImplementedError, ValueError, TypeError, ZeroDivisionError):
            found = None
        if found is not None:
            value, table = found
            steps = list(walk.steps)
            if len(table) > 1:
                steps += [Step("cases", "case {c}: ∫_{a}^{b} f d{x} = {v}", f, x,
                               sp.S.Zero, 0, (("c", cond), ("a", a), ("b", b), ("x", x),
                                              ("v", v))) for cond, v in table]
            r = IntegralSteps(f, x, (a, b), F, value, steps, specials, (
                (message + " " if message else "") + f"The value depends on {names}."
                if len(table) > 1 else message).strip())
    if r is None:
        r = _definite(f, x, a, b, F, walk, specials, message, clock)
    undecided = (f"The value depends on {names}; it was not found as a formula in "
                 f"{names}, and with {names} unknown it cannot be computed numerically: "
                 f"give {names} a value (for example {params[0]} = 2) to get a number.")
    if r.result is None or (r.result is sp.nan and "diverges" not in r.message):
        return IntegralSteps(f, x, (a, b), F, None, r.steps, specials, undecided)
    if r.result is sp.nan or not r.result.free_symbols - {x}:
        return r
    try:
        with _time_limit(clock.left()):
            bad = cases.spot_check(f, x, a, b, r.result, params,
                                   lambda g: _quadrature(g, x, a, b, clock))
    except _Timeout:
        bad = None
    if bad is None:
        return r
    sample, there, q = bad
    at = ", ".join(f"{k} = {float(v):g}" for k, v in sample.items())
    return IntegralSteps(f, x, (a, b), F, None, r.steps, specials, (
        f"The value depends on {names}. The formula found, {_text(r.result)}, does not "
        f"hold for every {names}: at {at} it gives {_text(there)}, while the integral "
        f"there is {q:.10g} (numerically). So no formula is given; give {names} a value to "
        "get a number."))


def _quadrature(g, x, a, b, clock: _Clock):
    """(∫_a^b g dx by quad between g's singular points, converged) for a g with no
    parameter; (nan, False) when quad cannot run."""
    import warnings

    from calcml.integrate.quad import quad

    lo, hi, sign = (a, b, 1) if (a < b) is sp.true else (b, a, -1)
    try:
        cuts = _singular_points(g, x, lo, hi, clock)
        h = sp.lambdify(x, g, "numpy")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            edges = [float(lo), *(float(c) for c in cuts), float(hi)]
            r = _summed([quad(h, p, q) for p, q in itertools.pairwise(edges)])
    except (ValueError, TypeError, ZeroDivisionError, OverflowError):
        return math.nan, False
    return sign * r.value, r.converged and getattr(cuts, "complete", True)


def _special_fallback(f, x, clock: _Clock, share: float = 1.0):
    try:
        with _time_limit(clock.left(share)):
            F = sp.integrate(f, x)
    except (_Timeout, RecursionError, NotImplementedError, ValueError, TypeError):
        return None
    return None if F.has(sp.Integral) else _drop_constants(F, x)


def _definite(f, x, a, b, F, walk: _Walk, specials, message, clock: _Clock,
              depth_of_retry=False):
    sign = 1
    if (a > b) is sp.true:
        a, b, sign = b, a, -1
    steps = walk.steps
    where = _not_real_at(f, x, a, b)
    if where is not None:
        odd_root = any(p.exp.is_Rational and not p.exp.is_integer and p.exp.q % 2 == 1
                       for p in f.atoms(sp.Pow))
        raise ValueError(f"{_text(f)} is not a real number at {x} = {where:.4g}, inside "
                         f"[{_text(a)}, {_text(b)}], so it has no real integral there: "
                         "integrate over an interval where it is real"
                         + (" (a power such as x^(1/3) of a negative x is the complex "
                            "principal root here, not the real cube root)" if odd_root else ""))
    if a.is_infinite or b.is_infinite:  # a periodic f: F's limit is no guide (it jumps)
        periodic = _periodic_to_infinity(f, x, a, b, clock, sign)
        if periodic is not None:
            return _decided(f, x, a, b, sign, F, steps, specials, message, periodic)
    if F is None:
        return _numeric(f, x, a, b, sign, steps, specials, message, clock=clock)
    cuts = _singular_points(f, x, a, b, clock)
    if not cuts.complete and _poles_unfound(f, x, a, b, cuts, clock):
        # F(b) − F(a) would be taken across them: log|x − cos x| for (1 + sin x)/(x − cos x)
        steps.append(Step("unknown", "f is not continuous at points of [{a}, {b}] that no "
                          "formula gives (a zero of its denominator, found numerically, or "
                          "too many to list): the fundamental theorem does not hold across "
                          "them, so F({b}) − F({a}) is not the value, and the integral is "
                          "decided near them by the size of f instead", f, x, F, 0,
                          (("a", a), ("b", b))))
        return _numeric(f, x, a, b, sign, steps, specials, message, cuts, clock)
    if any(c.has(sp.CRootOf) for c in cuts):  # SymPy's limit at a CRootOf substitutes
        steps.append(Step("unknown", "f is not continuous at {p}, a root of a polynomial with "
                          "no formula in radicals: F's limits there are not to be trusted "
                          "(SymPy substitutes the root), so the integral is decided near it "
                          "by the size of f instead", f, x, F, 0,
                          (("p", next(c for c in cuts if c.has(sp.CRootOf))),)))
        return _numeric(f, x, a, b, sign, steps, specials, message, cuts, clock)
    # F may jump where f does not (atan(tan(x/2)) at x = π): the fundamental theorem holds
    # on each piece where F is continuous, with F's one-sided limits at the ends
    jumps = [p for p in _singular_points(F, x, a, b, clock) if p not in cuts]
    ends = [a, *sorted([*cuts, *jumps], key=float), b]
    wrong = _not_an_antiderivative(F, f, x, ends, clock)
    if wrong is not None:  # SymPy's F for sin(x)/x² has F′ = f − 2/x where x < 0
        steps.append(Step("unknown", "this F is not an antiderivative of f on all of "
                          "[{a}, {b}]: at {x} = {p}, F′ − f = {d}, not 0 (SymPy's formula "
                          "holds only on part of the line), so the value is found another "
                          "way", f, x, F, 0, (("a", a), ("b", b), ("x", x),
                                             ("p", sp.Float(wrong[0], 4)),
                                             ("d", sp.Float(wrong[1], 4)))))
        return _numeric(f, x, a, b, sign, steps, specials, message, cuts, clock)
    total = sp.S.Zero
    mark = len(steps)
    proper = True  # a bounded f on a finite interval: its integral has a finite value
    try:
        for lo, hi in itertools.pairwise(ends):
            improper_lo = lo.is_infinite or lo in cuts or _unbounded(f, x, lo, "+", clock)
            improper_hi = hi.is_infinite or hi in cuts or _unbounded(f, x, hi, "-", clock)
            proper = proper and not (improper_lo or improper_hi)
            F_hi, limit_hi = _end_value(F, x, hi, "-", improper_hi or hi in jumps, clock)
            F_lo, limit_lo = _end_value(F, x, lo, "+", improper_lo or lo in jumps, clock)
            math = (("a", lo), ("b", hi), ("Fa", F_lo), ("Fb", F_hi))
            if improper_lo or improper_hi:
                at = " and ".join("{" + k + "}" for k, flag in (("a", improper_lo),
                                                                 ("b", improper_hi)) if flag)
                steps.append(Step("improper", "improper integral on [{a}, {b}]: F is taken as a "
                                  f"limit at {at}: " + "F({b}) − F({a}) = {Fb} − ({Fa})",
                                  f, x, F, 0, math))
            elif limit_lo or limit_hi:
                at = " and ".join("{" + k + "}" for k, flag in (("a", limit_lo),
                                                                 ("b", limit_hi)) if flag)
                fb = "F({b}⁻)" if limit_hi else "F({b})"
                fa = "F({a}⁺)" if limit_lo else "F({a})"
                steps.append(Step("fundamental theorem", "fundamental theorem on [{a}, {b}], "
                                  f"where F is continuous: F jumps or is undefined at {at} "
                                  "(f is not), so F is taken as its one-sided limit there "
                                  "(F(c⁻) is the limit of F(x) as x → c from below, F(c⁺) "
                                  f"from above): {fb} − {fa} = " + "{Fb} − ({Fa})",
                                  f, x, F, 0, math))
            else:
                steps.append(Step("fundamental theorem", "fundamental theorem: F({b}) − F({a}) "
                                  "= {Fb} − ({Fa})", f, x, F, 0, math))
            # ∞ − (−∞) = ∞: each half of the piece diverges to +∞; ∞ − ∞ has no value (the
            # halves diverge to +∞ and −∞), and SymPy's arithmetic gives nan for it
            piece = F_hi - F_lo
            if piece.has(sp.AccumBounds) or piece.has(sp.nan):
                piece = sp.nan
            total += piece
    except (_Timeout, RecursionError, NotImplementedError, ValueError, TypeError):  # (a limit SymPy has no
        return _numeric(f, x, a, b, sign, steps, specials, message, cuts, clock)  # method for)
    if total.has(sp.Limit):  # a limit of F SymPy cannot take (tan(x/2) as x → ∞)
        del steps[mark:]
        other = None if depth_of_retry else _special_fallback(f, x, clock)
        if other is not None and other != F:  # SymPy's own F (Risch's, continuous) may
            steps.append(Step("integrator", "this F has no limit at an end of the interval "
                              "(it jumps again and again); SymPy's integrator gives another "
                              "antiderivative, continuous there, used for the value: {F}",
                              f, x, other, 0, (("F", other),)))
            lo, hi = (a, b) if sign == 1 else (b, a)
            return _definite(f, x, lo, hi, other, walk, specials, message, clock,
                             depth_of_retry=True)
        return _numeric(f, x, a, b, sign, steps, specials, message, cuts, clock)
    settled = _settled(total)
    if settled is None:  # oo·hyper(…, −oo), say: SymPy left F(b) − F(a) unevaluated
        steps.append(Step("unknown", "F({b}) − F({a}) = {v} is not a number SymPy can "
                          "evaluate, so the value is found another way", f, x, F, 0,
                          (("a", a), ("b", b), ("v", total))))
        return _numeric(f, x, a, b, sign, steps, specials, message, cuts, clock)
    total = settled
    value = total if total.has(sp.nan) or total.is_infinite else _simplest(total, clock)
    if proper and _disagrees(f, x, a, b, value):  # F jumps somewhere not seen: never say it
        steps.append(Step("unknown", "F(b) − F(a) disagrees with the numerical value of the "
                          "integral: F jumps at points of [{a}, {b}] that were not all found "
                          "(tan(x/2), say, is undefined at π, 3π, ...), so the fundamental "
                          "theorem does not apply as written, and the value below is "
                          "numerical", f, x, F, 0, (("a", a), ("b", b))))
        return _numeric(f, x, a, b, sign, steps, specials, message)
    if value is sp.nan or value.has(sp.nan) or (value.is_infinite and not value.is_extended_real):
        value = sp.nan
        message = (message + " " if message else "") + "The integral diverges: it has no value."
    elif value.is_infinite:
        message = (message + " " if message else "") + (
            f"The integral diverges (to {'+' if value * sign > 0 else '-'}∞).")
    value = sign * value if value is not sp.nan else value
    if sign == -1:
        message = (f"The lower bound is above the upper one: ∫_{_bound(b)}^{_bound(a)} = "
                   f"−∫_{_bound(a)}^{_bound(b)}. " + message)
    return IntegralSteps(f, x, (a, b) if sign == 1 else (b, a), F, value, steps, specials,
                         message.strip())


def _simplest(total, clock: _Clock | None = None):
    """A short exact form of a finite value: simplified, and floats turned into the
    rationals or radicals they stand for (never a guess at a closed form of Ei(−1))."""
    if sp.count_ops(total) >= 40:
        return total
    try:
        with _time_limit(clock.left(0.3) if clock is not None else None):
            short = sp.simplify(total)
            return sp.nsimplify(short) if short.has(sp.Float) else short
    except _Timeout:
        return total


def _settled(total):
    """F(b) − F(a) as ±∞, nan or a finite real number; None when it is none of those, as
    SymPy may leave it (oo·hyper(…, −oo), or oo − li(2), whose li(2) it does not know to
    be finite: that one is settled here as oo, the finite part evaluated numerically)."""
    if total is sp.nan or total.has(sp.nan) or total in (sp.oo, -sp.oo):
        return sp.nan if total.has(sp.nan) else total
    if total.free_symbols:  # a parameter (∫_0^1 a x dx = a/2): kept as SymPy gives it
        return total
    if total.is_Add and total.has(sp.oo, -sp.oo):
        infinite = [t for t in total.args if t in (sp.oo, -sp.oo)]
        rest = sp.Add(*[t for t in total.args if t not in (sp.oo, -sp.oo)])
        if infinite and not rest.has(sp.oo, -sp.oo, sp.zoo) and _finite_real(rest):
            return sp.Add(*infinite)  # oo, -oo, or nan for oo − oo
        return None
    if total.is_infinite:
        return total
    return total if _finite_real(total) else None


def _finite_real(expr) -> bool:
    """Whether ``expr`` evaluates to a finite real number (an imaginary part of rounding
    size, from I·π − I·π say, aside)."""
    try:  # (in SymPy's floats, whose exponents have no bound: e^1000 − 1 is finite)
        re, im = sp.N(expr, 20).as_real_imag()
        if not (re.is_Number and im.is_Number and re.is_finite and im.is_finite):
            return False
        return bool(abs(im) <= 1e-12 * sp.Max(1, abs(re)))
    except (TypeError, ValueError, NotImplementedError, ZeroDivisionError, OverflowError):
        return False


def _decade_edges(a: float, b: float) -> list[float]:
    """a, the points 0, ±1, ±10, ±100, ... strictly between a and b, and b (a < b finite)."""
    top = max(abs(a), abs(b))
    marks = {0.0}
    k = 0
    while 10.0**k < top and k < 400:
        marks.update((10.0**k, -(10.0**k)))
        k += 1
    return [a, *sorted(m for m in marks if a < m < b), b]


def _disagrees(f, x, a, b, value) -> bool:
    """Whether ``value``, F(b) − F(a) for a bounded f on a finite [a, b], is not its
    integral: no number, or off the value of calcml.integrate.quad by more than 1e-7
    relative and a thousand times quad's error estimate. (False when quad cannot tell.)"""
    import warnings

    from calcml.integrate.quad import quad

    if f.free_symbols - {x}:  # a parameter: compared at values of it (_with_parameters)
        return False
    try:
        g = sp.lambdify(x, f, "numpy")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # piece by piece between 0, ±1, ±10, ±100, ...: on one panel as long as
            # [0, 10⁶] every node of e^(−x) is ~0, and quad agrees with itself on 0
            r = _summed([quad(g, lo, hi) for lo, hi in itertools.pairwise(
                _decade_edges(float(a), float(b)))])
        exact = complex(value)
    except (ValueError, TypeError, ZeroDivisionError, OverflowError):
        return value.has(sp.nan)
    if not r.converged:
        return False
    if exact.imag != 0 or exact.real != exact.real:  # nan
        return True
    gap = abs(exact.real - r.value)
    return gap > 1e-7 * max(1.0, abs(r.value)) and gap > 1e3 * r.error


def _end_value(F, x, point, direction, limit, clock: _Clock):
    """F at an end of a piece, and whether it was taken as a one-sided limit: always where
    ``limit`` says so, and also where F has no finite value at the point itself (F holds
    tan(x/2) at x = π, say), though f is bounded there."""
    if not limit and not point.is_infinite:
        value = F.subs(x, point)
        if not (value.has(sp.AccumBounds, sp.nan, sp.zoo) or value.is_finite is False):
            return value, False
    return _one_side(F, x, point, direction, clock), True


def _not_real_at(f, x, a, b):
    """A point inside (a, b) where f is a complex number (sqrt(x) on [−1, 1]), or None."""
    import numpy as np

    t = np.linspace(0, 1, 403)[1:-1]
    lo, hi = float(a), float(b)
    if np.isfinite(lo) and np.isfinite(hi):
        xs = lo + (hi - lo) * t
    elif np.isfinite(lo):
        xs = lo + (1 - t) / t
    elif np.isfinite(hi):
        xs = hi - (1 - t) / t
    else:
        xs = (2 * t - 1) / (t * (1 - t))
    try:
        g = sp.lambdify(x, f, "numpy")
        with np.errstate(all="ignore"):
            values = np.broadcast_to(np.asarray(g(xs.astype(complex)), dtype=complex), xs.shape)
    except Exception:  # noqa: BLE001 — no numeric check possible: SymPy decides later
        return None
    finite = np.isfinite(values)
    complex_at = finite & (np.abs(values.imag) > 1e-12 * (1 + np.abs(values.real)))
    return float(xs[np.flatnonzero(complex_at)[0]]) if complex_at.any() else None


def _unbounded(f, x, point, direction, clock) -> bool:
    try:
        value = f.subs(x, point)
    except (TypeError, ValueError):
        return True
    return bool(value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or value.is_finite is False
                or (value.is_finite is None and not value.free_symbols))


def _divergence(f, x, a, b, cuts, clock: _Clock, sign=1):
    """Steps and a value (±∞, or nan for no value) when a comparison proves that ∫_a^b f
    diverges, else None. ``cuts`` are the points inside (a, b) where f is not continuous;
    ``sign`` is −1 for reversed bounds (the value and message are then of ∫_b^a = −∫_a^b).

    Near an end p of a piece (a cut, an end where f is unbounded) the test is the limit
    L of (x − p)·f(x), and near ±∞ that of x·f(x): a real L ≠ 0 (or ±∞) means |f| is at
    least a multiple of 1/|x − p| (of 1/|x|), whose integral diverges, to the infinity of
    f's sign there. Two such ends of opposite signs leave no value. One sign gives that
    infinity only if every other such end is shown integrable (|x − p|^(1/2)·f, or
    |x|^(3/2)·f at ±∞, has a finite limit); otherwise the value is nan, said to diverge."""
    ends = []  # (point, direction of approach, sign of x − p there (of x at ±∞))
    if a.is_infinite or _unbounded(f, x, a, "+", clock):
        ends.append((a, "+", -1 if a is sp.S.NegativeInfinity else 1))
    for c in cuts:
        ends += [(c, "-", -1), (c, "+", 1)]
    if b.is_infinite or _unbounded(f, x, b, "-", clock):
        ends.append((b, "-", 1 if b is sp.S.Infinity else -1))
    numeric = _numeric_poles(f, x, a, b, clock)
    complete = getattr(cuts, "complete", True)
    if not complete:  # zeros of a denominator SymPy cannot locate
        # all of them are located when poles() decided and nothing else in f can jump
        complete = numeric is not None and _only_denominators_jump(_sines_and_cosines(f), x)
    numeric = numeric or []
    if not getattr(cuts, "complete", True):
        for q in numeric:
            if not any(_same_point(q.point, c) for c in cuts):
                ends += [(q.point, "-", -1), (q.point, "+", 1)]
    found, integrable = [], 0
    for point, direction, side in ends:
        gap = x if point.is_infinite else x - point
        try:
            with _time_limit(clock.left(0.2)):
                if point.is_Float or point.has(sp.CRootOf):  # SymPy's limit at a CRootOf
                    raise ValueError  # substitutes: (x − p)/(x⁵ − x − 1) → 0, which is wrong
                L = sp.limit(gap * f, x, point, direction)
                if L.is_extended_real and L.is_zero is False:
                    found.append((point, direction, L, side * (1 if L > 0 else -1)))
                    continue
                power = sp.Rational(3, 2) if point.is_infinite else sp.Rational(1, 2)
                M = sp.limit(sp.Abs(gap) ** power * f, x, point, direction)
                if M.is_finite:
                    integrable += 1
                    continue
        except (_Timeout, RecursionError, NotImplementedError, ValueError, TypeError, ZeroDivisionError):
            pass
        q = next((q for q in numeric if _same_point(q.point, point)), None)
        if q is not None:  # a zero of the denominator of order ≥ 1: f ≈ C/(x − p)^k there
            found.append((point, direction, q, q.right if direction == "+" else q.left))
    if not found:
        return None
    signs = {s for *_, s in found}
    steps = []
    for point, direction, L, s in found:
        to = "+∞" if s > 0 else "−∞"
        if isinstance(L, Pole):
            steps.append(Step("improper", "divergence near {p}" + (
                "" if point.is_Float else " = {q}") + ", a zero of the denominator of f "
                "(located numerically, to 30 digits): there f ≈ {C}/({d})" + (
                    f"^{L.order}" if L.order > 1 else "") + ", whose integral diverges on "
                f"each side: the side {'below' if direction == '-' else 'above'} goes to "
                f"{to}", f, x, sp.S.Zero, 0,
                (("p", sp.Float(L.point, 12) if point.is_Float else point),
                 ("q", sp.Float(L.point, 12)), ("C", sp.Float(L.coefficient, 8)),
                 ("d", x - sp.Float(L.point, 12)))))
            continue
        if point.is_infinite:
            template = (f"divergence as {{x}} → {'∞' if point > 0 else '−∞'}: {{x}}·f({{x}}) → "
                        "{L}, so |f| is at least a multiple of 1/|{x}| there, whose integral "
                        f"to {'∞' if point > 0 else '−∞'} diverges: this end goes to {to}")
        else:
            template = (f"divergence near {{p}}: ({{d}})·f({{x}}) → {{L}} as {{x}} → "
                        f"{{p}}{'⁻' if direction == '-' else '⁺'}, so |f| is at least a "
                        "multiple of 1/|{d}| there, whose integral diverges: this side "
                        f"goes to {to}")
        steps.append(Step("improper", template, f, x, sp.S.Zero, 0,
                          (("x", x), ("p", point), ("L", L), ("d", x - point))))
    if len(signs) == 2:
        return steps, sp.nan, ("The integral diverges: it has no value (parts of it go to "
                               "+∞ and −∞).")
    s = signs.pop() * sign
    if not complete:  # a point f jumps at may be missing from cuts
        return steps, sp.nan, ("The integral diverges (one end goes to "
                               f"{'+' if s > 0 else '-'}∞; f may also be unbounded at points "
                               "inside the interval that were not found, so no value is "
                               "given).")
    if integrable == len(ends) - len(found):
        return steps, s * sp.oo, f"The integral diverges (to {'+' if s > 0 else '-'}∞)."
    return steps, sp.nan, ("The integral diverges (one end goes to "
                           f"{'+' if s > 0 else '-'}∞; whether another goes to "
                           f"{'-' if s > 0 else '+'}∞ was not settled, so no value is given).")


def _numeric_poles(f, x, a, b, clock: _Clock) -> list[Pole] | None:
    """:func:`calcml.integrate.poles.poles` of f inside (a, b) under a share of the time
    left; None when it does not decide."""
    try:
        with _time_limit(clock.left(0.2)):
            return poles(_sines_and_cosines(f), x, a, b)
    except _Timeout:
        return None


_CONTINUOUS = (sp.sin, sp.cos, sp.exp, sp.sinh, sp.cosh, sp.tanh, sp.atan, sp.Abs, sp.erf)


def _sines_and_cosines(f):
    """f with tan, cot, sec, csc written by sin and cos (their poles become zeros of a
    denominator)."""
    return f.replace(sp.tan, lambda u: sp.sin(u) / sp.cos(u)).replace(
        sp.cot, lambda u: sp.cos(u) / sp.sin(u)).replace(
        sp.sec, lambda u: 1 / sp.cos(u)).replace(sp.csc, lambda u: 1 / sp.sin(u))


def _only_denominators_jump(f, x) -> bool:
    """Whether f = N/D with N and D continuous on the whole line (sums, products and
    whole powers of x, numbers and sin, cos, exp, ...): f is then continuous except where
    D = 0, the points :func:`calcml.integrate.poles.poles` looks for."""
    N, D = sp.fraction(sp.together(f))

    def continuous(e) -> bool:
        if not e.has(x) or e == x:
            return True
        if isinstance(e, sp.Pow):
            return e.exp.is_Integer and e.exp >= 0 and continuous(e.base)
        if isinstance(e, (sp.Add, sp.Mul, *_CONTINUOUS)):
            return all(continuous(arg) for arg in e.args)
        return False

    return continuous(N) and continuous(D)


def _poles_unfound(f, x, a, b, cuts, clock: _Clock) -> bool:
    """Whether f may have poles inside (a, b) that are not among ``cuts``: some that
    :func:`calcml.integrate.poles.poles` locates and ``cuts`` lacks, or it cannot decide
    (a 0/0, more than it lists, out of time, or f jumps otherwise than where a
    denominator is 0). With a parameter in f: False (its cases are checked at values)."""
    if f.free_symbols - {x}:
        return False
    if not _only_denominators_jump(_sines_and_cosines(f), x):
        return True
    found = _numeric_poles(f, x, a, b, clock)
    return found is None or any(not any(_same_point(q.point, c) for c in cuts) for q in found)


def _same_point(p, c) -> bool:
    """Whether the located pole p (a 30-digit float) is the point c (exact, or a float)."""
    try:
        return abs(sp.N(p - c, 30)) <= sp.Float(1e-20) * max(1, abs(sp.N(c, 30)))
    except (TypeError, ValueError):
        return False


def _decided(f, x, a, b, sign, F, steps, specials, message, found):
    """The answer of a test that decided the integral: ``found`` is (its steps, the value
    with the bounds' order already in it, what to say)."""
    more, value, said = found
    message = (message + " " if message else "") + said
    if sign == -1:
        message = (f"The lower bound is above the upper one: ∫_{_bound(b)}^{_bound(a)} = "
                   f"−∫_{_bound(a)}^{_bound(b)}. " + message)
    return IntegralSteps(f, x, (a, b) if sign == 1 else (b, a), F, value, [*steps, *more],
                         specials, message.strip())


def _not_an_antiderivative(F, f, x, ends, clock: _Clock):
    """(a point, F′ − f there) where F′ differs from f inside one of the pieces between
    ``ends`` (five points each, relative tolerance 1e-6), or None (also when F′ takes more
    than a fifth of the time left: a RootSum's derivative can take minutes)."""
    import warnings

    import numpy as np

    try:
        with _time_limit(clock.left(0.2)):
            g = sp.lambdify(x, sp.diff(F, x) - f, "numpy")
            h = sp.lambdify(x, f, "numpy")
    except _Timeout:
        if clock.left() == 0:
            raise
        return None
    except (TypeError, ValueError, NotImplementedError, AttributeError):
        return None
    t = np.array([0.13, 0.31, 0.5, 0.69, 0.87])
    for lo, hi in itertools.pairwise(ends):
        lo_f, hi_f = float(lo), float(hi)
        if np.isfinite(lo_f) and np.isfinite(hi_f):
            points = lo_f + (hi_f - lo_f) * t
        elif np.isfinite(lo_f):
            points = lo_f + t / (1 - t)
        elif np.isfinite(hi_f):
            points = hi_f - t / (1 - t)
        else:
            points = (2 * t - 1) / (t * (1 - t))
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                d = np.broadcast_to(np.asarray(g(points.astype(complex)), complex), points.shape)
                v = np.broadcast_to(np.asarray(h(points.astype(complex)), complex), points.shape)
        except Exception:  # noqa: BLE001 — F cannot be evaluated numerically: no verdict
            return None
        bad = np.isfinite(d) & np.isfinite(v) & (np.abs(d) > 1e-6 * np.maximum(1, np.abs(v)))
        if bad.any():
            i = int(np.argmax(bad))
            return float(points[i]), float(abs(d[i])) * (1 if d[i].real >= 0 else -1)
    return None


def _periodic_to_infinity(f, x, a, b, clock: _Clock, sign=1):
    """Steps, value and message for ∫_a^b of a periodic, bounded, continuous f with an
    infinite bound, else None. Each period adds the same amount m = ∫_0^T f, so the
    integral is +∞ or −∞ with the sign of m, and has no value when m = 0 (the integral
    up to X then goes up and down for ever, as ∫_0^X sin t dt does). An antiderivative's
    limit is no guide here: SymPy's for 1/(2 + cos x)² jumps at every odd multiple of π.
    m is found by quad (zero when under 1e-9 of ∫_0^T |f|); ``sign`` is −1 for reversed
    bounds (the value and message are then of ∫_b^a)."""
    import warnings

    import numpy as np
    from sympy.calculus.util import periodicity

    from calcml.integrate.quad import quad

    if not f.has(sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc):
        return None
    try:
        with _time_limit(clock.left(0.2)):
            T = periodicity(f, x)
            if T is None or T.free_symbols or not T.is_positive:
                return None
            inside = _singular_points(f, x, sp.S.Zero, T, clock)
            if inside or not inside.complete:
                return None
            g = sp.lambdify(x, f, "numpy")
            t = float(T)
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                grid = np.asarray(g(np.linspace(0.0, t, 2001)), dtype=float)
                if grid.shape != (2001,) or not np.all(np.isfinite(grid)):
                    return None  # a pole, or not a real function
                m, size = quad(g, 0.0, t), quad(lambda u: np.abs(g(u)), 0.0, t)
    except (_Timeout, RecursionError, NotImplementedError, ValueError, TypeError, ZeroDivisionError):
        return None
    if not (m.converged and size.converged):
        return None
    zero = abs(m.value) <= 1e-9 * size.value
    ends = "both ends" if a.is_infinite and b.is_infinite else "the infinite end"
    if zero:
        value, said = sp.nan, ("The integral diverges: it has no value (its integral up to "
                               "X goes up and down for ever).")
        ending = "adds nothing on average, and the integral up to X goes up and down for ever"
    else:
        s = (1 if m.value > 0 else -1) * sign
        value = s * sp.oo
        said = f"The integral diverges (to {'+' if s > 0 else '-'}∞)."
        ending = (f"adds the same amount again and again towards {ends}, so the integral "
                  f"diverges (to {'+' if m.value > 0 else '−'}∞)")
    step = Step("improper", "f is periodic with period {T} and bounded, and its integral "
                "over one period is {m} (numerically): each period " + ending, f, x,
                sp.S.Zero, 0, (("T", T), ("m", sp.S.Zero if zero else sp.Float(m.value, 6))))
    return [step], value, said


def _scipy_quad(g, edges):
    """(value, error) of ∫ g over the pieces between ``edges`` by scipy.integrate.quad,
    when it reports success on every piece with an error under 1e-7 relative; else None."""
    import warnings

    from scipy import integrate

    total, error = 0.0, 0.0
    for lo, hi in itertools.pairwise(edges):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = integrate.quad(lambda u: float(g(u)), lo, hi, limit=200, full_output=1)
        except (ValueError, TypeError, ZeroDivisionError, OverflowError):
            return None
        if len(out) > 3 or not math.isfinite(out[0]):  # (a fourth item: its warning)
            return None
        total, error = total + out[0], error + out[1]
    return (total, error) if error <= 1e-7 * max(1.0, abs(total)) else None


def _summed(results):
    """One quad result for the pieces of an interval: the values and errors added; it has
    converged when every piece has, and says what the first that did not said."""
    if len(results) == 1:
        return results[0]
    failed = [r for r in results if not r.converged]
    return dataclasses.replace(
        failed[0] if failed else results[0], value=math.fsum(r.value for r in results),
        error=math.fsum(r.error for r in results), converged=not failed)


def _sympy_definite(f, x, a, b, r, clock: _Clock):
    """SymPy's value of ∫_a^b f (its definite integration: Meijer G functions), when it is
    a finite real number within ten times the error estimate of quad's unconverged result
    ``r`` (SymPy alone has given finite values to divergent integrals); else None."""
    if not (math.isfinite(r.value) and math.isfinite(r.error)):
        return None
    try:
        with _time_limit(clock.left(0.5)):
            value = sp.integrate(f, (x, a, b))
            settled = _settled(value) if not value.has(sp.Integral) else None
            if settled is None or not settled.is_finite:
                return None
            number = float(sp.N(settled))
    except (_Timeout, RecursionError, NotImplementedError, ValueError, TypeError, ZeroDivisionError):
        return None
    if abs(number - r.value) > 10 * r.error + 1e-12 * abs(number):
        return None
    return _simplest(settled, clock)


def _oscillating(f, x, a, b, cuts, clock: _Clock):
    """:func:`calcml.integrate.oscillatory.oscillating_integral` over [a, b] cut at
    ``cuts``, under a share of the time left; None when it does not decide."""
    from calcml.integrate.oscillatory import oscillating_integral

    try:
        with _time_limit(clock.left(0.5)):
            return oscillating_integral(f, x, [a, *(cuts or ()), b])
    except (_Timeout, RecursionError, NotImplementedError, ValueError, TypeError, ZeroDivisionError,
            sp.PolynomialError):
        return None


def _numeric(f, x, a, b, sign, steps, specials, message, cuts=None, clock=None):
    """No usable antiderivative: the value by quad, flagged as numerical; first, where
    ``clock`` is given, the test of :func:`_divergence` near the ends that are improper."""
    import numpy as np

    from calcml.integrate.quad import quad

    if f.free_symbols - {x}:  # a parameter: no number (_with_parameters says so in words)
        return IntegralSteps(f, x, (a, b) if sign == 1 else (b, a), None, sp.nan, steps,
                             specials, "No numerical value either: the integrand has a "
                             "parameter")
    if clock is not None:
        if cuts is None:
            cuts = _singular_points(f, x, a, b, clock)
        found = _divergence(f, x, a, b, cuts, clock, sign)
        if found is not None:  # (its value and message with the bounds' order: ∫_b^a = −∫_a^b)
            return _decided(f, x, a, b, sign, None, steps, specials, message, found)

    g = sp.lambdify(x, f, "numpy")
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # piece by piece between the points where f is not continuous (x/sin x at 0
            # is NaN there: quad's nodes never fall on the ends of a piece)
            edges = [float(a), *(float(c) for c in cuts or ()), float(b)]
            r = _summed([quad(g, lo, hi) for lo, hi in itertools.pairwise(edges)])
    except (ValueError, TypeError) as exc:
        message = (message + " " if message else "") + f"No numerical value either: {exc}"
        return IntegralSteps(f, x, (a, b) if sign == 1 else (b, a), None, sp.nan, steps,
                             specials, message)
    if not r.converged:  # SciPy's QUADPACK extrapolates at singular ends (√tan x at π/2)
        other = _scipy_quad(g, [float(a), *(float(c) for c in cuts or ()), float(b)])
        if other is not None:
            steps = [*steps, Step("unknown", "no closed form: calcml.integrate.quad does not "
                                  f"converge here ({r.message.split(':')[0]}); SciPy's quad "
                                  "(QUADPACK, which extrapolates towards a singular end or an "
                                  f"infinite one) does: error ≈ {other[1]:.1e}", f, x,
                                  sp.S.Zero, 0)]
            return IntegralSteps(f, x, (a, b) if sign == 1 else (b, a), None,
                                 sp.Float(sign * other[0]), steps, specials, message.strip())
    exact = None if r.converged or clock is None else _sympy_definite(f, x, a, b, r, clock)
    if exact is not None:  # quad stopped short (an oscillating tail), SymPy agrees with it
        steps = [*steps, Step("integrator", "no antiderivative by the course's methods, and "
                              "quad does not converge (its estimate {q}, error ≈ {e}); SymPy's "
                              "definite integration (Meijer G functions) gives {v}, which "
                              "agrees with that estimate", f, x, sp.S.Zero, 0,
                              (("q", sp.Float(r.value, 8)), ("e", sp.Float(r.error, 2)),
                               ("v", exact)))]
        return IntegralSteps(f, x, (a, b) if sign == 1 else (b, a), None, sign * exact, steps,
                             specials, message.strip())
    waves = None if r.converged or clock is None else _oscillating(f, x, a, b, cuts, clock)
    if waves is not None:  # an oscillating tail (sin x/(1 + x²) to ∞) or end (sin(1/x) at 0)
        bounds = (a, b) if sign == 1 else (b, a)
        if not waves.converges:
            steps = [*steps, Step("improper", "towards an end the integrand is a wave whose "
                                  "amplitude tends to a nonzero limit (as sin x does): the "
                                  "integral up to X goes up and down for ever, and has no "
                                  "limit", f, x, sp.S.Zero, 0)]
            return IntegralSteps(f, x, bounds, None, sp.nan, steps, specials, (
                (message + " " if message else "") + "The integral diverges: it has no "
                "value.").strip())
        steps = [*steps, Step("unknown", "no closed form, and the integrand oscillates without "
                              "end, so quadrature cannot settle; written as amplitudes times "
                              "sin(ωx) and cos(ωx), whose amplitudes tend to 0 (the integral "
                              "converges, by Dirichlet's test), it is summed cycle by cycle by "
                              f"QUADPACK's Fourier routine (SciPy's quad, QAWF): error ≈ "
                              f"{waves.error:.1e}", f, x, sp.S.Zero, 0)]
        return IntegralSteps(f, x, bounds, None, sp.Float(sign * waves.value), steps,
                             specials, message.strip())
    steps = [*steps, Step("unknown", "no closed form: the value is computed numerically by "
                          f"calcml.integrate.quad (error ≈ {r.error:.1e}"
                          f"{'' if r.converged else ', NOT converged'})", f, x, sp.S.Zero, 0)]
    value = sp.Float(sign * r.value) if r.converged else sp.nan
    if not r.converged:
        message = (message + " " if message else "") + "quad did not converge: " + r.message
    del np
    return IntegralSteps(f, x, (a, b) if sign == 1 else (b, a), None, value, steps, specials,
                         message.strip())
